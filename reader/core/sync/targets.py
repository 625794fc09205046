"""Where the change logs go: a folder kept in sync by any engine, or a WebDAV server.

A target is a tiny file store: list a folder, read, write (whole files only: a reader never sees
half a file under its final name, where the target allows), delete. Every failure becomes a
:class:`SyncError` whose message is one readable sentence.
"""

from __future__ import annotations

import errno
import io
import os
import secrets
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

KEYRING_SERVICE = "pizhu-webdav"
PASSWORD_ENV = "PIZHU_WEBDAV_PASSWORD"


class SyncError(Exception):
    """Sync could not go on; the message says what and why in one sentence."""


class Target(Protocol):
    def describe(self) -> str: ...
    def prepare(self) -> None: ...
    def list(self, folder: str) -> dict[str, int]: ...
    def read(self, path: str) -> bytes: ...
    def write(self, path: str, data: bytes) -> None: ...
    def delete(self, path: str) -> None: ...
    def close(self) -> None: ...


# ---------------------------------------------------------------------- folder
class FolderTarget:
    """A folder that Syncthing, Nextcloud, 坚果云, Dropbox or a USB stick keeps in step.
    Files are written under a temporary name (which the engines and we skip) and renamed."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.root = Path(path)

    def describe(self) -> str:
        return str(self.root)

    def prepare(self) -> None:
        if not self.root.is_dir():
            raise SyncError(f"{self.root}: the sync folder does not exist (or is not mounted)")
        for sub in ("logs", "snapshots", "images"):
            try:
                (self.root / sub).mkdir(exist_ok=True)
            except OSError as e:
                raise SyncError(self._os(e, self.root / sub)) from None

    def list(self, folder: str) -> dict[str, int]:
        d = self.root / folder
        out: dict[str, int] = {}
        try:
            with os.scandir(d) as it:
                for entry in it:
                    try:
                        if entry.is_file():
                            out[entry.name] = entry.stat().st_size
                    except OSError:
                        continue  # vanished meanwhile (an engine renaming it)
        except FileNotFoundError:
            return {}
        except OSError as e:
            raise SyncError(self._os(e, d)) from None
        return out

    def read(self, path: str) -> bytes:
        try:
            return (self.root / path).read_bytes()
        except OSError as e:
            raise SyncError(self._os(e, self.root / path)) from None

    def write(self, path: str, data: bytes) -> None:
        final = self.root / path
        tmp = final.with_name(f".pizhu-{secrets.token_hex(4)}.tmp")
        try:
            with open(tmp, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, final)
        except OSError as e:
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass
            raise SyncError(self._os(e, final)) from None

    def close(self) -> None:
        pass

    def delete(self, path: str) -> None:
        try:
            (self.root / path).unlink(missing_ok=True)
        except OSError as e:
            raise SyncError(self._os(e, self.root / path)) from None

    @staticmethod
    def _os(e: OSError, path: Path) -> str:
        if e.errno in (errno.ENOSPC, errno.EDQUOT):
            return f"{path}: the disk of the sync folder is full"
        if e.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return f"{path}: the sync folder cannot be written (permission denied or read-only)"
        return f"{path}: {e.strerror or e}"


# ---------------------------------------------------------------------- WebDAV
def password_for(url: str, user: str) -> str | None:
    """The WebDAV password: ``PIZHU_WEBDAV_PASSWORD``, else the system keyring."""
    env = os.environ.get(PASSWORD_ENV)
    if env:
        return env
    try:
        import keyring

        return keyring.get_password(KEYRING_SERVICE, f"{user}@{url}")
    except Exception:  # no keyring backend on this system: the caller asks for the password
        return None


def store_password(url: str, user: str, password: str) -> None:
    """Keep the password in the system keyring (never in a settings file)."""
    try:
        import keyring

        keyring.set_password(KEYRING_SERVICE, f"{user}@{url}", password)
    except Exception as e:
        raise SyncError(
            f"the password could not be kept in the system keyring ({e}); set {PASSWORD_ENV} "
            "instead") from None


_HTTP_REASONS = {
    401: "the server refused the user name or password",
    403: "the server does not allow this user to write there",
    404: "the folder does not exist on the server",
    405: "the server does not allow this (is the address a WebDAV folder?)",
    409: "the folder above it does not exist on the server",
    423: "the file is locked on the server",
    500: "the server had an internal error",
    502: "the server's gateway failed",
    503: "the server is unavailable",
    507: "the server's storage is full",
}


class WebDAVTarget:
    """A WebDAV folder (坚果云, Nextcloud, a NAS) through ``webdav4``. Files are uploaded under a
    temporary name and moved into place, so an interrupted upload leaves no file we read."""

    def __init__(self, url: str, user: str, password: str | None = None,
                 timeout: float = 60.0) -> None:
        self.url = url.rstrip("/") + "/"
        self.user = user
        self.password = password
        self.timeout = timeout
        self._client: Any = None

    def describe(self) -> str:
        return self.url

    @property
    def client(self) -> Any:
        if self._client is None:
            from webdav4.client import Client

            password = self.password if self.password is not None else password_for(
                self.url, self.user)
            if password is None:
                raise SyncError(f"{self.url}: no password for {self.user} (keep it in the system "
                                f"keyring with `pizhu sync --webdav … --user …` or set "
                                f"{PASSWORD_ENV})")
            self._client = Client(self.url, auth=(self.user, password), timeout=self.timeout,
                                  retry=False)
        return self._client

    def close(self) -> None:
        """Close the connection (opened again on the next use)."""
        if self._client is not None:
            self._client.http.close()
            self._client = None

    def _call(self, what: str, fn: Any, *args: Any, **kw: Any) -> Any:
        from webdav4 import client as w

        try:
            return fn(*args, **kw)
        except SyncError:
            raise
        except w.ResourceNotFound:
            raise SyncError(f"{self.url}{what}: not found on the server") from None
        except (w.HTTPError, w.InsufficientStorage, w.BadGatewayError, w.ResourceLocked,
                w.ForbiddenOperation, w.ResourceConflict) as e:
            code = getattr(e, "status_code", 0) or {
                w.InsufficientStorage: 507, w.BadGatewayError: 502, w.ResourceLocked: 423,
                w.ForbiddenOperation: 403, w.ResourceConflict: 409}.get(type(e), 0)
            reason = _HTTP_REASONS.get(code, f"the server answered {code}")
            raise SyncError(f"{self.url}{what}: {reason} (HTTP {code})") from None
        except w.ClientError as e:
            raise SyncError(f"{self.url}{what}: the server refused it ({e})") from None
        except Exception as e:  # httpx transport errors: refused, DNS, TLS, timeout
            host = urlsplit(self.url).netloc
            raise SyncError(f"{host}: the WebDAV server cannot be reached "
                            f"({type(e).__name__}: {e})") from None

    def prepare(self) -> None:
        c = self.client
        entries = self._call("", c.ls, "", detail=True)  # one request for the three folders
        have = {str(e.get("name", "")).rstrip("/").rsplit("/", 1)[-1] for e in entries
                if e.get("type") == "directory"}
        for sub in ("logs", "snapshots", "images"):
            if sub not in have:
                self._call(sub, c.mkdir, sub)

    def list(self, folder: str) -> dict[str, int]:
        entries = self._call(folder, self.client.ls, folder, detail=True)
        out: dict[str, int] = {}
        for e in entries:
            if e.get("type") == "directory":
                continue
            name = str(e.get("name", "")).rstrip("/").rsplit("/", 1)[-1]
            out[name] = int(e.get("content_length") or 0)
        return out

    def read(self, path: str) -> bytes:
        buf = io.BytesIO()
        self._call(path, self.client.download_fileobj, path, buf)
        return buf.getvalue()

    def write(self, path: str, data: bytes) -> None:
        folder, _, name = path.rpartition("/")
        tmp = f"{folder}/.pizhu-{secrets.token_hex(4)}.tmp" if folder else f".pizhu-{name}.tmp"
        self._call(path, self.client.upload_fileobj, io.BytesIO(data), tmp, overwrite=True,
                   size=len(data))
        try:
            self._call(path, self.client.move, tmp, path, overwrite=True)
        except SyncError:
            try:
                self.client.remove(tmp)
            except Exception:
                pass
            raise

    def delete(self, path: str) -> None:
        from webdav4.client import ResourceNotFound

        try:
            self.client.remove(path)
        except ResourceNotFound:
            return
        except Exception:  # once more, for a readable message if it fails again
            self._call(path, self.client.remove, path)


def make_target(spec: dict[str, str], password: str | None = None) -> Target:
    kind = spec.get("kind")
    if kind == "folder":
        return FolderTarget(spec["path"])
    if kind == "webdav":
        return WebDAVTarget(spec["url"], spec.get("user", ""), password)
    raise SyncError("no sync target is set (choose a folder or a WebDAV server)")

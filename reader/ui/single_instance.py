"""One Pizhu window per library: a second ``pizhu`` hands its request to the running one.

The first GUI on a library listens on a Unix domain socket — local IPC only, never the network —
in a folder private to the user (``$XDG_RUNTIME_DIR``, else ``<tmp>/pizhu-<uid>`` created with
mode 0700). The socket's name is a hash of the user and the library's resolved path, so two
users, or two libraries, never meet. A second ``pizhu`` on the same library connects, sends one
JSON request (files to import, ``pizhu://`` links to open, or just "raise the window"), waits for
the answer and exits 0. When nobody answers it starts normally; a socket left behind by a
crashed instance (nobody accepts on it) is removed first.

This uses the standard library's ``socket`` with a :class:`QSocketNotifier`, not QtNetwork's
QLocalServer: the bundle leaves QtNetwork out (it would bring Kerberos and TLS libraries along).
Where there are no Unix domain sockets (Python on Windows) every start opens its own window,
which is safe: two processes writing one library are kept apart by SQLite (WAL, busy timeout).

Wire format: one UTF-8 JSON object per connection, ending in a newline —
``{"pizhu": 1, "files": [absolute paths], "links": ["pizhu://…"]}`` — answered with
``{"ok": true}`` and a newline. Anything else is refused.
"""

from __future__ import annotations

import contextlib
import errno
import getpass
import hashlib
import json
import logging
import os
import socket
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, QSocketNotifier, Signal

log = logging.getLogger(__name__)

PROTOCOL = 1
MAX_REQUEST = 1 << 20  # bytes: a request names files, it never carries them
CONNECT_S = 1.0
REPLY_S = 5.0
READ_S = 1.0  # the server's wait for a connected client's request
SUPPORTED = hasattr(socket, "AF_UNIX")


@dataclass
class Request:
    """What a second instance asks the running one to do (nothing: just show the window)."""

    files: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)

    def to_bytes(self) -> bytes:
        data = {"pizhu": PROTOCOL, "files": self.files, "links": self.links}
        return json.dumps(data, ensure_ascii=False).encode("utf-8") + b"\n"

    @classmethod
    def from_bytes(cls, raw: bytes) -> Request | None:
        """The request in ``raw``, or None if it is not a well-formed one."""
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("pizhu") != PROTOCOL:
            return None
        files, links = data.get("files", []), data.get("links", [])
        if not (isinstance(files, list) and isinstance(links, list)):
            return None
        if not all(isinstance(x, str) for x in [*files, *links]):
            return None
        return cls([f for f in files if f], [u for u in links if u])


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (containers): the uid still tells users apart
        return str(os.getuid()) if hasattr(os, "getuid") else "user"


def _private_dir() -> Path:
    """A folder only this user can enter: $XDG_RUNTIME_DIR, else <tmp>/pizhu-<uid> (0700)."""
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if runtime and os.path.isdir(runtime) and os.access(runtime, os.W_OK | os.X_OK):
        return Path(runtime)
    uid = os.getuid() if hasattr(os, "getuid") else 0
    folder = Path(tempfile.gettempdir()) / f"pizhu-{uid}"
    with contextlib.suppress(FileExistsError):
        folder.mkdir(mode=0o700)
    st = folder.lstat()
    if not stat.S_ISDIR(st.st_mode) or (hasattr(os, "getuid") and st.st_uid != uid) or (
            st.st_mode & 0o077):
        raise OSError(errno.EPERM, f"{folder} is not a private folder of this user")
    return folder


def server_name(library_root: str | os.PathLike[str]) -> str:
    """The socket path for a library: a hash of the user and the library's real path, in a
    folder private to the user."""
    try:
        root = Path(library_root).expanduser().resolve()
    except OSError:
        root = Path(library_root).expanduser().absolute()
    digest = hashlib.sha256(f"{_user()}\0{root}".encode()).hexdigest()[:24]
    try:
        folder = _private_dir()
    except OSError as e:
        log.info("single instance: no private folder for the socket (%s)", e)
        return ""
    return str(folder / f"pizhu-{digest}.sock")


def _connect(name: str, timeout: float) -> socket.socket | None:
    if not SUPPORTED or not name:
        return None
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    try:
        s.connect(name)
    except OSError:
        s.close()
        return None
    return s


def send_request(name: str, request: Request, *, timeout: float = REPLY_S) -> bool:
    """Hand ``request`` to the instance listening on ``name``. True when it confirmed it;
    False when nobody listens (or it did not answer) — then the caller starts normally."""
    s = _connect(name, min(timeout, CONNECT_S))
    if s is None:
        return False
    with s:
        s.settimeout(timeout)
        try:
            s.sendall(request.to_bytes())
            reply = b""
            while b"\n" not in reply and len(reply) < 4096:
                chunk = s.recv(4096)
                if not chunk:
                    break
                reply += chunk
        except OSError:
            return False
    try:
        answer = json.loads(reply.split(b"\n", 1)[0].decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return False
    return isinstance(answer, dict) and answer.get("ok") is True


def _alive(name: str) -> bool:
    """Does something accept connections on ``name``? (False: a socket left by a crash.)"""
    s = _connect(name, CONNECT_S)
    if s is None:
        return False
    s.close()
    return True


class InstanceServer(QObject):
    """Listens for requests from later instances; ``request_received(Request)`` on the GUI
    thread for each."""

    request_received = Signal(object)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._sock: socket.socket | None = None
        self._notifier: QSocketNotifier | None = None
        self._inode: tuple[int, int] | None = None

    @property
    def listening(self) -> bool:
        return self._sock is not None

    def listen(self) -> bool:
        """Start listening. A socket nobody accepts on (left by a crash) is removed first;
        False if another instance listens (it won a race) or sockets cannot be used here."""
        if not SUPPORTED or not self.name or self._sock is not None:
            return self._sock is not None
        sock = self._bind()
        if sock is None and _stale_file(self.name) and not _alive(self.name):
            log.info("removing the stale single-instance socket %s", self.name)
            with contextlib.suppress(OSError):
                os.unlink(self.name)
            sock = self._bind()
        if sock is None:
            return False
        sock.listen(8)
        sock.setblocking(False)
        self._sock = sock
        st = os.stat(self.name)
        self._inode = (st.st_dev, st.st_ino)
        self._notifier = QSocketNotifier(sock.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(lambda *_a: self._accept())
        return True

    def _bind(self) -> socket.socket | None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.bind(self.name)
        except OSError as e:
            sock.close()
            if e.errno != errno.EADDRINUSE:
                log.info("single instance: cannot listen on %s (%s)", self.name, e)
            return None
        return sock

    def close(self) -> None:
        """Stop listening and remove the socket (if it is still ours)."""
        if self._notifier is not None:
            self._notifier.setEnabled(False)  # deleted with the server (no deleteLater)
            self._notifier = None
        if self._sock is not None:
            self._sock.close()
            self._sock = None
            with contextlib.suppress(OSError):
                st = os.stat(self.name)
                if (st.st_dev, st.st_ino) == self._inode:
                    os.unlink(self.name)

    def _accept(self) -> None:
        while self._sock is not None:
            try:
                conn, _addr = self._sock.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as e:
                log.info("single instance: accept failed (%s)", e)
                return
            with conn:
                request = self._serve(conn)
            if request is not None:
                self.request_received.emit(request)

    @staticmethod
    def _serve(conn: socket.socket) -> Request | None:
        """Read one request and answer it. The client (another pizhu of this user: the socket's
        folder is private) writes it at once, so a short blocking read is enough."""
        conn.setblocking(True)
        conn.settimeout(READ_S)
        data = b""
        try:
            while b"\n" not in data and len(data) <= MAX_REQUEST:
                chunk = conn.recv(65536)
                if not chunk:
                    return None
                data += chunk
        except OSError:
            return None
        request = Request.from_bytes(data.split(b"\n", 1)[0]) if b"\n" in data else None
        with contextlib.suppress(OSError):
            conn.sendall(json.dumps({"ok": request is not None}).encode("utf-8") + b"\n")
        return request


def _stale_file(name: str) -> bool:
    """Is ``name`` a socket file (so removing it can only remove a socket)?"""
    try:
        return stat.S_ISSOCK(os.lstat(name).st_mode)
    except OSError:
        return False

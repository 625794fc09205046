"""One Pizhu window per library: a second ``pizhu`` hands its request to the running one.

The first GUI on a library listens on a Unix domain socket — local IPC only, never the network —
in a folder private to the user (``$XDG_RUNTIME_DIR`` if it is owned by the user with mode 0700,
else ``<tmp>/pizhu-<uid>`` created with mode 0700 and checked the same way). The socket's name is a hash of the user and the library's resolved path, so two
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
``{"ok": true}`` and a newline. Anything else is refused: more than :data:`MAX_REQUEST` bytes,
nesting deeper than Python's stack, no whole line within :data:`READ_S`. The server never blocks
on a client — reads are non-blocking, one timer per connection.
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

from PySide6.QtCore import QObject, QSocketNotifier, QTimer, Signal

log = logging.getLogger(__name__)

PROTOCOL = 1
MAX_REQUEST = 1 << 20  # bytes: a request names files, it never carries them
CONNECT_S = 1.0
REPLY_S = 5.0
READ_S = 2.0  # the server's wait for a connected client's whole request (never blocking)
MAX_CLIENTS = 16  # connections whose request is being read at once
MAX_ITEMS = 10_000  # files + links in one request
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
        if len(raw) > MAX_REQUEST:
            return None
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return None
        except RecursionError:  # [[[[… nested deeper than Python's stack: not a request
            log.info("single instance: refused a request nested too deeply (%d bytes)", len(raw))
            return None
        version = data.get("pizhu") if isinstance(data, dict) else None
        if not isinstance(version, int) or isinstance(version, bool) or version != PROTOCOL:
            return None
        files, links = data.get("files", []), data.get("links", [])
        if not (isinstance(files, list) and isinstance(links, list)):
            return None
        if len(files) + len(links) > MAX_ITEMS:
            return None
        if not all(isinstance(x, str) and "\0" not in x for x in [*files, *links]):
            return None
        return cls([f for f in files if f], [u for u in links if u])


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (containers): the uid still tells users apart
        return str(os.getuid()) if hasattr(os, "getuid") else "user"


def _uid() -> int:
    return os.getuid() if hasattr(os, "getuid") else 0


def _not_private(folder: Path, *, follow: bool) -> str | None:
    """Why ``folder`` is not a folder only this user can enter (None: it is one). Why: the socket's
    name is predictable; in a folder another user can write to, they could bind it first and
    receive this user's requests (file names, links), or keep the GUI from listening."""
    try:
        st = folder.stat() if follow else folder.lstat()
    except OSError as e:
        return (e.strerror or str(e)).lower()
    if not stat.S_ISDIR(st.st_mode):
        return "not a folder"
    if hasattr(os, "getuid") and st.st_uid != _uid():
        return f"owned by user {st.st_uid}, not by this user ({_uid()})"
    if st.st_mode & 0o077:
        return f"mode {stat.S_IMODE(st.st_mode):04o}: other users may enter it (needs 0700)"
    if not os.access(folder, os.W_OK | os.X_OK):
        return "not writable"
    return None


def _private_dir() -> Path:
    """A folder only this user can enter: $XDG_RUNTIME_DIR when it is one (owned by this user,
    mode 0700 — the XDG rule), else ``<tmp>/pizhu-<uid>``, created 0700 and checked the same way
    (never a symlink). Raises OSError when neither is private."""
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if runtime and os.path.isabs(runtime):
        why = _not_private(Path(runtime), follow=True)
        if why is None:
            return Path(runtime)
        log.info("single instance: not using XDG_RUNTIME_DIR %s (%s)", runtime, why)
    folder = Path(tempfile.gettempdir()) / f"pizhu-{_uid()}"
    with contextlib.suppress(FileExistsError):
        folder.mkdir(mode=0o700)
    why = _not_private(folder, follow=False)
    if why is not None:
        raise OSError(errno.EPERM, f"{folder} is not a private folder of this user ({why})")
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
        self._clients: list[_Client] = []

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
        for client in list(self._clients):
            self._drop(client)
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
        """Take every waiting connection. Nothing here blocks: each client's request is read
        as it arrives (:meth:`_read`) — a client that is slow, silent or endless (another
        program of this user, or a stuck ``pizhu``) costs one socket for at most
        :data:`READ_S`, never the GUI's time. At most :data:`MAX_CLIENTS` wait at once."""
        while self._sock is not None:
            try:
                conn, _addr = self._sock.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as e:
                log.info("single instance: accept failed (%s)", e)
                return
            if len(self._clients) >= MAX_CLIENTS:
                log.info("single instance: %d requests already waiting; one refused", MAX_CLIENTS)
                conn.close()
                continue
            conn.setblocking(False)
            client = _Client(conn, QSocketNotifier(conn.fileno(), QSocketNotifier.Type.Read, self),
                             QTimer(self))
            self._clients.append(client)
            client.notifier.activated.connect(lambda *_a, c=client: self._read(c))
            client.timer.setSingleShot(True)
            client.timer.timeout.connect(lambda c=client: self._timed_out(c))
            client.timer.start(int(READ_S * 1000))
            self._read(client)  # it may have written already

    def _read(self, client: _Client) -> None:
        while client in self._clients:
            try:
                chunk = client.sock.recv(65536)
            except (BlockingIOError, InterruptedError):
                return  # more later (the notifier calls again)
            except OSError:
                self._drop(client)
                return
            if not chunk:  # the client closed without a whole request
                self._drop(client)
                return
            client.data += chunk
            line, newline, _rest = bytes(client.data).partition(b"\n")
            if newline:
                self._answer(client, Request.from_bytes(line))
                return
            if len(client.data) > MAX_REQUEST:
                log.info("single instance: refused a request longer than %d bytes", MAX_REQUEST)
                self._answer(client, None)
                return

    def _timed_out(self, client: _Client) -> None:
        if client in self._clients:
            log.info("single instance: a client sent no whole request within %.0f s", READ_S)
            self._answer(client, None)

    def _answer(self, client: _Client, request: Request | None) -> None:
        reply = json.dumps({"ok": request is not None}).encode("utf-8") + b"\n"
        with contextlib.suppress(OSError):  # a few bytes into an empty socket buffer
            client.sock.send(reply)
        self._drop(client)
        if request is not None:
            self.request_received.emit(request)

    def _drop(self, client: _Client) -> None:
        if client in self._clients:
            self._clients.remove(client)
        client.timer.stop()
        client.timer.deleteLater()
        client.notifier.setEnabled(False)
        client.notifier.deleteLater()  # it may be the one calling us right now
        client.sock.close()


@dataclass(eq=False)
class _Client:
    """A connection whose request is still being read."""

    sock: socket.socket
    notifier: QSocketNotifier
    timer: QTimer
    data: bytearray = field(default_factory=bytearray)


def _stale_file(name: str) -> bool:
    """Is ``name`` a socket file (so removing it can only remove a socket)?"""
    try:
        return stat.S_ISSOCK(os.lstat(name).st_mode)
    except OSError:
        return False

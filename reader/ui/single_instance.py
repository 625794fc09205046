"""One Pizhu window per library: a second ``pizhu`` hands its request to the running one.

The first GUI on a library listens on a local channel — Qt's :class:`QLocalServer`, never the
network: a Unix domain socket on Linux and macOS, a named pipe on Windows. Only the same user
can reach it:

* Linux/macOS: the socket lies in a folder private to the user (``$XDG_RUNTIME_DIR`` if it is
  owned by the user with mode 0700, else ``<tmp>/pizhu-<uid>`` created with mode 0700 and
  checked the same way) and is itself made 0600. Qt's ``UserAccessOption`` is not used there:
  it binds in a temporary folder and renames the socket into place, replacing whatever has the
  name — a running Pizhu's socket, or a regular file.
* Windows: the pipe is created with ``UserAccessOption`` (a security descriptor granting only
  the user who created it).

The name is a hash of the user and the library's resolved path, so two users, or two libraries,
never meet. A second ``pizhu`` on the same library connects, sends one JSON request (files to
import, ``pizhu://`` links to open, or just "raise the window"), waits for the answer and exits
0. When nobody answers it starts normally; a socket file left behind by a crashed instance
(nobody accepts on it) is removed first (a named pipe goes away with its process).

QtNetwork is in the bundle for this (about 3.5 MB with its Kerberos libraries; its TLS and
network-information plugins are left out). Where it is missing every start opens its own
window, which is safe: two processes writing one library are kept apart by SQLite (WAL, busy
timeout) and the index lock (reader.core.store.lock).

Wire format: one UTF-8 JSON object per connection, ending in a newline —
``{"pizhu": 1, "files": [absolute paths], "links": ["pizhu://…"]}`` — answered with
``{"ok": true}`` and a newline. Anything else is refused: more than :data:`MAX_REQUEST` bytes,
nesting deeper than Python's stack, no whole line within :data:`READ_S`. The server never blocks
on a client — it reads what has arrived when Qt says so, one timer per connection.
"""

from __future__ import annotations

import contextlib
import errno
import getpass
import hashlib
import json
import logging
import os
import stat
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QMetaObject, QObject, QTimer, Signal
from PySide6.QtNetwork import QAbstractSocket, QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

PROTOCOL = 1
MAX_REQUEST = 1 << 20  # bytes: a request names files, it never carries them
CONNECT_S = 1.0
REPLY_S = 5.0
READ_S = 2.0  # the server's wait for a connected client's whole request (never blocking)
MAX_CLIENTS = 16  # connections whose request is being read at once
MAX_ITEMS = 10_000  # files + links in one request
WAIT_SLICE_MS = 20  # see _wait
SUPPORTED = True  # QLocalServer: Unix domain sockets, or named pipes on Windows
PIPES = sys.platform == "win32"  # a pipe name, not a path in a private folder


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
    """The channel's name for a library: a hash of the user and the library's real path — on
    Windows a pipe name, elsewhere a socket path in a folder private to the user ("" when there
    is no such folder: then every start opens its own window)."""
    try:
        root = Path(library_root).expanduser().resolve()
    except OSError:
        root = Path(library_root).expanduser().absolute()
    digest = hashlib.sha256(f"{_user()}\0{root}".encode()).hexdigest()[:24]
    if PIPES:
        return f"pizhu-{digest}"
    try:
        folder = _private_dir()
    except OSError as e:
        log.info("single instance: no private folder for the socket (%s)", e)
        return ""
    return str(folder / f"pizhu-{digest}.sock")


def _wait(sock: QLocalSocket, ready: Callable[[int], bool], timeout: float) -> bool:
    """Call a blocking ``sock.waitFor…(ms)`` in short slices until it succeeds, the socket is no
    longer connected (or connecting), or ``timeout`` passes. Why slices: PySide holds the GIL
    inside those calls, so one long wait in a thread of the GUI's own process (the tests'
    clients) would stop the very server it waits for."""
    deadline = time.monotonic() + timeout
    while sock.state() in _OPEN:
        left = deadline - time.monotonic()
        if ready(max(1, min(WAIT_SLICE_MS, int(left * 1000)))):
            return True
        if left <= 0:
            break
    return False


def _connect(name: str, timeout: float) -> QLocalSocket | None:
    """A socket connected to ``name`` (blocking waits: no event loop needed, any thread)."""
    if not name:
        return None
    sock = QLocalSocket()
    sock.connectToServer(name)
    if not (_connected(sock) or _wait(sock, sock.waitForConnected, timeout)):
        sock.abort()
        return None
    return sock


def _connected(sock: QLocalSocket) -> bool:
    return sock.state() == QLocalSocket.LocalSocketState.ConnectedState


_OPEN = (QLocalSocket.LocalSocketState.ConnectedState, QLocalSocket.LocalSocketState.ConnectingState)


def send_request(name: str, request: Request, *, timeout: float = REPLY_S) -> bool:
    """Hand ``request`` to the instance listening on ``name``. True when it confirmed it;
    False when nobody listens (or it did not answer) — then the caller starts normally."""
    sock = _connect(name, min(timeout, CONNECT_S))
    if sock is None:
        return False
    deadline = time.monotonic() + timeout
    reply = b""
    try:
        sock.write(request.to_bytes())
        while sock.bytesToWrite() > 0:
            left = deadline - time.monotonic()
            if not _wait(sock, sock.waitForBytesWritten, left):
                return False
        while b"\n" not in reply and len(reply) < 4096:
            left = deadline - time.monotonic()
            if sock.bytesAvailable() == 0 and not _wait(sock, sock.waitForReadyRead, left):
                break
            reply += bytes(sock.readAll().data())
    finally:
        sock.abort()
    try:
        answer = json.loads(reply.split(b"\n", 1)[0].decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return False
    return isinstance(answer, dict) and answer.get("ok") is True


def _alive(name: str) -> bool:
    """Does something accept connections on ``name``? (False: a socket left by a crash.)"""
    sock = _connect(name, CONNECT_S)
    if sock is None:
        return False
    sock.abort()
    return True


class InstanceServer(QObject):
    """Listens for requests from later instances; ``request_received(Request)`` on the GUI
    thread for each."""

    request_received = Signal(object)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._server: QLocalServer | None = None
        self._clients: list[_Client] = []

    @property
    def listening(self) -> bool:
        return self._server is not None

    def listen(self) -> bool:
        """Start listening. A socket nobody accepts on (left by a crash) is removed first;
        False if another instance listens (it won a race) or the channel cannot be made."""
        if not self.name or self._server is not None:
            return self._server is not None
        server = self._bind()
        if server is None and not PIPES and _stale_file(self.name) and not _alive(self.name):
            log.info("removing the stale single-instance socket %s", self.name)
            with contextlib.suppress(OSError):
                os.unlink(self.name)
            server = self._bind()
        if server is None:
            return False
        if not PIPES:  # the folder is private already; the socket too, in case it is moved
            with contextlib.suppress(OSError):
                os.chmod(self.name, 0o600)
        self._server = server
        server.newConnection.connect(self._accept)
        return True

    def _bind(self) -> QLocalServer | None:
        server = QLocalServer(self)
        if PIPES:  # the pipe's security descriptor: this user only (see the module's note)
            server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        server.setMaxPendingConnections(MAX_CLIENTS)
        if server.listen(self.name):
            return server
        if server.serverError() != QAbstractSocket.SocketError.AddressInUseError:
            log.info("single instance: cannot listen on %s (%s)", self.name, server.errorString())
        server.deleteLater()
        return None

    def close(self) -> None:
        """Stop listening and remove the socket (Qt removes the file it made)."""
        for client in list(self._clients):
            self._drop(client)
        if self._server is not None:
            self._server.close()
            self._server.deleteLater()
            self._server = None

    def _accept(self) -> None:
        """Take every waiting connection. Nothing here blocks: each client's request is read
        as it arrives (:meth:`_read`) — a client that is slow, silent or endless (another
        program of this user, or a stuck ``pizhu``) costs one socket for at most
        :data:`READ_S`, never the GUI's time. At most :data:`MAX_CLIENTS` wait at once."""
        while self._server is not None and self._server.hasPendingConnections():
            sock = self._server.nextPendingConnection()
            if len(self._clients) >= MAX_CLIENTS:
                log.info("single instance: %d requests already waiting; one refused", MAX_CLIENTS)
                sock.abort()
                sock.deleteLater()
                continue
            sock.setReadBufferSize(1 << 16)  # Qt reads no further ahead than this
            # the timer belongs to the client (no parent: it goes when the client is forgotten;
            # a deleteLater() on a parented one crashed PySide when it ran)
            client = _Client(sock, QTimer())
            self._clients.append(client)
            client.timer.setSingleShot(True)
            client.links = [sock.readyRead.connect(lambda c=client: self._read(c)),
                            sock.disconnected.connect(lambda c=client: self._gone(c)),
                            client.timer.timeout.connect(lambda c=client: self._timed_out(c))]
            client.timer.start(int(READ_S * 1000))
            self._read(client)  # it may have written already

    def _read(self, client: _Client) -> None:
        if client not in self._clients:
            return
        seen = len(client.data)  # searched for the newline already
        client.data += bytes(client.sock.read(MAX_REQUEST + 1 - seen).data())
        end = client.data.find(b"\n", seen)
        if end >= 0:
            self._answer(client, Request.from_bytes(bytes(client.data[:end])))
        elif len(client.data) > MAX_REQUEST:
            log.info("single instance: refused a request longer than %d bytes", MAX_REQUEST)
            self._answer(client, None)

    def _gone(self, client: _Client) -> None:
        """The client hung up: a whole request it sent before is still handled."""
        self._read(client)
        self._drop(client)

    def _timed_out(self, client: _Client) -> None:
        if client in self._clients:
            log.info("single instance: a client sent no whole request within %.0f s", READ_S)
            self._answer(client, None)

    def _answer(self, client: _Client, request: Request | None) -> None:
        reply = json.dumps({"ok": request is not None}).encode("utf-8") + b"\n"
        self._drop(client, reply)
        if request is not None:
            self.request_received.emit(request)

    def _drop(self, client: _Client, reply: bytes = b"") -> None:
        """Forget the client; its socket closes once ``reply`` (if any) is written."""
        if client not in self._clients:
            return
        self._clients.remove(client)
        client.timer.stop()
        sock = client.sock
        for link in client.links:  # nothing of ours runs while Qt closes or destroys it
            QObject.disconnect(link)
        if reply and _connected(sock):
            sock.write(reply)
            sock.flush()  # into the socket now: a few bytes, never blocks
            sock.disconnected.connect(sock.deleteLater)
            sock.disconnectFromServer()  # after the reply is written (no blocking wait)
        else:
            sock.abort()
            sock.deleteLater()


@dataclass(eq=False)
class _Client:
    """A connection whose request is still being read."""

    sock: QLocalSocket
    timer: QTimer
    data: bytearray = field(default_factory=bytearray)
    links: list[QMetaObject.Connection] = field(default_factory=list)


def _stale_file(name: str) -> bool:
    """Is ``name`` a socket file (so removing it can only remove a socket)?"""
    try:
        return stat.S_ISSOCK(os.lstat(name).st_mode)
    except OSError:
        return False

"""A real WebDAV server for the sync tests: wsgidav on cheroot, on 127.0.0.1, one user, with a
switch that makes it fail (500, 507, a cut-off upload) from the n-th write on."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

USER, PASSWORD = "reader", "茶馆-secret-1"


class Faults:
    """Fail writes (PUT, MOVE) from the ``after``-th one on: ``status`` 500/507, or ``cut``:
    read half the upload and drop it (the client sees an error)."""

    def __init__(self) -> None:
        self.status = 0
        self.after = 0
        self.methods = ("PUT", "MOVE")
        self.cut = False
        self.writes = 0
        self.failed = 0

    def clear(self) -> None:
        self.status, self.cut = 0, False


class _Middleware:
    def __init__(self, app: Any, faults: Faults) -> None:
        self.app, self.faults = app, faults

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        f = self.faults
        if environ.get("REQUEST_METHOD") in f.methods:
            f.writes += 1
            if (f.status or f.cut) and f.writes > f.after:
                f.failed += 1
                if f.cut:
                    length = int(environ.get("CONTENT_LENGTH") or 0)
                    environ["wsgi.input"].read(length // 2)
                    raise ConnectionResetError("upload cut off")
                reason = {500: "Internal Server Error", 507: "Insufficient Storage"}[f.status]
                start_response(f"{f.status} {reason}", [("Content-Type", "text/plain"),
                                                        ("Content-Length", "0")])
                return [b""]
        return self.app(environ, start_response)


class Server:
    def __init__(self, root: Path) -> None:
        from cheroot import wsgi
        from wsgidav.wsgidav_app import WsgiDAVApp

        root.mkdir(parents=True, exist_ok=True)
        config = {
            "host": "127.0.0.1", "port": 0,
            "provider_mapping": {"/dav": str(root)},
            "simple_dc": {"user_mapping": {"*": {USER: {"password": PASSWORD}}}},
            "http_authenticator": {"accept_basic": True, "accept_digest": False,
                                   "default_to_digest": False},
            "verbose": 0,
            "logging": {"enable": False, "enable_loggers": []},
            "property_manager": True, "lock_storage": True,
        }
        self.faults = Faults()
        app = _Middleware(WsgiDAVApp(config), self.faults)
        self.server = wsgi.Server(("127.0.0.1", 0), app, numthreads=4)
        self.server.prepare()
        self.port = self.server.bind_addr[1]
        self.url = f"http://127.0.0.1:{self.port}/dav/"
        self.root = root
        self.thread = threading.Thread(target=self.server.serve, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.stop()
        self.thread.join(10)

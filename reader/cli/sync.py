"""``pizhu sync``: sync this library with other devices (issue 16; docs/SYNC.md).

    pizhu sync --folder DIR [--device-name N]      use a folder (Syncthing, Nextcloud, 坚果云…)
    pizhu sync --webdav URL --user U [--password-stdin] [--device-name N]
    pizhu sync                                     sync with the remembered target
    pizhu sync --status [--json]                   last sync, changes waiting, the last error
    pizhu sync --off                               forget the target (sync is off)

The WebDAV password comes from ``PIZHU_WEBDAV_PASSWORD``, the system keyring, ``--password-stdin``
or a prompt (then kept in the keyring); never from a settings file or the command line. Exit
codes as in reader.cli: 0 done, 1 the sync failed (the message says why), 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.cli.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, print_json

if TYPE_CHECKING:
    from reader.core.library import Library


def _fail(message: str, code: int = EXIT_FAILED) -> int:
    print(f"pizhu: sync: {message}", file=sys.stderr)
    return code


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _describe(target: dict[str, str] | None) -> str:
    if not target:
        return "off"
    if target.get("kind") == "folder":
        return f"folder {target.get('path', '')}"
    return f"WebDAV {target.get('url', '')} as {target.get('user', '')}"


def _password(args: argparse.Namespace, url: str, user: str) -> str | None:
    from getpass import getpass

    from reader.core.sync import SyncError, password_for, store_password

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        found = password_for(url, user)
        if found is not None:
            return found
        if not sys.stdin.isatty():
            return None
        password = getpass(f"WebDAV password for {user} at {url}: ")
    if not password:
        return None
    try:
        store_password(url, user, password)
    except SyncError as e:
        print(f"pizhu: sync: {e}; using it for this sync only", file=sys.stderr)
    return password


def cmd_sync(lib: Library, args: argparse.Namespace) -> int:
    from reader.core.sync import SyncEngine, SyncError

    engine = SyncEngine(lib)
    if args.status:
        return _status(engine, args.json)
    if args.off:
        engine.configure(None)
        print("sync is off (the logs in the target are left as they are)")
        return EXIT_OK
    password = None
    try:
        if args.folder is not None:
            if not args.folder.strip():
                return _fail("--folder was given an empty folder name", EXIT_USAGE)
            folder = Path(args.folder).expanduser().resolve()
            if folder == lib.root.resolve() or lib.root.resolve() in folder.parents:
                return _fail(f"{folder}: the sync folder must be outside the library folder",
                             EXIT_USAGE)
            if not folder.is_dir():
                return _fail(f"{folder}: no such folder (create it, or mount the drive)")
            engine.configure({"kind": "folder", "path": str(folder)}, args.device_name)
        elif args.webdav is not None:
            url = args.webdav.strip()
            if not url.startswith(("http://", "https://")) or not args.user:
                return _fail("--webdav wants an http(s):// address and --user", EXIT_USAGE)
            password = _password(args, url, args.user)
            if password is None:
                return _fail(f"no password for {args.user} (set PIZHU_WEBDAV_PASSWORD, pipe it "
                             "with --password-stdin, or run in a terminal to be asked)")
            engine = SyncEngine(lib, password=password)
            engine.configure({"kind": "webdav", "url": url, "user": args.user},
                             args.device_name)
        elif args.device_name is not None:
            engine.configure(engine.settings()["target"], args.device_name)
        if not engine.settings()["target"]:
            return _fail("sync is off: give --folder DIR or --webdav URL --user U once",
                         EXIT_USAGE)
        report = engine.sync()
    except SyncError as e:
        return _fail(str(e))
    if args.json:
        print_json(report.to_json())
        return EXIT_OK
    print(f"sent {_n(report.sent_ops, 'change')} ({_n(report.sent_files, 'file')}, "
          f"{report.sent_bytes / 1024:.0f} KB), received {_n(report.received_ops, 'change')} "
          f"({_n(report.received_files, 'file')}, {report.changed} applied) "
          f"in {report.seconds:.1f} s")
    if report.waiting:
        print(f"{report.waiting} changes from other devices wait for files still on their way")
    for bad in report.unreadable:
        print(f"not yet readable (left for the next sync): {bad}")
    return EXIT_OK


def _status(engine: Any, as_json: bool) -> int:
    st = engine.status()
    if as_json:
        print_json(st)
        return EXIT_OK
    print(f"sync:            {_describe(st['target'])}")
    if st["enabled"]:
        print(f"device:          {st['device_name']} ({st['device']})")
        print(f"last sync:       {st['last_sync'] or 'never'}")
        print(f"changes waiting: {st['changes_waiting']}")
        if st["remote_waiting"]:
            print(f"arrived, waiting for other files: {st['remote_waiting']}")
        if st["last_error"]:
            print(f"last error:      {st['last_error']}")
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``pizhu sync`` to the parser."""
    s = sub.add_parser("sync", help="sync with other devices through a folder or a WebDAV server")
    where = s.add_mutually_exclusive_group()
    where.add_argument("--folder", metavar="DIR",
                       help="sync through this folder (kept in step by Syncthing, Nextcloud, "
                       "坚果云, Dropbox…); remembered")
    where.add_argument("--webdav", metavar="URL", help="sync through this WebDAV folder; "
                       "remembered (the password goes to the system keyring)")
    where.add_argument("--status", action="store_true", help="show the sync state and exit")
    where.add_argument("--off", action="store_true", help="turn sync off")
    s.add_argument("--user", metavar="U", help="the WebDAV user name")
    s.add_argument("--password-stdin", action="store_true",
                   help="read the WebDAV password from standard input")
    s.add_argument("--device-name", metavar="N", help="this device's name as others see it")
    s.add_argument("--json", action="store_true", help="print the report as JSON")
    s.set_defaults(func=cmd_sync)

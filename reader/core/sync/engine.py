"""One sync: capture, write this device's new log files, read the others', merge, compact.

Crash safety: every step is either a database transaction or an idempotent file operation, in
an order where dying between two steps repeats work but never loses or doubles it —

1. *capture* local changes into ``sync_outbox`` (one transaction);
2. *seal* the outbox into numbered files: ``sync_files`` records which outbox rows file N holds
   (one transaction) — the bytes are made from those rows, deterministically, whenever needed;
3. *write* each sealed file to the target (temporary name, then rename/MOVE), then forget its
   rows (one transaction): dying before that writes the same bytes under the same name again;
4. *read* other devices' files not yet seen, each merged and marked seen in one transaction
   (``origin="sync"``): a file that does not decode whole is left for next time;
5. *compact* now and then: a snapshot of the whole state, then this device's logs it covers are
   deleted (never another device's; tombstones stay in every snapshot).
"""

from __future__ import annotations

import json
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from reader.core.sync import logfmt
from reader.core.sync.hlc import Clock, wall_ms
from reader.core.sync.logfmt import Op
from reader.core.sync.merge import (
    IMAGE_FILE,
    Capture,
    Merge,
    Scope,
    ShadowTable,
    article_rows,
    article_values,
    highlight_rows,
    highlight_values,
    now_iso,
    structure_value,
    tag_key,
)
from reader.core.sync.targets import SyncError, Target, make_target

log = logging.getLogger(__name__)

FILE_OPS = 4000  # operations per log file at most
FILE_BYTES = 8 << 20  # ... and about this many bytes of JSON before compression
SNAPSHOT_AFTER = 40  # own log files in the target before a snapshot compacts them
KEEP_SNAPSHOTS = 2  # own snapshots kept (the newest is read; the one before is a spare)

Progress = Callable[[int, int, str], None]


@dataclass
class SyncReport:
    sent_files: int = 0
    sent_ops: int = 0
    sent_bytes: int = 0
    received_files: int = 0
    received_ops: int = 0
    changed: int = 0
    waiting: int = 0
    unreadable: list[str] = field(default_factory=list)  # "name: reason"
    snapshot: str = ""
    compacted: int = 0
    images_sent: int = 0
    images_received: int = 0
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


# ---------------------------------------------------------------------- settings (sync_meta)
def meta_get(ex: Any, key: str, default: str = "") -> str:
    row = ex.execute("SELECT value FROM sync_meta WHERE key = ?", (key,)).fetchone()
    return default if row is None else str(row[0])


def meta_set(ex: Any, key: str, value: str) -> None:
    ex.execute("INSERT OR REPLACE INTO sync_meta(key, value) VALUES (?, ?)", (key, value))


def new_device_id() -> str:
    return secrets.token_hex(6)


def enabled(ex: Any) -> bool:
    return bool(meta_get(ex, "device"))


# ---------------------------------------------------------------------- capture hook
class _Hook:
    """``before_commit``: a local change and its log entries commit together."""

    def __init__(self, wall: Callable[[], int]) -> None:
        self.wall = wall

    def __call__(self, tx: Any) -> None:
        if tx.origin == "sync" or not tx.changes:
            return
        device = meta_get(tx, "device")
        if not device or not meta_get(tx, "target"):
            return  # sync is off (never on, or turned off): nothing is recorded
        scope = Scope.from_changes(tx.changes)
        if not scope:
            return
        clock = Clock(device, meta_get(tx, "hlc"), self.wall)
        # never the reason a user's change is not saved: a failure here is undone alone, logged,
        # and the comparison before the next sync finds the change instead
        tx.execute("SAVEPOINT sync_capture")
        try:
            if Capture(tx, clock).run(scope):
                meta_set(tx, "hlc", clock.last())
        except Exception:
            tx.execute("ROLLBACK TO sync_capture")
            log.exception("sync: recording a change failed; the next sync compares everything")
        tx.execute("RELEASE sync_capture")


def attach(lib: Any, wall: Callable[[], int] = wall_ms) -> None:
    """Record this library's changes for sync as they are made (idempotent)."""
    hooks = lib.store.before_commit
    if not any(isinstance(h, _Hook) for h in hooks):
        hooks.append(_Hook(wall))


# ---------------------------------------------------------------------- the engine
class SyncEngine:
    def __init__(self, lib: Any, target: Target | None = None, *,
                 wall: Callable[[], int] = wall_ms, password: str | None = None) -> None:
        self.lib = lib
        self.store = lib.store
        self.wall = wall
        self._target = target
        self._explicit = target is not None  # given by the caller: kept when configuring
        self._listing: dict[str, dict[str, int]] = {}
        self._password = password
        attach(lib, wall)
        for h in self.store.before_commit:
            if isinstance(h, _Hook):
                h.wall = wall

    # -- settings
    def settings(self) -> dict[str, Any]:
        ex = self.store.reader()
        spec = meta_get(ex, "target")
        return {
            "device": meta_get(ex, "device"),
            "device_name": meta_get(ex, "device_name"),
            "target": json.loads(spec) if spec else None,
        }

    def configure(self, spec: dict[str, str] | None, device_name: str | None = None) -> None:
        """Set (or with None clear) the target; the first time, sync is turned on: this device
        gets its id and everything in the library is recorded for the others."""
        with self.store.transaction() as tx:
            if spec is None:
                tx.execute("DELETE FROM sync_meta WHERE key = 'target'")
                return
            meta_set(tx, "target", json.dumps(spec, sort_keys=True))
            if not meta_get(tx, "device"):
                meta_set(tx, "device", new_device_id())
                meta_set(tx, "next_seq", "1")
            if device_name is not None:
                meta_set(tx, "device_name", device_name)
            elif not meta_get(tx, "device_name"):
                import platform

                meta_set(tx, "device_name", platform.node() or "Pizhu")
        if not self._explicit:
            self._target = None

    @property
    def target(self) -> Target:
        if self._target is None:
            spec = self.settings()["target"]
            if not spec:
                raise SyncError("sync is off: choose a sync folder or a WebDAV server first")
            self._target = make_target(spec, self._password)
        return self._target

    # -- status
    def status(self) -> dict[str, Any]:
        ex = self.store.reader()
        s = self.settings()
        # things changed here and not yet sent (a new highlight is one, whatever its fields)
        waiting = ex.execute(
            "SELECT count(DISTINCT json_extract(line, '$[0]') || ' ' || json_extract(line, '$[1]'))"
            " FROM sync_outbox").fetchone()[0]
        pending = ex.execute("SELECT count(*) FROM sync_pending").fetchone()[0]
        last = meta_get(ex, "last_sync")
        return {
            "enabled": bool(s["target"]),
            "device": s["device"], "device_name": s["device_name"],
            "target": s["target"],
            "last_sync": last, "last_error": meta_get(ex, "last_error"),
            "last_report": json.loads(meta_get(ex, "last_report") or "{}"),
            "changes_waiting": int(waiting),
            "remote_waiting": int(pending),
            "files_seen": int(ex.execute("SELECT count(*) FROM sync_seen").fetchone()[0]),
        }

    # -- the sync
    def sync(self, progress: Progress | None = None,
             cancelled: Callable[[], bool] | None = None) -> SyncReport:
        t0 = time.perf_counter()
        report = SyncReport()
        self._listing = {}
        note = progress or (lambda *_: None)
        try:
            if not self.settings()["device"]:
                raise SyncError("sync is off: choose a sync folder or a WebDAV server first")
            target = self.target
            note(0, 5, "connecting")
            target.prepare()
            self._check_clash(target)
            note(1, 5, "recording changes")
            self.capture_all()
            self._seal()
            note(2, 5, "sending")
            self._send(report)
            self._send_images(report)
            note(3, 5, "receiving")
            # the window and the search index hear of everything merged once, at the end (one
            # bulk index update instead of one per file)
            with self.store.batch():
                self._receive(report, cancelled)
            self._fetch_images(report)
            note(4, 5, "compacting")
            self._compact(report)
        except SyncError as e:
            self._close()
            self._finish(report, t0, str(e))
            raise
        except Exception as e:
            if type(e).__name__ in ("WriteFailed", "LibraryError", "ReadOnlyLibrary"):
                self._finish(report, t0, str(e))
                raise SyncError(str(e)) from None
            raise
        finally:
            self._close()
        self._finish(report, t0, "")
        note(5, 5, "done")
        return report

    def _ls(self, folder: str) -> dict[str, int]:
        """The target's listing of a folder, read once per sync (a WebDAV request each) and
        kept up to date with what this sync writes and deletes there."""
        if folder not in self._listing:
            self._listing[folder] = dict(self.target.list(folder))
        return self._listing[folder]

    def _put(self, path: str, data: bytes) -> None:
        self.target.write(path, data)
        folder, _, name = path.rpartition("/")
        if folder in self._listing:
            self._listing[folder][name] = len(data)

    def _remove(self, path: str) -> None:
        self.target.delete(path)
        folder, _, name = path.rpartition("/")
        self._listing.get(folder, {}).pop(name, None)

    def _close(self) -> None:
        self._listing = {}
        if self._target is not None:
            try:
                self._target.close()
            except Exception:
                log.exception("closing the sync target failed")

    def _finish(self, report: SyncReport, t0: float, error: str) -> None:
        report.seconds = round(time.perf_counter() - t0, 3)
        try:
            with self.store.transaction() as tx:
                if not error:
                    meta_set(tx, "last_sync", now_iso())
                meta_set(tx, "last_error", error)
                meta_set(tx, "last_report", json.dumps(report.to_json()))
        except Exception:
            log.exception("could not record the sync's outcome")

    def capture_all(self) -> int:
        """Record every change not yet recorded (the safety net under the commit hook)."""
        with self.store.transaction() as tx:
            clock = self._clock(tx)
            n = Capture(tx, clock).run(Scope(full=True))
            meta_set(tx, "hlc", clock.last())
        return n

    def _clock(self, ex: Any) -> Clock:
        return Clock(meta_get(ex, "device"), meta_get(ex, "hlc"), self.wall)

    # -- sending
    def _seal(self) -> None:
        with self.store.transaction() as tx:
            rows = tx.execute(
                "SELECT seq, length(line) FROM sync_outbox WHERE seq > coalesce((SELECT"
                " max(last) FROM sync_files), 0) ORDER BY seq").fetchall()
            if not rows:
                return
            device = meta_get(tx, "device")
            nxt = int(meta_get(tx, "next_seq", "1"))
            first, count, size = rows[0][0], 0, 0
            for i, (seq, length) in enumerate(rows):
                count += 1
                size += length
                last_row = i == len(rows) - 1
                if count >= FILE_OPS or size >= FILE_BYTES or last_row:
                    tx.execute("INSERT INTO sync_files(seq, first, last, name) VALUES (?,?,?,?)",
                               (nxt, first, seq, logfmt.log_name(device, nxt)))
                    nxt += 1
                    if not last_row:
                        first, count, size = rows[i + 1][0], 0, 0
            meta_set(tx, "next_seq", str(nxt))

    def _file_bytes(self, ex: Any, seq: int, first: int, last: int) -> tuple[bytes, int]:
        lines = ex.execute("SELECT line FROM sync_outbox WHERE seq BETWEEN ? AND ? ORDER BY seq",
                           (first, last)).fetchall()
        latest: dict[tuple[str, str, str], Op] = {}
        for (line,) in lines:  # a field changed many times: its last value is enough
            op = json.loads(line)
            key = (op[0], op[1], op[2])
            if key not in latest or latest[key][3] < op[3]:
                latest[key] = op
        ops = list(latest.values())
        device = meta_get(ex, "device")
        data = logfmt.encode({"device": device, "seq": seq,
                              "hlc": max((o[3] for o in ops), default="")}, ops)
        return data, len(ops)

    def _send(self, report: SyncReport) -> None:
        files = self.store.reader().execute(
            "SELECT seq, first, last, name FROM sync_files ORDER BY seq").fetchall()
        for seq, first, last, name in files:
            data, n = self._file_bytes(self.store.reader(), seq, first, last)
            self._put(f"{logfmt.LOGS}/{name}", data)
            with self.store.transaction() as tx:
                tx.execute("DELETE FROM sync_outbox WHERE seq BETWEEN ? AND ?", (first, last))
                tx.execute("DELETE FROM sync_files WHERE seq = ?", (seq,))
                tx.execute("INSERT OR IGNORE INTO sync_seen(name, device, seq, seen_at)"
                           " VALUES (?,?,?,?)", (name, meta_get(tx, "device"), seq, now_iso()))
            report.sent_files += 1
            report.sent_ops += n
            report.sent_bytes += len(data)

    # -- pictures: content-addressed files beside the logs (``images/<sha256>.<ext>``)
    def _image_files(self) -> list[str]:
        return [r[0] for r in self.store.reader().execute(
            "SELECT DISTINCT file FROM article_images WHERE file != ''")
            if IMAGE_FILE.match(r[0])]

    def _send_images(self, report: SyncReport) -> None:
        """Every picture an article here refers to and the target lacks (a picture's name is
        its content's hash: never two versions of one name)."""
        remote = self._ls("images")
        root = self.lib.root
        for rel in self._image_files():
            name = rel.rsplit("/", 1)[-1]
            if name in remote:
                continue
            try:
                data = (root / rel).read_bytes()
            except OSError:
                continue  # missing here too (a restore without pictures): nothing to send
            self._put(f"images/{name}", data)
            report.sent_bytes += len(data)
            report.images_sent += 1

    def _fetch_images(self, report: SyncReport) -> None:
        """Pictures that synced articles refer to and this library lacks: fetched, checked
        against their hash, stored where the article's record says. One still on its way is
        fetched at a later sync (the reader shows a placeholder meanwhile)."""
        import hashlib
        import os
        import tempfile

        root = self.lib.root
        missing = [rel for rel in self._image_files() if not (root / rel).exists()]
        if not missing:
            return
        remote = self._ls("images")
        for rel in missing:
            name = rel.rsplit("/", 1)[-1]
            if name not in remote:
                continue
            data = self.target.read(f"images/{name}")
            if hashlib.sha256(data).hexdigest() != name.split(".", 1)[0]:
                report.unreadable.append(f"images/{name}: its content does not match its name")
                continue
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                os.replace(tmp, path)
            except BaseException:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
                raise
            report.images_received += 1

    # -- receiving
    def _receive(self, report: SyncReport, cancelled: Callable[[], bool] | None) -> None:
        target = self.target
        ex = self.store.reader()
        device = meta_get(ex, "device")
        seen = {r[0] for r in ex.execute("SELECT name FROM sync_seen")}
        logs = [n for n in (logfmt.parse_name(x, snapshot=False)
                            for x in self._ls(logfmt.LOGS)) if n]
        snaps = [n for n in (logfmt.parse_name(x, snapshot=True)
                             for x in self._ls(logfmt.SNAPSHOTS)) if n]
        # snapshots first: one that covers logs not seen here replaces reading them
        newest: dict[str, logfmt.FileName] = {}
        for s in snaps:
            if s.device != device and s.name not in seen and not s.copy and (
                    s.device not in newest or newest[s.device].seq < s.seq):
                newest[s.device] = s
        for s in sorted(newest.values(), key=lambda f: (f.device, f.seq)):
            if cancelled and cancelled():
                return
            self._read_snapshot(target, s, logs, seen, report)
        for f in sorted(logs, key=lambda f: (f.device, f.seq, f.name)):
            if f.name in seen or (f.device == device and not f.copy):
                continue
            if cancelled and cancelled():
                return
            try:
                header, ops = logfmt.decode(target.read(f"{logfmt.LOGS}/{f.name}"))
            except logfmt.BadFile as e:
                report.unreadable.append(f"{f.name}: {e}")
                continue
            self._merge(ops, f, report)
            seen.add(f.name)
        # retry what waited for something that has arrived meanwhile
        if self.store.reader().execute("SELECT 1 FROM sync_pending LIMIT 1").fetchone():
            self._merge([], None, report)

    def _merge(self, ops: list[Op], f: logfmt.FileName | None, report: SyncReport,
               covers: tuple[logfmt.FileName, ...] = ()) -> None:
        with self.store.transaction(origin="sync") as tx:
            clock = self._clock(tx)
            result = Merge(tx, clock).run(ops)
            meta_set(tx, "hlc", clock.last())
            stamp = now_iso()
            for g in ([f] if f else []) + list(covers):
                tx.execute("INSERT OR IGNORE INTO sync_seen(name, device, seq, seen_at)"
                           " VALUES (?,?,?,?)", (g.name, g.device, g.seq, stamp))
        if f is not None:
            report.received_files += 1
        report.received_ops += len(ops)
        report.changed += result.won
        report.waiting = int(self.store.reader().execute(
            "SELECT count(*) FROM sync_pending").fetchone()[0])

    def _read_snapshot(self, target: Target, s: logfmt.FileName, logs: list[logfmt.FileName],
                       seen: set[str], report: SyncReport) -> None:
        try:
            header, ops = logfmt.decode(target.read(f"{logfmt.SNAPSHOTS}/{s.name}"))
        except logfmt.BadFile as e:
            report.unreadable.append(f"{s.name}: {e}")
            return
        covers = {str(k): int(v) for k, v in dict(header.get("covers") or {}).items()}
        covered = [f for f in logs if not f.copy and f.seq <= covers.get(f.device, 0)
                   and f.name not in seen]
        # also the covered logs that are gone from the target (compacted): seen through it
        present = {f.name for f in logs}
        for dev, upto in covers.items():
            for seq in range(1, upto + 1):
                name = logfmt.log_name(dev, seq)
                if name not in present and name not in seen:
                    covered.append(logfmt.FileName(name, dev, seq, False, False))
        if not covered:  # nothing new in it for us
            self._mark_seen([s])
            return
        self._merge(ops, s, report, tuple(covered))
        seen.update(f.name for f in covered)
        seen.add(s.name)

    def _mark_seen(self, files: list[logfmt.FileName]) -> None:
        with self.store.transaction(origin="sync") as tx:
            for f in files:
                tx.execute("INSERT OR IGNORE INTO sync_seen(name, device, seq, seen_at)"
                           " VALUES (?,?,?,?)", (f.name, f.device, f.seq, now_iso()))

    def _check_clash(self, target: Target) -> None:
        """A copy of this library (a restored backup, a cloned disk) writing under the same
        device id: a file under this id that this library did not write means the id is taken;
        this library takes a new one (its unsent files are renumbered) and reads the other's
        files like any device's. Checked before anything is written."""
        ex = self.store.reader()
        device = meta_get(ex, "device")
        nxt = int(meta_get(ex, "next_seq", "1"))
        unsent = {r[0]: (r[1], r[2]) for r in ex.execute(
            "SELECT seq, first, last FROM sync_files")}
        clash = False
        for f in (logfmt.parse_name(x, snapshot=False) for x in self._ls(logfmt.LOGS)):
            if f is None or f.device != device or f.copy:
                continue
            if f.seq >= nxt:
                clash = True
            elif f.seq in unsent:  # written before a crash, or by the other copy?
                first, last = unsent[f.seq]
                mine, _n = self._file_bytes(ex, f.seq, first, last)
                if target.read(f"{logfmt.LOGS}/{f.name}") != mine:
                    clash = True
            if clash:
                break
        if not clash:
            return
        new = new_device_id()
        with self.store.transaction() as tx:
            meta_set(tx, "device", new)
            rows = tx.execute("SELECT seq FROM sync_files ORDER BY seq").fetchall()
            for i, (seq,) in enumerate(rows, 1):
                tx.execute("UPDATE sync_files SET seq = ?, name = ? WHERE seq = ?",
                           (-i, logfmt.log_name(new, i), seq))
            tx.execute("UPDATE sync_files SET seq = -seq")
            meta_set(tx, "next_seq", str(len(rows) + 1))
            # the files under the old id from here on are the other copy's: read them
            tx.execute("DELETE FROM sync_seen WHERE device = ? AND seq >= ?",
                       (device, min([nxt, *unsent])))
        log.warning("sync: device id %s is used by another copy of this library; now %s",
                    device, new)

    # -- snapshots and compaction
    def _compact(self, report: SyncReport, force: bool = False) -> None:
        device = meta_get(self.store.reader(), "device")
        mine = [n for n in (logfmt.parse_name(x, snapshot=False)
                            for x in self._ls(logfmt.LOGS)) if n and n.device == device
                and not n.copy]
        if len(mine) < SNAPSHOT_AFTER and not force:
            return
        name, covers = self.write_snapshot(report)
        report.snapshot = name
        upto = covers.get(device, 0)
        for f in mine:
            if f.seq <= upto:
                self._remove(f"{logfmt.LOGS}/{f.name}")
                report.compacted += 1
        snaps = sorted((n for n in (logfmt.parse_name(x, snapshot=True)
                                    for x in self._ls(logfmt.SNAPSHOTS))
                        if n and n.device == device and not n.copy), key=lambda f: f.seq)
        for old in snaps[:-KEEP_SNAPSHOTS]:
            self._remove(f"{logfmt.SNAPSHOTS}/{old.name}")

    def write_snapshot(self, report: SyncReport | None = None) -> tuple[str, dict[str, int]]:
        """This device's whole state (tombstones included) as one file in ``snapshots/``;
        returns its name and the log files it covers (per device, all up to that number)."""
        self.capture_all()
        self._seal()
        self._send(SyncReport())
        ex = self.store.reader()
        device = meta_get(ex, "device")
        covers = _covers(ex)
        ops = state_ops(ex)
        seq = max(covers.get(device, 0), 1)
        name = logfmt.snapshot_name(device, seq)
        data = logfmt.encode({"device": device, "seq": seq, "snapshot": True,
                              "covers": covers}, ops)
        self._put(f"{logfmt.SNAPSHOTS}/{name}", data)
        if report is not None:
            report.sent_bytes += len(data)
        return name, covers


def _covers(ex: Any) -> dict[str, int]:
    """Per device, the highest N such that its log files 1..N have all been merged here."""
    seqs: dict[str, set[int]] = {}
    for device, seq in ex.execute("SELECT device, seq FROM sync_seen"):
        seqs.setdefault(device, set()).add(int(seq))
    out = {}
    for device, s in seqs.items():
        n = 0
        while n + 1 in s:
            n += 1
        if n:
            out[device] = n
    return out


def state_ops(ex: Any) -> list[Op]:
    """Every synced field with its stamp and current value, tombstones included, and the
    remote operations still waiting here (so a snapshot never drops what it has not placed)."""
    sh = ShadowTable(ex)
    for kind in ("a", "h", "at", "ht", "t", "v"):
        sh.load_kind(kind)
    arts = {r["uuid"]: r for r in article_rows(ex, None, body=True)}
    hls = {r["uuid"]: r for r in highlight_rows(ex)}
    on: dict[str, str] = {}
    for owner, name in ex.execute(
            "SELECT a.uuid, t.name FROM article_tags x JOIN articles a ON a.id = x.article_id"
            " JOIN tags t ON t.id = x.tag_id"):
        on[f"at:{owner}\t{tag_key(name)}"] = name
    for owner, name in ex.execute(
            "SELECT h.uuid, t.name FROM highlight_tags x JOIN highlights h ON h.id ="
            " x.highlight_id JOIN tags t ON t.id = x.tag_id"):
        on[f"ht:{owner}\t{tag_key(name)}"] = name
    tags = {tag_key(r[0]): r[0] for r in ex.execute("SELECT name FROM tags")}
    ops: list[Op] = []
    for (kind, id_), (_parent, st) in sorted(sh.rows.items()):
        if "gone" in st:
            into = st.get("_into")
            ops.append([kind, id_, "gone", st["gone"][0], {"into": into[1]} if into else True])
            # a merged-away article's last values go with it (see Merge._stash)
            ops += [[kind, id_, f[5:], hv[0], hv[1]] for f, hv in sorted(st.items())
                    if f.startswith("_was.")]
            continue
        vals: dict[str, object]
        if kind == "a":
            r = arts.get(id_)
            if r is None:
                continue
            vals = article_values(r)
            vals["body"] = r["body"]
            vals["structure"] = structure_value(ex, r["id"])
        elif kind == "h":
            r = hls.get(id_)
            if r is None:
                continue
            vals = highlight_values(r)
        elif kind in ("at", "ht"):
            vals = {"on": on.get(f"{kind}:{id_}")}
        elif kind == "t":
            if id_ not in tags:
                continue
            vals = {"name": tags[id_]}
        else:
            uuid, chash = id_.split("\t", 1)
            v = ex.execute(
                "SELECT v.title, v.body, v.replaced_at, v.reason FROM article_versions v JOIN"
                " articles a ON a.id = v.article_id WHERE a.uuid = ? AND v.content_hash = ?"
                " LIMIT 1", (uuid, chash)).fetchone()
            if v is None:
                continue
            vals = {"v": {"title": v[0], "body": v[1], "replaced_at": v[2], "reason": v[3]}}
        for f, (h, _hash) in st.items():
            if f in vals:
                ops.append([kind, id_, f, h, vals[f]])
    for r in ex.execute("SELECT kind, id, field, hlc, value FROM sync_pending"):
        ops.append([r[0], r[1], r[2], r[3], json.loads(r[4])])
    return ops

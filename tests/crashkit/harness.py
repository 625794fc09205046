"""The SIGKILL harness: kill a working Pizhu process at seeded points and check what survives.

A *child* process (multiprocessing, forked from a warm fork server so that jieba's dictionary is
loaded once) opens a library and runs an endless seeded mix of imports, re-imports of corrected
articles, highlight edits (add, update note/colour/tags, delete, undelete), article tags and full
reindexes. Before each operation it appends a ``begin`` record with the complete expected outcome
to a side log, and after the call returns a ``done`` record; each record is fsync'd. The parent kills
the child with SIGKILL, either after a seeded delay (``timer``) or by arming a trip wire in the
child that kills it at the k-th write-ish event (``event``: an SQLite statement other than a
SELECT, or a file opened for writing / renamed / removed — Whoosh's files included), which lands
exactly inside commits and is reproducible.

After every kill the parent copies the library as the kill left it (so the next child starts from
the crashed state, and repairs it itself) and checks the copy:

* ``PRAGMA integrity_check`` is ``ok`` and ``PRAGMA foreign_key_check`` is empty;
* every annotation whose write was reported done is present and intact (uuid, article, quote,
  note, colour, tags, deletion marker; quote == body[start:end]); the operation in flight at the
  kill either happened completely or not at all (and is then adopted as the new expectation);
* no half-imported file: every ``imported_files`` row of a plain import has all its articles, no
  article lacks its file's row, and a corrected re-import changed the article and recorded its
  file together or not at all;
* opening the copy with :class:`~reader.core.library.Library` repairs the index: the queue is empty,
  ``doc_count`` equals the number of articles, and searching for the unique token of an article
  (or of a note) returns exactly the articles whose stored text holds it.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing as mp
import os
import random
import re
import shutil
import signal
import sqlite3
import sys
import time
import uuid as uuidlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ART_ALPHA = "甲乙丙丁戊己庚辛壬癸"  # article tokens (never in filler text)
NOTE_ALPHA = "子丑寅卯辰巳午未申酉戌亥"  # note tokens
ART_TOKEN = re.compile(f"[{ART_ALPHA}]{{8}}")
NOTE_TOKEN = re.compile(f"[{NOTE_ALPHA}]{{8}}")
TAGS = ["能源", "民生", "教育", "交通", "环保", "科技", "文化", "体育", "医疗", "农业"]
COLORS = ["yellow", "green", "blue", "pink", "purple", "orange"]
FILLER = [
    "社区里新开了一家便民服务站，周末也照常营业。",
    "记者在现场看到，工作人员正在逐一核对报名信息。",
    "负责人介绍，今年计划新增停车位八百余个。",
    "不少居民表示，出行比过去方便多了。",
    "据统计，本季度共接待来访群众三千多人次。",
    "下一步，相关部门将继续加强日常巡查。",
    "学校组织学生走进博物馆，了解城市历史。",
    "这条步道全长六公里，沿途设有休息区。",
    "专家建议，冬季出行要注意防滑保暖。",
    "活动吸引了周边多个街道的居民参加。",
    "新建的图书馆藏书超过十万册，欢迎读者预约。",
    "夜间公交线路调整后，末班车延后半小时。",
    "农户说，今年的蔬菜收成比往年更好。",
    "医院开设了便民门诊，老年人看病更省心。",
]


def _token(rng: random.Random, alphabet: str, n: int = 8) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def _paragraphs(rng: random.Random, token: str) -> str:
    sents = [rng.choice(FILLER) for _ in range(rng.randint(2, 5))]
    sents.insert(rng.randrange(len(sents) + 1), f"编号{token}。")
    return "".join(sents)


# ---------------------------------------------------------------------- generated files
def write_import_file(rng: random.Random, folder: Path, name: str) -> tuple[Path, str]:
    """A new file (plain article, WeChat export or marked page) with unique tokens in it."""
    kind = rng.choice(["plain", "wechat", "wechat", "page"])
    folder.mkdir(parents=True, exist_ok=True)
    if kind == "plain":
        path = folder / f"{name}.txt"
        body = "\n\n".join(_paragraphs(rng, _token(rng, ART_ALPHA)) for _ in range(rng.randint(1, 3)))
        path.write_text(f"城市新闻{_token(rng, ART_ALPHA)}\n\n{body}\n", encoding="utf-8")
    elif kind == "wechat":
        path = folder / f"{name}.json"
        entries = [
            {
                "文章标识符aid": f"{name}_{i}",
                "标题title": f"公众号文章{_token(rng, ART_ALPHA)}",
                "链接url": f"https://example.invalid/{name}/{i}",
                "时间time": f"2026-01-{rng.randint(1, 28):02d}",
                "公众号名称": "测试公众号",
                "finalContent": "\r\r".join(
                    _paragraphs(rng, _token(rng, ART_ALPHA)) for _ in range(rng.randint(1, 3))
                ),
            }
            for i in range(rng.randint(1, 3))
        ]
        path.write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
    else:
        path = folder / f"{name}.txt"
        parts = []
        for _ in range(rng.randint(2, 3)):
            parts.append(f"## 本地要闻{_token(rng, ART_ALPHA)}\n\n{_paragraphs(rng, _token(rng, ART_ALPHA))}\n")
        path.write_text("\n".join(parts), encoding="utf-8")
    return path, kind


# ---------------------------------------------------------------------- the child
class _SideLog:
    def __init__(self, path: Path) -> None:
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)

    def write(self, **rec: Any) -> None:
        os.write(self.fd, (json.dumps(rec, ensure_ascii=False) + "\n").encode())
        os.fsync(self.fd)


def _arm_tripwire(k: int) -> None:
    """SIGKILL this process at the k-th write-ish event (see the module docstring)."""
    import reader.core.library
    import reader.core.store.db
    import reader.core.store.store

    count = [0]

    def hit() -> None:
        count[0] += 1
        if count[0] >= k:
            os.kill(os.getpid(), signal.SIGKILL)

    write_flags = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND

    def hook(event: str, args: tuple) -> None:
        if event == "open":
            mode, flags = args[1], args[2]
            if (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
                isinstance(flags, int) and flags & write_flags
            ):
                hit()
        elif event in ("os.rename", "os.remove", "os.rmdir", "os.truncate", "os.mkdir",
                       "shutil.rmtree", "shutil.move"):
            hit()

    sys.addaudithook(hook)
    real_connect = reader.core.store.db.connect

    def traced(*a: Any, **kw: Any) -> sqlite3.Connection:
        conn = real_connect(*a, **kw)
        conn.set_trace_callback(lambda sql: None if sql.lstrip()[:6].upper() == "SELECT" else hit())
        return conn

    reader.core.library.connect = traced  # the writer
    reader.core.store.store.connect = traced  # the readers (their writes would be a bug)


def _hl_state(h: Any) -> dict:
    return {"article": h.article_id, "quote": h.quote, "note": h.note, "color": h.color,
            "tags": sorted(h.tags), "deleted": bool(h.deleted)}


def _sabotage(kind: str) -> None:
    """Break the library on purpose, to prove the checks can fail (see the harness tests)."""
    from reader.core.search_index import IndexKeeper

    if kind == "queue-dropped-before-index":
        # the classic mistake: forget the queued changes, then update the index
        def drain(self: IndexKeeper) -> None:
            idx = self._index
            if idx is None:
                return
            rows = self.store.reader().execute(
                "SELECT seq, article_id FROM index_queue ORDER BY seq").fetchall()
            with self.store.transaction() as w:
                w.execute("DELETE FROM index_queue")
            if rows:
                ids = sorted({r["article_id"] for r in rows})
                docs = list(self._index_docs(self.store.reader(), ids))
                idx.update(docs, watermark=rows[-1]["seq"])

        IndexKeeper.drain = drain  # type: ignore[method-assign]
    elif kind:
        raise ValueError(kind)


def child_main(lib_dir: str, inbox: str, log_path: str, seed: int, tripwire: int,
               ready: Any, sabotage: str = "") -> None:
    """Run operations on the library until killed (or until ``_MAX_OPS``)."""
    import reader.core.importing as library_module
    from reader.core.library import Library

    log = _SideLog(Path(log_path))
    rng = random.Random(seed)
    _sabotage(sabotage)
    if tripwire:
        _arm_tripwire(tripwire)
    log.write(ev="start", seed=seed, tripwire=tripwire)
    ready.set()
    # folder imports index in batches of a file or two (issue 11's batched path; its worker
    # processes are left out: spawning them per kill would make the run slow)
    library_module.INDEX_BATCH_MIN_CHARS = 200
    library_module.INDEX_WORKERS_MIN_CHARS = 10**12
    lib = Library.open(lib_dir)
    conn = lib.store.reader()
    n = 0
    while n < _MAX_OPS:
        n += 1
        arts = [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY id")]
        hls = [r[0] for r in conn.execute("SELECT uuid FROM highlights ORDER BY id")]
        op = rng.choices(
            ["import", "folder", "reimport", "add", "update", "delete", "atags", "reindex"],
            weights=[6, 4, 4, 34, 24, 12, 12, 6],
        )[0]
        if op == "folder":
            folder = Path(inbox) / f"s{seed}n{n}-dir"
            paths = [str(write_import_file(rng, folder, f"s{seed}n{n}f{i}")[0]) for i in range(3)]
            log.write(ev="begin", n=n, op="folder", paths=paths)
            rep = lib.import_paths([folder])
            log.write(ev="done", n=n, added=rep.count("added"))
        elif op == "import" or not arts:
            path, kind = write_import_file(rng, Path(inbox), f"s{seed}n{n}")
            log.write(ev="begin", n=n, op="import", path=str(path), kind=kind)
            rep = lib.import_paths([path])
            log.write(ev="done", n=n, status=rep.files[0].status, added=rep.count("added"))
        elif op == "reimport":
            row = conn.execute(
                "SELECT id, external_id, title, body, source FROM articles WHERE kind = 'wechat'"
                " ORDER BY id LIMIT 1 OFFSET ?",
                (rng.randrange(max(1, len(arts))),),
            ).fetchone() or conn.execute(
                "SELECT id, external_id, title, body, source FROM articles WHERE kind = 'wechat'"
                " ORDER BY id LIMIT 1"
            ).fetchone()
            if row is None:
                continue
            marker = _token(rng, ART_ALPHA)
            body = row["body"] + "\n\n" + f"更正补充{marker}。" + rng.choice(FILLER)
            path = Path(inbox) / f"s{seed}n{n}-fix.json"
            Path(inbox).mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps([{
                "文章标识符aid": row["external_id"], "标题title": row["title"],
                "公众号名称": row["source"], "finalContent": body,
            }], ensure_ascii=False), encoding="utf-8")
            log.write(ev="begin", n=n, op="reimport", path=str(path), article=row["id"],
                      marker=marker)
            rep = lib.import_paths([path])
            log.write(ev="done", n=n, status=rep.files[0].status, updated=rep.count("updated"))
        elif op == "add":
            aid = rng.choice(arts)
            body = conn.execute("SELECT body FROM articles WHERE id = ?", (aid,)).fetchone()[0]
            start = rng.randrange(max(1, len(body) - 1))
            end = min(len(body), start + rng.randint(1, 12))
            hid = str(uuidlib.UUID(int=rng.getrandbits(128), version=4))
            note = f"想法{_token(rng, NOTE_ALPHA)}" if rng.random() < 0.7 else ""
            tags = sorted(rng.sample(TAGS, rng.randint(0, 2)))
            color = rng.choice(COLORS)
            state = {"article": aid, "quote": body[start:end], "note": note, "color": color,
                     "tags": tags, "deleted": False}
            log.write(ev="begin", n=n, op="add", uuid=hid, state=state)
            lib.add_highlight(aid, start, end, color=color, note=note, tags=tags, uuid=hid)
            log.write(ev="done", n=n)
        elif op in ("update", "delete") and hls:
            hid = rng.choice(hls)
            state = _hl_state(lib.highlight(hid))
            if op == "update":
                what = rng.choice(["note", "color", "tags", "all"])
                kw: dict[str, Any] = {}
                if what in ("note", "all"):
                    kw["note"] = state["note"] = (
                        f"改写{_token(rng, NOTE_ALPHA)}" if rng.random() < 0.8 else ""
                    )
                if what in ("color", "all"):
                    kw["color"] = state["color"] = rng.choice(COLORS)
                if what in ("tags", "all"):
                    kw["tags"] = sorted(rng.sample(TAGS, rng.randint(0, 3)))
                    state["tags"] = kw["tags"]
                log.write(ev="begin", n=n, op="update", uuid=hid, state=state)
                lib.update_highlight(hid, **kw)
            else:
                state["deleted"] = not state["deleted"]
                log.write(ev="begin", n=n, op="delete", uuid=hid, state=state)
                lib.delete_highlight(hid, deleted=state["deleted"])
            log.write(ev="done", n=n)
        elif op == "atags":
            aid = rng.choice(arts)
            tags = sorted(rng.sample(TAGS, rng.randint(0, 3)))
            log.write(ev="begin", n=n, op="atags", article=aid, tags=tags)
            lib.set_article_tags(aid, tags)
            log.write(ev="done", n=n)
        elif op == "reindex":
            log.write(ev="begin", n=n, op="reindex")
            lib.reindex()
            log.write(ev="done", n=n)
    lib.close()
    log.write(ev="finished")


_MAX_OPS = 400


# ---------------------------------------------------------------------- the model
@dataclass
class Expected:
    highlights: dict[str, dict] = field(default_factory=dict)
    article_tags: dict[int, list[str]] = field(default_factory=dict)
    plain_files: set[str] = field(default_factory=set)  # imports reported done
    fixes: dict[str, tuple[int, str]] = field(default_factory=dict)  # path -> (article, marker)


@dataclass
class Stats:
    kills: int = 0
    timer_kills: int = 0
    event_kills: int = 0
    children_finished: int = 0
    ops_done: int = 0
    ops_in_flight: int = 0
    in_flight_committed: int = 0
    in_flight_rolled_back: int = 0
    annotations_checked: int = 0
    annotations_lost: int = 0
    imports_checked: int = 0
    index_rebuilt_on_open: int = 0
    index_caught_up: int = 0
    searches: int = 0
    leftover_dirs: int = 0
    child_seconds: float = 0.0
    check_seconds: float = 0.0
    problems: list[str] = field(default_factory=list)
    ops: Counter = field(default_factory=Counter)

    def summary(self) -> dict:
        d = {k: v for k, v in self.__dict__.items() if k not in ("problems", "ops")}
        d["problems"] = len(self.problems)
        d["ops"] = dict(self.ops)
        return d


def read_log(path: Path) -> list[dict]:
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        with contextlib.suppress(json.JSONDecodeError):  # a torn last line cannot be, but…
            out.append(json.loads(line))
    return out


def _db_highlight(conn: sqlite3.Connection, uuid: str) -> tuple[dict | None, sqlite3.Row | None]:
    row = conn.execute(
        "SELECT h.*, a.body FROM highlights h JOIN articles a ON a.id = h.article_id"
        " WHERE h.uuid = ?", (uuid,),
    ).fetchone()
    if row is None:
        return None, None
    tags = sorted(r[0] for r in conn.execute(
        "SELECT t.name FROM highlight_tags ht JOIN tags t ON t.id = ht.tag_id"
        " WHERE ht.highlight_id = ?", (row["id"],)))
    return ({"article": row["article_id"], "quote": row["quote"], "note": row["note"],
             "color": row["color"], "tags": tags, "deleted": bool(row["deleted"])}, row)


def _article_tags(conn: sqlite3.Connection, aid: int) -> list[str]:
    return sorted(r[0] for r in conn.execute(
        "SELECT t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = ?",
        (aid,)))


class Checker:
    """Applies the side log to the expected state and checks a (copied) library against it."""

    def __init__(self, stats: Stats) -> None:
        self.exp = Expected()
        self.stats = stats

    def problem(self, msg: str) -> None:
        self.stats.problems.append(msg)

    # -- the side log -> expectations (the op in flight is resolved against the database)
    def absorb(self, records: list[dict], conn: sqlite3.Connection) -> None:
        begun: dict | None = None
        for rec in records:
            if rec["ev"] == "begin":
                begun = rec
            elif rec["ev"] == "done" and begun is not None:
                want = {"import": "added", "reimport": "updated"}.get(begun["op"])
                if want and rec.get("status") != want:
                    self.problem(f"{begun['op']} of {begun['path']} reported {rec.get('status')}")
                self._apply(begun, committed=True, conn=conn)
                self.stats.ops_done += 1
                self.stats.ops[begun["op"]] += 1
                begun = None
        if begun is not None:
            self.stats.ops_in_flight += 1
            if self._resolve(begun, conn):
                self.stats.in_flight_committed += 1
            else:
                self.stats.in_flight_rolled_back += 1

    def _apply(self, rec: dict, *, committed: bool, conn: sqlite3.Connection) -> None:
        op = rec["op"]
        if op in ("add", "update", "delete"):
            self.exp.highlights[rec["uuid"]] = rec["state"]
        elif op == "atags":
            self.exp.article_tags[rec["article"]] = rec["tags"]
        elif op == "import":
            self.exp.plain_files.add(rec["path"])
        elif op == "folder":
            # one transaction per file: a folder import killed in flight keeps the files done
            self.exp.plain_files.update(rec.get("done_paths", rec["paths"]))
        elif op == "reimport":
            self.exp.fixes[rec["path"]] = (rec["article"], rec["marker"])

    def _resolve(self, rec: dict, conn: sqlite3.Connection) -> bool:
        """The op in flight at the kill: the database must show all of it or none of it."""
        op = rec["op"]
        if op in ("add", "update", "delete"):
            got, _ = _db_highlight(conn, rec["uuid"])
            before = self.exp.highlights.get(rec["uuid"])
            if got == rec["state"] and got != before:
                self._apply(rec, committed=True, conn=conn)
                return True
            if got != before:
                self.problem(f"in-flight {op} {rec['uuid']}: database has {got}, expected "
                             f"{before} or {rec['state']}")
            return False
        if op == "atags":
            got = _article_tags(conn, rec["article"])
            before = self.exp.article_tags.get(rec["article"])
            if got == rec["tags"] and got != before:
                self._apply(rec, committed=True, conn=conn)
                return True
            if before is not None and got != before:
                self.problem(f"in-flight article tags {rec['article']}: {got} is neither "
                             f"{before} nor {rec['tags']}")
            return False
        if op == "import":
            row = conn.execute("SELECT 1 FROM imported_files WHERE path = ?",
                               (rec["path"],)).fetchone()
            if row:
                self._apply(rec, committed=True, conn=conn)
            return bool(row)
        if op == "folder":
            done = [p for p in rec["paths"] if conn.execute(
                "SELECT 1 FROM imported_files WHERE path = ?", (p,)).fetchone()]
            if done != rec["paths"][: len(done)]:
                self.problem(f"folder import out of order: {done} of {rec['paths']}")
            if done:
                self._apply({**rec, "done_paths": done}, committed=True, conn=conn)
            return bool(done)
        if op == "reimport":
            row = conn.execute("SELECT 1 FROM imported_files WHERE path = ?",
                               (rec["path"],)).fetchone()
            body = conn.execute("SELECT body FROM articles WHERE id = ?",
                                (rec["article"],)).fetchone()[0]
            if bool(row) != (rec["marker"] in body):
                self.problem(f"half-done re-import {rec['path']}: file row {bool(row)}, "
                             f"text changed {rec['marker'] in body}")
            if row:
                self._apply(rec, committed=True, conn=conn)
            return bool(row)
        return False  # reindex: nothing in the database

    # -- the database checks
    def check_db(self, conn: sqlite3.Connection) -> None:
        ok = conn.execute("PRAGMA integrity_check").fetchall()
        if [r[0] for r in ok] != ["ok"]:
            self.problem(f"integrity_check: {[r[0] for r in ok][:5]}")
        fk = conn.execute("PRAGMA foreign_key_check").fetchall()
        if fk:
            self.problem(f"foreign_key_check: {[tuple(r) for r in fk][:5]}")
        for uuid, want in self.exp.highlights.items():
            self.stats.annotations_checked += 1
            got, row = _db_highlight(conn, uuid)
            if got != want:
                self.stats.annotations_lost += 1
                self.problem(f"highlight {uuid}: expected {want}, database has {got}")
                continue
            if row["orphan"] or row["body"][row["start"]:row["end"]] != row["quote"]:
                self.stats.annotations_lost += 1
                self.problem(f"highlight {uuid} no longer marks its quote {row['quote']!r}")
        for aid, want in self.exp.article_tags.items():
            self.stats.annotations_checked += 1
            got = _article_tags(conn, aid)
            if got != want:
                self.stats.annotations_lost += 1
                self.problem(f"article {aid} tags: expected {want}, database has {got}")
        # no half-imported file
        files = {r["path"]: r["articles"] for r in conn.execute(
            "SELECT path, articles FROM imported_files")}
        per_file = Counter(r[0] for r in conn.execute("SELECT source_file FROM articles"))
        for src, n in per_file.items():
            if src not in files:
                self.problem(f"{n} article(s) from {src} but no record of the file")
        fixes = set(self.exp.fixes)
        for path, n in files.items():
            self.stats.imports_checked += 1
            if path in fixes:
                aid, marker = self.exp.fixes[path]
                body = conn.execute("SELECT body FROM articles WHERE id = ?", (aid,)).fetchone()
                if body is None or marker not in body[0]:
                    self.problem(f"re-import {path} recorded but article {aid} lacks its text")
            elif path.endswith("-fix.json"):
                continue  # an in-flight fix: checked in _resolve
            elif per_file.get(path, 0) != n:
                self.problem(f"{path}: {n} articles recorded, {per_file.get(path, 0)} stored")
        for path in self.exp.plain_files:
            if path not in files:
                self.problem(f"import of {path} was reported done but is not recorded")

    # -- opening repairs the index, and search returns what the database holds
    def check_search(self, root: Path, rng: random.Random, sample: int | None) -> None:
        from reader.core.library import Library

        with Library.open(root) as lib:
            pending = lib.store.reader().execute("SELECT count(*) FROM index_queue").fetchone()[0]
            idx = lib.index()
            if lib.messages:
                self.stats.index_rebuilt_on_open += 1
            elif pending:
                self.stats.index_caught_up += 1
            conn = lib.store.reader()
            left = conn.execute("SELECT count(*) FROM index_queue").fetchone()[0]
            n_art = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            if left:
                self.problem(f"{left} index queue rows left after open")
            if idx.doc_count() != n_art:
                self.problem(f"index holds {idx.doc_count()} docs, database {n_art} articles")
            texts = {r[0]: r[1] + "\n" + r[2] for r in conn.execute(
                "SELECT id, title, body FROM articles")}
            notes: dict[str, set[int]] = {}
            live_notes: dict[int, str] = {}
            for r in conn.execute("SELECT article_id, note FROM highlights WHERE deleted = 0"):
                live_notes[r[0]] = live_notes.get(r[0], "") + "\n" + r[1]
                for t in NOTE_TOKEN.findall(r[1]):
                    notes.setdefault(t, set()).add(r[0])
            dead = [t for r in conn.execute("SELECT note FROM highlights WHERE deleted = 1")
                    for t in NOTE_TOKEN.findall(r[0]) if t not in notes]
            art_tokens = sorted({t for s in texts.values() for t in ART_TOKEN.findall(s)})
            note_tokens = sorted(notes)
            if sample is not None:
                art_tokens = rng.sample(art_tokens, min(sample, len(art_tokens)))
                note_tokens = rng.sample(note_tokens, min(sample, len(note_tokens)))
                dead = rng.sample(dead, min(sample // 2, len(dead)))
            for t in art_tokens:
                want = {i for i, s in texts.items() if t in s}
                got = {h.article.id for h in lib.search(t, limit=1000, with_snippets=False)[0]}
                self.stats.searches += 1
                if got != want:
                    self.problem(f"search {t}: found {sorted(got)}, database has {sorted(want)}")
            for t in note_tokens:
                got = {h.article.id for h in lib.search(f"note:{t}", limit=1000,
                                                         with_snippets=False)[0]}
                self.stats.searches += 1
                if got != notes[t]:
                    self.problem(f"search note:{t}: found {sorted(got)}, want {sorted(notes[t])}")
            for t in dead:
                # no exact match left, so search falls back to the query's words anywhere in the
                # field: a hit is legitimate only where the live notes hold every character
                got = lib.search(f"note:{t}", limit=1000, with_snippets=False)[0]
                self.stats.searches += 1
                stale = [h.article.id for h in got
                         if not all(ch in live_notes.get(h.article.id, "") for ch in t)]
                if stale:
                    self.problem(f"deleted note {t} still found in {stale}")
        self.stats.leftover_dirs = max(
            self.stats.leftover_dirs,
            sum(1 for p in root.iterdir() if p.is_dir() and p.name.startswith(".index.")),
        )


# ---------------------------------------------------------------------- the parent
def build_seed_library(root: Path, inbox: Path, seed: int, files: int = 8) -> None:
    """A small library with imported articles, highlights and notes, closed cleanly."""
    from reader.core.library import Library

    rng = random.Random(seed)
    paths = [write_import_file(rng, inbox, f"seed{seed}-{i}")[0] for i in range(files)]
    with Library.open(root) as lib:
        lib.import_paths(paths)
        for a in lib.articles():
            body = lib.article(a.id).body
            s = rng.randrange(max(1, len(body) - 6))
            lib.add_highlight(a.id, s, s + 4, note=f"种苗{_token(rng, NOTE_ALPHA)}",
                              tags=[rng.choice(TAGS)],
                              uuid=str(uuidlib.UUID(int=rng.getrandbits(128), version=4)))


_CTX: Any = None


def context() -> Any:
    """A fork-server context whose server has the app imported and jieba's dictionary loaded."""
    global _CTX
    if _CTX is None:
        from multiprocessing import forkserver

        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["crashkit.warm"])
        # Python 3.11's fork server ignores the parent's sys.path (it only reaches the children),
        # so the preload could not find this package: start the server with PYTHONPATH set.
        here = str(Path(__file__).resolve().parent.parent)
        root = str(Path(here).parent)
        old = os.environ.get("PYTHONPATH")
        os.environ["PYTHONPATH"] = os.pathsep.join([root, here] + ([old] if old else []))
        try:
            forkserver.ensure_running()
        finally:
            if old is None:
                del os.environ["PYTHONPATH"]
            else:
                os.environ["PYTHONPATH"] = old
        _CTX = ctx
    return _CTX


@dataclass
class Plan:
    seed: int
    mode: str  # "timer" | "event"
    delay: float = 0.0
    tripwire: int = 0


def plan_for(rng: random.Random, max_delay: float, max_events: int) -> Plan:
    seed = rng.getrandbits(32)
    if rng.random() < 0.5:
        return Plan(seed, "timer", delay=rng.uniform(0.0, max_delay))
    return Plan(seed, "event", tripwire=rng.randint(1, max_events))


def run_child(ctx: Any, plan: Plan, lib: Path, inbox: Path, log: Path,
              timeout: float = 120.0, sabotage: str = "") -> str:
    """Run one child under ``plan``; returns 'killed', 'finished' or an error description."""
    ready = ctx.Event()
    p = ctx.Process(target=child_main, args=(str(lib), str(inbox), str(log), plan.seed,
                                             plan.tripwire, ready, sabotage), daemon=True)
    p.start()
    if not ready.wait(timeout):
        p.kill()
        p.join()
        return "child never started"
    if plan.mode == "timer":
        time.sleep(plan.delay)  # the kill point: a seeded delay into the child's work
        p.kill()
    p.join(timeout)
    if p.exitcode is None:
        p.kill()
        p.join()
        return "child hung"
    if p.exitcode == -signal.SIGKILL:
        return "killed"
    if p.exitcode == 0:
        return "finished"
    return f"child failed with exit code {p.exitcode}"


def copy_library(src: Path, dst: Path) -> None:
    if dst.exists():
        shutil.rmtree(dst)
    shutil.copytree(src, dst, symlinks=True)


def run_kills(work: Path, *, kills: int, seed: int, episode: int = 25, max_delay: float = 0.35,
              max_events: int = 100, search_sample: int | None = 6,
              progress: Any = None, sabotage: str = "", keep: Path | None = None) -> Stats:
    """The whole experiment: ``kills`` kills in episodes of ``episode`` kills on one library."""
    from reader.core.library import Library

    ctx = context()
    rng = random.Random(seed)
    stats = Stats()
    seed_lib, inbox = work / "seed-lib", work / "inbox"
    build_seed_library(seed_lib, inbox, seed)
    # the seed's annotations are committed writes too
    seed_checker = Checker(Stats())
    with Library.open(seed_lib) as lib:
        for h in lib.highlights(include_deleted=True):
            seed_checker.exp.highlights[h.uuid] = _hl_state(h)
        for path in {a.source_file for a in lib.articles()}:
            seed_checker.exp.plain_files.add(path)
    lib_dir, check_dir = work / "lib", work / "check"
    checker: Checker | None = None
    episode_no = in_episode = 0
    log = work / "side-0.log"
    while stats.kills < kills:
        if checker is None or in_episode >= episode:
            copy_library(seed_lib, lib_dir)
            checker = Checker(stats)
            checker.exp = Expected(
                highlights=dict(seed_checker.exp.highlights),
                plain_files=set(seed_checker.exp.plain_files),
            )
            episode_no += 1
            in_episode = 0
            log = work / f"side-{episode_no}.log"
            log.unlink(missing_ok=True)
        plan = plan_for(rng, max_delay, max_events)
        before = len(read_log(log))
        t0 = time.monotonic()
        outcome = run_child(ctx, plan, lib_dir, inbox, log, sabotage=sabotage)
        t1 = time.monotonic()
        stats.child_seconds += t1 - t0
        in_episode += 1
        records = read_log(log)[before:]
        if outcome == "killed":
            stats.kills += 1
            if plan.mode == "timer":
                stats.timer_kills += 1
            else:
                stats.event_kills += 1
        elif outcome == "finished":
            stats.children_finished += 1
        else:
            stats.problems.append(f"{outcome} (plan {plan}); log tail: {records[-3:]}")
            break
        copy_library(lib_dir, check_dir)
        conn = sqlite3.connect(check_dir / "library.db")
        conn.row_factory = sqlite3.Row
        try:
            checker.absorb(records, conn)
            checker.check_db(conn)
        finally:
            conn.close()
        checker.check_search(check_dir, rng, search_sample)
        stats.check_seconds += time.monotonic() - t1
        if progress:
            progress(stats, plan, outcome)
        if stats.problems:
            stats.problems.insert(0, f"after kill {stats.kills} (plan {plan})")
            if keep is not None:  # the evidence: the library as killed, as checked, the log
                keep.mkdir(parents=True, exist_ok=True)
                copy_library(lib_dir, keep / "killed")
                copy_library(check_dir, keep / "checked")
                shutil.copy2(log, keep / log.name)
                (keep / "problems.txt").write_text("\n".join(stats.problems), encoding="utf-8")
                stats.problems.append(f"evidence kept in {keep}")
            break
    return stats

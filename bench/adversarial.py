"""The big adversarial probes of issue 15 (items 3, 8, 10, 11, 13, 14): 2 GiB zip bombs, a 1 GiB
manifest, an archive that lies about its size, 150 randomly damaged backups, 150–200 MB files,
devices, FIFOs and a folder linking to ``/``; each run as ``pizhu`` in a child process under a
memory limit (``RLIMIT_AS``, like ``ulimit -v``) and a time limit.

    .venv/bin/python bench/adversarial.py                 # all probes, a table at the end
    .venv/bin/python bench/adversarial.py --only bomb --json bench/out/adversarial.json

A probe *held* when the command ended in success or one readable line (exit 1 or 2, no
traceback), within the time and memory limits, with its expected outcome, having written no
more than its limit, and the library it ran on still passes ``PRAGMA integrity_check`` and
search == list. Exits 1 if any probe did not hold. The fast versions of these probes are in
``tests/test_adversarial_*.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
os.environ.setdefault("PIZHU_CACHE", str(Path(tempfile.gettempdir()) / "pizhu-test-cache"))
GiB = 1 << 30
MiB = 1 << 20


@dataclass
class Probe:
    name: str
    item: int
    argv: list[str]
    expect: str = ""  # a word the one-line message must hold ("" = success expected)
    mem: int = 2 * GiB  # RLIMIT_AS of the child
    seconds: float = 120
    library: Path | None = None  # checked intact afterwards
    watch: Path | None = None  # a folder whose growth is measured (bytes written)
    max_written: int = 64 * MiB
    result: dict = field(default_factory=dict)


def _limit(mem: int) -> Callable[[], None]:
    def pre() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
        signal.signal(signal.SIGXFSZ, signal.SIG_DFL)

    return pre


def _du(folder: Path | None) -> int:
    if folder is None or not folder.exists():
        return 0
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def _intact(lib_dir: Path) -> str:
    """'' if the library is intact, else what is wrong."""
    try:
        conn = sqlite3.connect(lib_dir / "library.db")
        try:
            check = conn.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            conn.close()
        if check != "ok":
            return f"integrity_check: {check}"
        from reader.core.library import Library

        with Library.open(lib_dir, create=False) as lib:
            listed = {a.id for a in lib.articles()}
            hits, _ = lib.search("小城", limit=100_000)
            if {h.article.id for h in hits} != listed:
                return "search != list"
    except Exception as e:  # noqa: BLE001 — reported in the table
        return f"{type(e).__name__}: {e}"
    return ""


def run_probe(p: Probe, work: Path) -> dict:
    before = _du(p.watch)
    rss_file = work / "maxrss"
    rss_file.unlink(missing_ok=True)
    env = dict(os.environ, PYTHONPATH=str(ROOT), OPENBLAS_NUM_THREADS="1",
               OMP_NUM_THREADS="1", QT_QPA_PLATFORM="offscreen", PIZHU_BENCH_RSS=str(rss_file))
    t0 = time.monotonic()
    with open(work / "out", "wb") as out, open(work / "err", "wb") as errf:
        proc = subprocess.Popen([sys.executable, __file__, "--child", *p.argv], stdout=out,
                                stderr=errf, env=env, cwd=ROOT, preexec_fn=_limit(p.mem))
        peak_written = 0
        timed_out = False
        while proc.poll() is None:
            if time.monotonic() - t0 > p.seconds:
                proc.kill()
                proc.wait()
                timed_out = True
                break
            peak_written = max(peak_written, _du(p.watch) - before)
            time.sleep(0.1)
    seconds = time.monotonic() - t0
    err = (work / "err").read_bytes()
    rss_mb = int(rss_file.read_text()) // 1024 if rss_file.exists() else -1
    err_text = err.decode("utf-8", "replace")
    lines = [line for line in err_text.splitlines() if line.strip()]
    rc = proc.returncode
    problems = []
    if timed_out:
        problems.append(f"no end within {p.seconds:.0f} s")
    if "Traceback" in err_text:
        problems.append("traceback")
    if rc not in (0, 1, 2) and not timed_out:
        problems.append(f"exit {rc}")
    if rc == 1 and len(lines) != 1:
        problems.append(f"{len(lines)} lines")
    if p.expect and (rc == 0 or p.expect not in err_text):
        problems.append(f"expected “{p.expect}”")
    if not p.expect and rc != 0:
        problems.append("expected success")
    if peak_written > p.max_written:
        problems.append(f"wrote {peak_written // MiB} MB")
    if p.library is not None:
        bad = _intact(p.library)
        if bad:
            problems.append(bad)
    return {"rc": rc, "seconds": round(seconds, 2), "max_rss_mb": rss_mb,
            "written_mb": round(peak_written / MiB, 1), "line": (lines[-1] if lines else "")[:160],
            "held": not problems, "problems": problems}


# ---------------------------------------------------------------------- building the inputs
def _bomb(path: Path, size: int, *, manifest: dict | None, entry: str = "library.db",
          declared: int | None = None) -> Path:
    """``entry`` unpacks to ``size`` zero bytes; ``declared`` makes the headers lie about it."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        if manifest is not None:
            z.writestr("manifest.json", json.dumps(manifest))
        info = zipfile.ZipInfo(entry)
        info.compress_type = zipfile.ZIP_DEFLATED
        with z.open(info, "w", force_zip64=True) as f:
            block = bytes(16 * MiB)
            for _ in range(size // len(block)):
                f.write(block)
    if declared is not None:
        _lie_about_size(path, entry, declared)
    return path


def _lie_about_size(path: Path, entry: str, declared: int) -> None:
    data = bytearray(path.read_bytes())
    name = entry.encode()
    pos = 0
    while True:
        pos = data.index(b"PK\x01\x02", pos)
        n = int.from_bytes(data[pos + 28:pos + 30], "little")
        if data[pos + 46:pos + 46 + n] == name:
            break
        pos += 4
    # zip64: the real sizes are in the extra field; rewrite them there
    extra_len = int.from_bytes(data[pos + 30:pos + 32], "little")
    extra = pos + 46 + n
    end = extra + extra_len
    while extra < end:
        tag = int.from_bytes(data[extra:extra + 2], "little")
        ln = int.from_bytes(data[extra + 2:extra + 4], "little")
        if tag == 1:
            data[extra + 4:extra + 12] = declared.to_bytes(8, "little")
        extra += 4 + ln
    if int.from_bytes(data[pos + 24:pos + 28], "little") != 0xFFFFFFFF:
        data[pos + 24:pos + 28] = declared.to_bytes(4, "little")
    path.write_bytes(bytes(data))


def build(work: Path, only: str) -> list[Probe]:
    from adversarial_kit import make_library

    from reader.core.backup import backup, read_manifest
    from reader.core.library import Library

    lib_dir = make_library(work)
    with Library.open(lib_dir) as lib:
        backup(lib, work / "good.zip")
    manifest = read_manifest(work / "good.zip")
    bare = {k: v for k, v in manifest.items() if k not in ("database_sha256", "database_size")}
    probes: list[Probe] = []

    def add(p: Probe) -> None:
        if only in p.name:
            probes.append(p)

    def restore_into(name: str) -> list[str]:
        return ["restore", "--library", str(work / "restored" / name)]

    if only in "bomb-2g":
        _bomb(work / "bomb-2g.zip", 2 * GiB, manifest=bare)
    add(Probe("bomb-2g: restore a 2 GiB zip bomb (≈2 MB archive)", 8,
              [*restore_into("bomb"), str(work / "bomb-2g.zip")], expect="zip bomb",
              mem=1 * GiB, watch=work / "restored", max_written=0))
    if only in "bomb-lying":
        _bomb(work / "lying.zip", 2 * GiB, manifest=bare, declared=8 * MiB)
    add(Probe("bomb-lying: 2 GiB stream whose headers say 8 MB", 8,
              [*restore_into("lying"), str(work / "lying.zip")], expect="damaged",
              mem=1 * GiB, watch=work / "restored", max_written=16 * MiB))
    if only in "bomb-manifest":
        _bomb(work / "mbomb.zip", 1 * GiB, manifest=None, entry="manifest.json")
    add(Probe("bomb-manifest: a manifest that unpacks to 1 GiB", 8,
              [*restore_into("mbomb"), str(work / "mbomb.zip")], expect="manifest",
              mem=1 * GiB, watch=work / "restored", max_written=0))

    fifo = work / "pipe.zip"
    if not fifo.exists():
        os.mkfifo(fifo)
    add(Probe("restore-fifo: restore from a FIFO", 11,
              [*restore_into("fifo"), str(fifo)], expect="not a regular file", seconds=20))
    add(Probe("restore-dev-zero: restore from /dev/zero", 11,
              [*restore_into("zero"), "/dev/zero"], expect="not a regular file", seconds=20))
    add(Probe("annotations-dev-zero: import-annotations /dev/zero", 11,
              ["--library", str(lib_dir), "import-annotations", "/dev/zero"],
              expect="not a regular file", seconds=20, mem=1 * GiB, library=lib_dir))
    big = work / "big-150mb.json"
    with open(big, "wb") as f:
        f.truncate(150 * MiB)
    add(Probe("annotations-150mb: import-annotations of a 150 MB file", 11,
              ["--library", str(lib_dir), "import-annotations", str(big)], expect="too large",
              seconds=20, mem=1 * GiB, library=lib_dir))
    big_txt = work / "big-200mb.txt"
    with open(big_txt, "wb") as f:
        f.truncate(200 * MiB)
    add(Probe("import-200mb: import of a 200 MB file", 11,
              ["--library", str(lib_dir), "import", str(big_txt)], expect="too large",
              seconds=60, mem=1 * GiB, library=lib_dir))
    walk = work / "walk"
    walk.mkdir(exist_ok=True)
    (walk / "a.txt").write_text("小城新闻\n小城的一条新闻。\n", encoding="utf-8")
    if not (walk / "root").is_symlink():
        (walk / "root").symlink_to("/")
        (walk / "loop").symlink_to(walk)
    add(Probe("walk-root: import a folder holding a link to /", 11,
              ["--library", str(lib_dir), "import", str(walk)], seconds=60, library=lib_dir))
    for target in (lib_dir / "library.db", Path("/dev/full"), fifo):
        add(Probe(f"backup-to {target}", 3,
                  ["--library", str(lib_dir), "backup", str(target), "--force"],
                  expect="pizhu:", seconds=30, library=lib_dir))
        add(Probe(f"export-to {target}", 3,
                  ["--library", str(lib_dir), "export", "--all", "-o", str(target), "--force"],
                  expect="pizhu:", seconds=30, library=lib_dir))
    add(Probe("library-empty: --library ''", 11, ["--library", "", "list"], expect="empty",
              seconds=20))
    return probes


def damaged_backups(work: Path, n: int, seed: int) -> dict:
    """``n`` randomly damaged copies of a good backup, restored in this process: each restores
    (then intact) or raises one-line BackupError; anything else is a failure."""
    from reader.core.backup import BackupError, restore

    rng = random.Random(seed)
    original = (work / "good.zip").read_bytes()
    counts = {"restored": 0, "refused": 0, "failed": 0}
    failures = []
    t0 = time.monotonic()
    for _ in range(n):
        data = bytearray(original)
        how = rng.choice(["bytes", "run", "truncate"])
        if how == "bytes":
            for _ in range(rng.randint(1, 8)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        elif how == "run":
            at = rng.randrange(len(data))
            data[at:at + rng.randint(1, 300)] = os.urandom(rng.randint(1, 300))
        else:
            del data[rng.randrange(len(data)):]
        archive = work / "damaged.zip"
        archive.write_bytes(bytes(data))
        target = work / "damaged-restore"
        shutil.rmtree(target, ignore_errors=True)
        try:
            restore(archive, target)
        except BackupError as e:
            counts["refused"] += 1
            if "\n" in str(e):
                counts["failed"] += 1
                failures.append(f"{how}: multi-line message")
            continue
        except Exception as e:  # noqa: BLE001 — that is the failure being counted
            counts["failed"] += 1
            failures.append(f"{how}: {type(e).__name__}: {e}"[:200])
            continue
        bad = _intact(target)
        if bad:
            counts["failed"] += 1
            failures.append(f"{how}: restored but {bad}")
        else:
            counts["restored"] += 1
    return {**counts, "seconds": round(time.monotonic() - t0, 1), "failures": failures[:5]}


def child(argv: list[str]) -> int:
    """``pizhu ARGV`` in this (limited) process; its peak RSS goes to $PIZHU_BENCH_RSS."""
    import atexit

    def record() -> None:
        with open(os.environ["PIZHU_BENCH_RSS"], "w") as f:
            f.write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))

    atexit.register(record)
    from reader.cli import commands as cli

    return cli.main(argv)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        return child(argv[1:])
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", default="", help="run the probes whose name holds this")
    ap.add_argument("--damaged", type=int, default=150, help="randomly damaged backups")
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="pizhu-adversarial-"))
    try:
        probes = build(work, args.only)
        rows = []
        for p in probes:
            p.result = run_probe(p, work)
            rows.append(p)
            r = p.result
            print(f"{'held' if r['held'] else 'NOT HELD':8} item {p.item:>2}  {r['seconds']:>6.1f} s"
                  f"  {r['max_rss_mb']:>5} MB RSS  {r['written_mb']:>6.1f} MB written  "
                  f"rc {r['rc']}  {p.name}\n"
                  f"{'':10}{r['line']}" + (f"\n{'':10}{r['problems']}" if r["problems"] else ""),
                  flush=True)
        damaged = damaged_backups(work, args.damaged, args.seed) if args.damaged else None
        held = sum(p.result["held"] for p in rows)
        print(f"\n{held} of {len(rows)} probes held")
        if damaged:
            print(f"{args.damaged} damaged backups: {damaged['restored']} restored intact, "
                  f"{damaged['refused']} refused in one line, {damaged['failed']} failed "
                  f"({damaged['seconds']} s) {damaged['failures']}")
        if args.json:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps(
                {"probes": [{k: (str(v) if isinstance(v, Path) else v)
                             for k, v in asdict(p).items()} for p in rows],
                 "damaged": damaged}, ensure_ascii=False, indent=1), encoding="utf-8")
        ok = held == len(rows) and not (damaged and damaged["failed"])
        return 0 if ok else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())

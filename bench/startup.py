"""Start-up time of the desktop app: from launching the process to its main window on screen
(``shown``) and to the library's views painted (``interactive``), for ``python -m reader`` and
for the PyInstaller bundle (``dist/pizhu/pizhu``, built by ``packaging/build.sh``).

    .venv/bin/python bench/startup.py                  # warm page cache, 5 runs each
    .venv/bin/python bench/startup.py --drop-caches    # cold: drops the page cache before each
                                                       # run (root only; slows the whole machine
                                                       # for a moment)

Each run uses a temporary library, settings and cache (``PIZHU_HOME``, ``XDG_CONFIG_HOME``,
``PIZHU_CACHE``) and the offscreen Qt platform; ``PIZHU_EXIT_AFTER_SHOW=1`` makes the app print
its markers and close itself (see reader/ui/startup_probe.py). Times are taken here, when each
marker line arrives. Libraries: ``empty`` (the first start) and ``samples`` (the bundled sample
articles imported). Results also go to bench/out/startup.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "dist" / "pizhu" / "pizhu"
MARKERS = ("shown", "interactive")


def drop_caches() -> None:
    subprocess.run(["sync"], check=True)
    Path("/proc/sys/vm/drop_caches").write_text("3\n")


def run_once(cmd: list[str], env: dict[str, str], timeout: float = 120.0) -> dict[str, float]:
    """Launch ``cmd``; the seconds until each marker line and until the process exited."""
    got: dict[str, float] = {}
    with tempfile.TemporaryFile(mode="w+") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, text=True, env=env,
                                cwd=ROOT)
        watchdog = threading.Timer(timeout, proc.kill)
        watchdog.start()
        try:
            assert proc.stdout is not None
            for line in proc.stdout:
                now = time.perf_counter() - t0
                if line.startswith("pizhu-startup: "):
                    got[line.split()[1]] = now
            code = proc.wait()
            got["exit"] = time.perf_counter() - t0
        finally:
            watchdog.cancel()
        err.seek(0)
        stderr = err.read()
    if code != 0 or not all(m in got for m in MARKERS):
        raise RuntimeError(f"{' '.join(cmd)}: exit {code}, markers {sorted(got)}\n{stderr[-3000:]}")
    return got


def base_env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIZHU_", "XDG_"))}
    env.update(
        PIZHU_HOME=str(tmp / "library"), PIZHU_CACHE=str(tmp / "cache"),
        XDG_CONFIG_HOME=str(tmp / "config"), XDG_DATA_HOME=str(tmp / "data"),
        XDG_CACHE_HOME=str(tmp / "xdg-cache"), QT_QPA_PLATFORM="offscreen",
        PIZHU_EXIT_AFTER_SHOW="1",
    )
    return env


def measure(name: str, cmd: list[str], library: str, runs: int, cold: bool) -> dict:
    with tempfile.TemporaryDirectory(prefix="pizhu-bench-") as t:
        tmp = Path(t)
        env = base_env(tmp)
        if library == "samples":
            samples = sorted(str(p) for p in (ROOT / "resources" / "samples").iterdir()
                             if p.is_file() and p.suffix != ".md")
            subprocess.run(cmd + ["import", *samples], env=env, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        results = []
        for _ in range(runs):
            if cold:
                drop_caches()
            results.append(run_once(cmd, env))
    row = {"target": name, "library": library, "cache": "cold" if cold else "warm", "runs": runs}
    for key in (*MARKERS, "exit"):
        values = [r[key] for r in results]
        row[key] = {"median": statistics.median(values), "min": min(values),
                    "max": max(values), "all": values}
    return row


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--drop-caches", action="store_true",
                    help="drop the page cache before every run (root only): a cold start")
    ap.add_argument("--bundle", type=Path, default=BUNDLE)
    ap.add_argument("--no-bundle", action="store_true")
    ap.add_argument("--no-source", action="store_true")
    args = ap.parse_args()
    if args.drop_caches and os.geteuid() != 0:
        ap.error("--drop-caches needs root")

    targets = []
    if not args.no_source:
        targets.append(("python -m reader", [sys.executable, "-m", "reader"]))
    if not args.no_bundle:
        if args.bundle.exists():
            targets.append(("bundle", [str(args.bundle)]))
        else:
            print(f"no bundle at {args.bundle} (packaging/build.sh builds it)", file=sys.stderr)

    rows = []
    print(f"{'target':<18} {'library':<8} {'cache':<5} {'shown (s)':>16} {'interactive (s)':>16}"
          f" {'exit (s)':>9}   (median [min–max] of {args.runs})")
    for name, cmd in targets:
        for library in ("empty", "samples"):
            row = measure(name, cmd, library, args.runs, args.drop_caches)
            rows.append(row)

            def fmt(k: str, r: dict = row) -> str:
                return f"{r[k]['median']:.2f} [{r[k]['min']:.2f}–{r[k]['max']:.2f}]"

            print(f"{name:<18} {library:<8} {row['cache']:<5} {fmt('shown'):>16} "
                  f"{fmt('interactive'):>16} {row['exit']['median']:>9.2f}", flush=True)
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    name = "startup-cold.json" if args.drop_caches else "startup.json"
    (out / name).write_text(json.dumps(rows, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The long SIGKILL run (issue 6): ``python bench/crash_soak.py --kills 2000 --seed 1``.

Same harness and checks as tests/test_reliability_crash.py (see tests/crashkit/harness.py), for
as many kills as you like. Prints a progress line every ``--every`` kills and a JSON summary at the
end; exits 1 if any check failed (the evidence is kept in ``--keep``, default bench/out/crash-…).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
os.environ.setdefault("PIZHU_CACHE", str(Path(tempfile.gettempdir()) / "pizhu-test-cache"))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--kills", type=int, default=1000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--episode", type=int, default=25,
                   help="kills on one library before starting again from the seed library")
    p.add_argument("--max-delay", type=float, default=0.35,
                   help="timer kills land up to this many seconds into a child's life")
    p.add_argument("--max-events", type=int, default=100,
                   help="event kills land at the k-th write event, k <= this")
    p.add_argument("--full-search", action="store_true",
                   help="after every kill search for every token, not a sample")
    p.add_argument("--every", type=int, default=50, help="progress line every N kills")
    p.add_argument("--keep", type=Path, default=None, help="where to keep a failing run")
    p.add_argument("--json", type=Path, default=None, help="also write the summary here")
    args = p.parse_args(argv)

    from crashkit import harness

    keep = args.keep or ROOT / "bench" / "out" / f"crash-seed{args.seed}"
    start = time.monotonic()

    def progress(stats: harness.Stats, plan: harness.Plan, outcome: str) -> None:
        if stats.kills % args.every == 0 and outcome == "killed":
            rate = stats.kills / (time.monotonic() - start)
            print(f"{stats.kills:>6} kills  {rate:5.1f}/s  ops done {stats.ops_done}  "
                  f"in flight {stats.ops_in_flight} (committed {stats.in_flight_committed})  "
                  f"rebuilt on open {stats.index_rebuilt_on_open}  problems {len(stats.problems)}",
                  flush=True)

    with tempfile.TemporaryDirectory(prefix="pizhu-crash-") as tmp:
        stats = harness.run_kills(
            Path(tmp), kills=args.kills, seed=args.seed, episode=args.episode,
            max_delay=args.max_delay, max_events=args.max_events,
            search_sample=None if args.full_search else 6, progress=progress, keep=keep,
        )
    summary = stats.summary()
    summary.update(seed=args.seed, seconds=round(time.monotonic() - start, 1))
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    for line in stats.problems[:20]:
        print("PROBLEM:", line, file=sys.stderr)
    return 1 if stats.problems or stats.kills < args.kills else 0


if __name__ == "__main__":
    raise SystemExit(main())

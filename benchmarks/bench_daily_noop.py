"""A daily `bedrot run --no-extract` with nothing new, over every service of the demo lake, and the
same with 2,000,000 royalty lines in its warehouse (issue 17: < 0.5 s whatever the warehouse's
size), beside two baselines from the same run:
- the floor: `bedrot --help` (the interpreter and the CLI's imports, no run at all);
- the work saved: the same run with `--force` (every cleaner and the ETL run again).

Run: `.venv/bin/python benchmarks/bench_daily_noop.py [--lines N] [--repeats N]`.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common.lake import Lake

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.bench_dashboard import BEDROT, demo_lake, grow_royalty_lines  # noqa: E402

TARGET_SECONDS = 0.5


def timed(lake: Lake, *args: str) -> float:
    env = {**os.environ, "PROJECT_ROOT": str(lake.root)}
    env.pop("WAREHOUSE_URL", None)
    started = time.perf_counter()
    done = subprocess.run([str(BEDROT), *args], env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"bedrot {' '.join(args)} exited {done.returncode}:\n{done.stdout}")
    return seconds


def median(lake: Lake, repeats: int, *args: str) -> float:
    return statistics.median(timed(lake, *args) for _ in range(repeats))


def measure(lake: Lake, repeats: int, label: str) -> None:
    timed(lake, "run", "--automated", "--no-extract")  # settle: the state after a real run
    noop = median(lake, repeats, "run", "--automated", "--no-extract")
    floor = median(lake, repeats, "--help")
    forced = median(lake, max(1, repeats // 3), "run", "--automated", "--no-extract", "--force")
    verdict = "met" if noop < TARGET_SECONDS else "NOT met"
    print(f"{label}:")
    print(f"  nothing new      {noop:6.3f} s  (target < {TARGET_SECONDS} s: {verdict})")
    print(f"  floor (--help)   {floor:6.3f} s  (the CLI's start alone)")
    print(f"  --force          {forced:6.3f} s  (everything again: {forced / noop:.0f}x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=2_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    options = parser.parse_args()
    print(f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory(prefix="bedrot-noop-") as work:
        lake = demo_lake(Path(work))
        measure(lake, options.repeats, "demo lake, every service")
        grow_royalty_lines(lake, options.lines)
        measure(lake, options.repeats, f"the same lake with {options.lines:,} royalty lines")


if __name__ == "__main__":
    main()

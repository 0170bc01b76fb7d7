"""An ETL with nothing new, in-process (`run_groups` over every group), on a lake whose
warehouse already holds its royalty lines, beside what the identity check alone cost before
(SHA-256 of every curated file), measured in the same run.

Run: `.venv/bin/python benchmarks/bench_noop_etl.py --lake PATH [--repeats R]`, PATH a lake with
a curated `dk_bank_details.csv` (bench_warehouse_load.py builds one; `--rows N` here builds one
the same way). The first ETL loads it; the timed ones find nothing new. Target: < 0.2 s.
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from common.hashing import sha256_file
from common.lake import Lake
from common.script import ScriptContext
from common.warehouse.etl import ALL_GROUPS, run_groups
from common.zones import CURATED

# The checkout, so that bench_warehouse_load's builder of the curated file is imported, not copied.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.bench_warehouse_load import curated_bank_details  # noqa: E402


def noop_etl(lake: Lake) -> float:
    started = time.perf_counter()
    code = run_groups(ScriptContext(lake, "warehouse", logging.getLogger("bench")), ALL_GROUPS)
    elapsed = time.perf_counter() - started
    if code != 0:
        raise SystemExit("the ETL failed; see its log")
    return elapsed


def hash_curated(lake: Lake) -> float:
    started = time.perf_counter()
    for path in sorted(lake.zone(CURATED).rglob("*.csv")):
        sha256_file(path)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lake", type=Path)
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bedrot-noop-bench-"))
    try:
        lake = Lake(args.lake) if args.lake else curated_bank_details(work, args.rows)
        os.environ["WAREHOUSE_URL"] = f"sqlite:///{(work / 'warehouse.db').as_posix()}"
        first = noop_etl(lake)
        ours = [noop_etl(lake) for _ in range(args.repeats)]
        hashing = [hash_curated(lake) for _ in range(args.repeats)]
        size = sum(p.stat().st_size for p in lake.zone(CURATED).rglob("*.csv")) / 1e6
    finally:
        shutil.rmtree(work, ignore_errors=True)
    python = platform.python_version()
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {python}")
    print(f"curated files: {size:.0f} MB; first ETL (loads them) {first:.2f} s")
    print(f"medians of {args.repeats}")
    print(f"ETL with nothing new (stat identities): {statistics.median(ours):.3f} s (target < 0.2)")
    print(f"  before: hashing the curated files alone: {statistics.median(hashing):.3f} s")


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    main()

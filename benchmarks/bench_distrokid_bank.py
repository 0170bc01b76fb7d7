"""A 2,000,000-row legacy DistroKid bank export through landing → curated, against a bare polars
read + write of the same file in the same run: wall time, peak RSS and their ratio.

Run: `.venv/bin/python benchmarks/bench_distrokid_bank.py [--rows N] [--repeats K]`.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

from common.demodata.bank import write_legacy_bank_export
from common.lake import Lake
from common.testing import lake_with_services

REPO = Lake(Path(__file__).resolve().parents[1])
BEDROT = Path(sys.executable).with_name("bedrot.exe" if os.name == "nt" else "bedrot")
# Runs a command and prints its wall time and the peak RSS of its whole process tree.
MEASURE = """
import json, resource, subprocess, sys, time
started = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
print(json.dumps({"seconds": time.perf_counter() - started, "code": code,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""
BARE_POLARS = """
import sys, polars as pl
frame = pl.read_csv(sys.argv[1], separator="\\t", eol_char="\\r", infer_schema=False)
frame.write_csv(sys.argv[2])
"""


def measure(command: list[str], env: dict[str, str]) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *command],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(done.stdout)
    if result["code"] != 0:
        raise SystemExit(f"{command} exited {result['code']}")
    return result


def earnings_sum(path: Path, column: str, delimiter: str, newline: str) -> Decimal:
    with path.open(encoding="utf-8", newline=newline) as stream:
        return sum(
            (Decimal(row[column]) for row in csv.DictReader(stream, delimiter=delimiter)),
            Decimal(0),
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if not k.startswith("BEDROT_")}
    work = Path(tempfile.mkdtemp(prefix="bedrot-bank-bench-"))
    try:
        run(args.rows, args.repeats, work, env)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(rows: int, repeats: int, work: Path, env: dict[str, str]) -> None:
    export = write_legacy_bank_export(work / "dk_bank_details_20260105_090000.tsv", rows)
    bare, chain = [], []
    for attempt in range(repeats):
        bare.append(
            measure([sys.executable, "-c", BARE_POLARS, str(export), str(work / "bare.csv")], env)
        )
        lake = lake_with_services(work / f"lake{attempt}", REPO, ["distrokid"])
        (lake.zone("1_landing") / "distrokid" / export.name).write_bytes(export.read_bytes())
        run_env = {**env, "PROJECT_ROOT": str(lake.root)}
        chain.append(
            measure([str(BEDROT), "run", "--no-extract", "--services", "distrokid"], run_env)
        )
    curated = lake.zone("4_curated") / "dk_bank_details.csv"
    exact = earnings_sum(curated, "earnings_usd", ",", "") == earnings_sum(
        export, "Earnings (USD)", "\t", ""
    )
    bare_s = statistics.median(r["seconds"] for r in bare)
    chain_s = statistics.median(r["seconds"] for r in chain)
    python = platform.python_version()
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {python}")
    print(f"rows: {rows:,} ({export.stat().st_size / 1e6:.0f} MB legacy TSV, CR line ends)")
    print(
        f"bare polars read + write: median {bare_s:.2f} s, peak RSS "
        f"{max(r['peak_rss_mb'] for r in bare):.0f} MB ({repeats} runs)"
    )
    print(
        f"bedrot run landing -> curated: median {chain_s:.2f} s, peak RSS "
        f"{max(r['peak_rss_mb'] for r in chain):.0f} MB ({repeats} runs)"
    )
    print(f"ratio: {chain_s / bare_s:.2f} (target <= 2.0); peak RSS target <= 2048 MB")
    print(f"curated earnings sum equals the export's exactly: {exact}")


if __name__ == "__main__":
    main()

"""Loading 2,000,000 royalty lines into SQLite, against a bare sqlite3 executemany of the same
rows in one transaction, measured in the same run.

Run: `.venv/bin/python benchmarks/bench_warehouse_load.py [--rows N]`. It builds the curated
file the real way (the generated legacy export through the DistroKid cleaners), then times the
warehouse load of that file and the bare insert.
"""

from __future__ import annotations

import argparse
import csv
import logging
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common.demodata.bank import write_legacy_bank_export
from common.lake import Lake
from common.testing import lake_with_services
from common.warehouse.database import make_engine, migrate
from common.warehouse.etl import lake_sources
from common.warehouse.loading import load_sources

REPO = Lake(Path(__file__).resolve().parents[1])
BEDROT = Path(sys.executable).with_name("bedrot.exe" if os.name == "nt" else "bedrot")


def curated_bank_details(work: Path, rows: int) -> Lake:
    lake = lake_with_services(work / "lake", REPO, ["distrokid"])
    write_legacy_bank_export(
        lake.zone("1_landing") / "distrokid" / "dk_bank_details_20260105_090000.tsv", rows
    )
    env = {**os.environ, "PROJECT_ROOT": str(lake.root)}
    subprocess.run(
        [str(BEDROT), "run", "--no-extract", "--no-warehouse"], env=env, capture_output=True,
        check=True,
    )  # fmt: skip
    return lake


def warehouse_load(lake: Lake, database: Path) -> tuple[float, int]:
    engine = make_engine(f"sqlite:///{database}")
    migrate(engine)
    started = time.perf_counter()
    report = load_sources(
        engine, lake, lake_sources(lake).sources("financial")[:1], logging.getLogger("bench")
    )
    elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed, report.outcomes[0].rows


def bare_executemany(curated: Path, database: Path) -> float:
    with curated.open(encoding="utf-8", newline="") as stream:
        reader = csv.reader(stream)
        header = next(reader)
        rows = [tuple(row) for row in reader]
    connection = sqlite3.connect(database)
    connection.execute(f"CREATE TABLE lines ({', '.join(header)})")
    started = time.perf_counter()
    with connection:
        connection.executemany(f"INSERT INTO lines VALUES ({', '.join('?' for _ in header)})", rows)
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=2_000_000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bedrot-warehouse-bench-"))
    try:
        lake = curated_bank_details(work, args.rows)
        curated = lake.zone("4_curated") / "dk_bank_details.csv"
        ours, loaded = warehouse_load(lake, work / "warehouse.db")
        bare = bare_executemany(curated, work / "bare.db")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    python = platform.python_version()
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {python}")
    print(f"royalty lines: {loaded:,}")
    print(
        f"warehouse load (read curated CSV, dimensions, exact money, indexed insert): {ours:.2f} s"
        f" = {loaded / ours:,.0f} rows/s"
    )
    print(f"bare sqlite3 executemany, one transaction, no indexes: {bare:.2f} s")
    print(f"ratio: {ours / bare:.2f} (target <= 2.0)")


if __name__ == "__main__":
    main()

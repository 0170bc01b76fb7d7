"""Loading 2,000,000 royalty lines into the warehouse, against the bare driver loading the same
rows in one transaction, measured in the same run.

SQLite: the warehouse load (read the curated CSV, dimensions, exact money, insert, every index
rebuilt) against a bare `sqlite3` executemany of the curated rows into an unindexed table.
PostgreSQL (`--postgres`, a throwaway server from tests/pgserver.py): the warehouse load through
COPY against a bare psycopg COPY of the curated CSV into an unindexed text table.

Run: `.venv/bin/python benchmarks/bench_warehouse_load.py [--rows N] [--repeats R] [--postgres]
[--lake PATH]`. It builds the curated file the real way (the generated legacy export through the
DistroKid cleaners) unless `--lake` names a lake that already has it. Each measurement runs in
its own process so its peak RSS is its own; figures are medians of the repeats.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import os
import platform
import re
import resource
import shutil
import sqlite3
import statistics
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

ROOT = Path(__file__).resolve().parents[1]
REPO = Lake(ROOT)
BEDROT = Path(sys.executable).with_name("bedrot.exe" if os.name == "nt" else "bedrot")
CURATED = Path("4_curated") / "dk_bank_details.csv"


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


def warehouse_load(lake: Lake, url: str) -> tuple[float, int]:
    engine = make_engine(url)
    migrate(engine)
    started = time.perf_counter()
    report = load_sources(
        engine, lake, lake_sources(lake).sources("financial")[:1], logging.getLogger("bench")
    )
    elapsed = time.perf_counter() - started
    engine.dispose()
    outcome = report.outcomes[0]
    if outcome.status != "loaded":
        raise SystemExit(f"the load did not happen: {outcome}")
    return elapsed, outcome.rows


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


def bare_copy(curated: Path, url: str) -> float:
    import psycopg

    with curated.open(encoding="utf-8", newline="") as stream:
        header = next(csv.reader(stream))
    conninfo = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo) as connection:
        connection.execute(f"CREATE TABLE lines ({', '.join(f'{c} text' for c in header)})")
        connection.commit()
        started = time.perf_counter()
        with connection.cursor() as cursor, curated.open("rb") as data:
            sql = "COPY lines FROM STDIN (FORMAT csv, HEADER true)"
            with cursor.copy(sql) as copy:
                while chunk := data.read(1 << 20):
                    copy.write(chunk)
        connection.commit()
        return time.perf_counter() - started


# Where the load's time goes, from a profile of its main thread (the next CSV chunk is parsed
# on a second thread meanwhile): each profiled function's own time, grouped.
PHASES = (
    ("executemany (SQLite inserting, binding the rows)", ("executemany",)),
    ("SQL statements (index rebuilds, dimension lookups, deletes)", ("execute",)),
    ("commit (WAL checkpoint into the database file)", ("commit",)),
    ("polars conversions (money, ids) and waiting for the CSV parse", ("collect", "acquire")),
    ("polars values to Python objects (to_list, rows)", ("to_list", "rows")),
    ("hashing the curated file", ("update",)),
)


def profiled_load(lake: Lake, url: str) -> dict[str, float]:
    """The load under cProfile, its time per phase, then each index rebuilt alone on the loaded
    table (what the load did at its end), in seconds."""
    import cProfile
    import pstats

    profile = cProfile.Profile()
    profile.enable()
    seconds, _ = warehouse_load(lake, url)
    profile.disable()
    phases = {label: 0.0 for label, _ in PHASES}
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    for (_, _, function), (_, _, own, _, _) in stats.items():
        # "<method 'to_list' of ...>", "<function ...Cursor.executemany at 0x...>", "result"
        found = re.search(r"(\w+)'? (?:of|at) ", function)
        name = found.group(1) if found else function
        for label, names in PHASES:
            if name in names:
                phases[label] += own
    phases["everything else (Python)"] = seconds - sum(phases.values())
    database = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
    database.execute("PRAGMA cache_size=-16384")
    database.execute("PRAGMA threads=2")
    indexes = database.execute(
        "SELECT name, sql FROM sqlite_master WHERE tbl_name = 'royalty_lines' AND sql NOT NULL"
        " AND type = 'index'"
    ).fetchall()
    for name, sql in indexes:
        database.execute("BEGIN")
        database.execute(f"DROP INDEX {name}")
        started = time.perf_counter()
        database.execute(sql)
        phases[f"(alone, after the load) rebuilding {name}"] = time.perf_counter() - started
        database.execute("ROLLBACK")
    database.close()
    return phases


def measure(kind: str, lake_root: Path, target: str) -> None:
    """One measurement, in this process: prints seconds, rows and peak RSS as JSON."""
    lake = Lake(lake_root)
    rows = 0
    if kind == "phases":
        print(json.dumps(profiled_load(lake, target)))
        return
    database = None
    if kind == "ours":
        seconds, rows = warehouse_load(lake, target)
        database = Path(target.removeprefix("sqlite:///")) if "sqlite" in target else None
    elif kind == "bare_sqlite":
        seconds = bare_executemany(lake.root / CURATED, Path(target))
        database = Path(target)
    else:
        seconds = bare_copy(lake.root / CURATED, target)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    size = database.stat().st_size / 1e6 if database is not None else 0.0
    print(json.dumps({"seconds": seconds, "rows": rows, "rss_mb": peak, "file_mb": size}))


def run_measure(kind: str, lake: Lake, target: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--measure", kind, "--lake", str(lake.root), "--target", target],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def median(results: list[dict[str, float]], key: str) -> float:
    return statistics.median(r[key] for r in results)


def compare(
    label: str, ours: list[dict[str, float]], bare: list[dict[str, float]], bare_label: str
) -> None:
    rows = int(ours[0]["rows"])
    mine, floor = median(ours, "seconds"), median(bare, "seconds")
    peak = median(ours, "rss_mb")
    print(f"{label}: {mine:.2f} s = {rows / mine:,.0f} rows/s, peak RSS {peak:.0f} MB")
    print(f"  {bare_label}: {floor:.2f} s, peak RSS {median(bare, 'rss_mb'):.0f} MB")
    if median(ours, "file_mb"):
        print(
            f"  database file: {median(ours, 'file_mb'):.0f} MB"
            f" (the bare table: {median(bare, 'file_mb'):.0f} MB)"
        )
    print(f"  ratio: {mine / floor:.2f} (target <= 1.5)")


def sqlite_figures(lake: Lake, work: Path, repeats: int) -> None:
    ours, bare = [], []
    for repeat in range(repeats):
        ours.append(run_measure("ours", lake, f"sqlite:///{work / f'w{repeat}.db'}"))
        bare.append(run_measure("bare_sqlite", lake, str(work / f"bare{repeat}.db")))
        for leftover in work.glob("*.db*"):
            leftover.unlink()
    compare(
        "SQLite warehouse load (read, dimensions, exact money, insert, indexes rebuilt)",
        ours, bare, "bare sqlite3 executemany, one transaction, no indexes",
    )  # fmt: skip
    phases = run_measure("phases", lake, f"sqlite:///{work / 'phases.db'}")
    print("  where the load's time goes (one profiled load, main thread, seconds):")
    for label, seconds in phases.items():
        print(f"    {label:64s} {seconds:6.2f}")
    for leftover in work.glob("*.db*"):
        leftover.unlink()


def postgres_figures(lake: Lake, work: Path, repeats: int) -> None:
    sys.path.insert(0, str(ROOT))
    from tests.pgserver import start_postgres

    folder = Path(tempfile.mkdtemp(prefix="bedrot-pg-"))  # the server's own user must reach it
    server = start_postgres(folder)
    try:
        ours, bare = [], []
        for repeat in range(repeats):
            ours.append(run_measure("ours", lake, server.create_database(f"ours{repeat}")))
            bare.append(run_measure("bare_copy", lake, server.create_database(f"bare{repeat}")))
        compare(
            "PostgreSQL warehouse load (COPY; indexes and keys set aside, restored)",
            ours, bare, "bare psycopg COPY of the curated CSV, no indexes",
        )  # fmt: skip
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--lake", type=Path, help="a lake whose curated file is already built")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--target", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure, args.lake, args.target)
        return
    work = Path(tempfile.mkdtemp(prefix="bedrot-warehouse-bench-"))
    try:
        lake = Lake(args.lake) if args.lake else curated_bank_details(work, args.rows)
        python = platform.python_version()
        print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {python}")
        size = (lake.root / CURATED).stat().st_size / 1e6
        print(f"curated file: {size:.0f} MB; medians of {args.repeats}")
        sqlite_figures(lake, work, args.repeats)
        if args.postgres:
            postgres_figures(lake, work, args.repeats)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

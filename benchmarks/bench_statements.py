"""Royalty statements for a year of 2,000,000 royalty lines (issue 17: < 5 s).

The lake is the demo's with its royalty lines copied until there are N of them (bench_dashboard's
builder), every line then reported in 2025 and the aggregates refreshed as the ETL does. Timed,
medians of the repeats:
- `bedrot statements --period 2025-Q4` as the label runs it (a process of its own): with no
  quarter issued yet it makes the drafts of all four quarters of 2025, i.e. the whole year;
- baseline: a bare SQL SUM of the same lines' earnings grouped by artist (the payees' key),
  through the standard library's sqlite3.
With --line-by-line it also times, once, the same year read line by line (how every draft was
made before), and checks that both give the same files.

Run: `.venv/bin/python benchmarks/bench_statements.py [--lines N] [--repeats N] [--lake PATH]
[--line-by-line]`.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

from common.lake import Lake
from common.money.splits import load_splits
from common.money.statement_files import period_files
from common.money.statement_periods import parse_period
from common.money.statement_runs import compute_open_periods
from common.money.statement_store import load_issued
from common.warehouse.aggregates import refresh_aggregates
from common.warehouse.database import DEFAULT_SQLITE, make_engine, warehouse_url

# The checkout, so that bench_dashboard's lake builder is imported rather than copied.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.bench_dashboard import BEDROT, demo_lake, grow_royalty_lines  # noqa: E402

TARGET_SECONDS = 5.0
YEAR, LAST_QUARTER = "2025", "2025-Q4"
BARE_SUM = (
    "SELECT artist_id, SUM(earnings_picousd / 1000000), SUM(earnings_picousd % 1000000) "
    "FROM royalty_lines WHERE reporting_date BETWEEN '2025-01-01' AND '2025-12-31' "
    "GROUP BY artist_id"
)


def one_year(lake: Lake) -> int:
    """Every line reported in 2025 (later ones moved back a year), aggregates refreshed."""
    engine = make_engine(warehouse_url(lake))
    with engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE royalty_lines SET reporting_date = date(reporting_date, '-1 year') "
                "WHERE reporting_date > '2025-12-31'"
            )
        )
        refresh_aggregates(connection)
        lines = connection.execute(
            text(
                "SELECT COUNT(*) FROM royalty_lines "
                "WHERE reporting_date BETWEEN '2025-01-01' AND '2025-12-31'"
            )
        ).scalar_one()
    engine.dispose()
    return int(lines)


def statements_seconds(lake: Lake) -> float:
    env = {**os.environ, "PROJECT_ROOT": str(lake.root), "COLUMNS": "200"}
    env.pop("WAREHOUSE_URL", None)
    start = time.perf_counter()
    subprocess.run(
        [str(BEDROT), "statements", "--period", LAST_QUARTER],
        env=env,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def bare_sum_seconds(lake: Lake) -> float:
    start = time.perf_counter()
    with sqlite3.connect(lake.root / DEFAULT_SQLITE) as connection:
        connection.execute(BARE_SUM).fetchall()
    return time.perf_counter() - start


def files_of_the_year(lake: Lake, grouped: bool) -> tuple[float, dict[str, str]]:
    engine = make_engine(warehouse_url(lake))
    start = time.perf_counter()
    with engine.connect() as connection:
        results, _ = compute_open_periods(
            connection,
            load_splits(lake),
            parse_period(LAST_QUARTER),
            load_issued(connection),
            grouped,
        )
    seconds = time.perf_counter() - start
    engine.dispose()
    files = {f"{r.period.name}/{n}": t for r in results for n, t in period_files(r, None).items()}
    return seconds, files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=2_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--lake", type=Path, help="a demo lake after `bedrot run` (copied)")
    parser.add_argument("--line-by-line", action="store_true")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-statements-") as scratch:
        work = Path(scratch)
        lake = demo_lake(work, options.lake)
        grow_royalty_lines(lake, options.lines)
        lines = one_year(lake)
        statements = statistics.median(statements_seconds(lake) for _ in range(options.repeats))
        bare = statistics.median(bare_sum_seconds(lake) for _ in range(options.repeats))
        verdict = "OK" if statements < TARGET_SECONDS else "MISSED"
        print(f"Machine: {os.cpu_count()} CPU(s); Python {sys.version.split()[0]}")
        print(f"{lines:,} royalty lines reported in {YEAR}, {options.repeats} repeats, medians")
        print(
            f"  bedrot statements --period {LAST_QUARTER} (the year's four drafts): "
            f"{statements:.2f} s   target < {TARGET_SECONDS:.0f} s: {verdict}"
        )
        print(f"  baseline, bare SQL SUM by artist:  {bare:.2f} s   ({statements / bare:.1f}x)")
        if options.line_by_line:
            grouped_seconds, grouped = files_of_the_year(lake, grouped=True)
            each_seconds, each = files_of_the_year(lake, grouped=False)
            print(f"  the year computed from the groups: {grouped_seconds:.2f} s")
            print(f"  the year read line by line:        {each_seconds:.2f} s")
            print(f"  same files: {grouped == each}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

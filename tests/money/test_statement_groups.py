"""A draft's statements read the new lines added up (the warehouse's pre-aggregated groups), and
must come out exactly as when every line is read one by one: the same rows, cents, balances."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from common.lake import Lake
from common.money.splits import load_splits
from common.money.statement_command import statements_command
from common.money.statement_files import period_files
from common.money.statement_periods import parse_period
from common.money.statement_runs import compute_open_periods
from common.money.statement_store import load_issued
from common.warehouse.aggregates import ROYALTY_MONEY, money_groups, refresh_aggregates
from common.warehouse.types import from_units
from tests.money.builders import add_lines, make_lake

OTHER_ISRC = "QZHZ12500002"
TODAY = date(2026, 6, 1)
SHARES = [
    {"payee": "Zone A0", "artist": "zone.a0", "percent": "33.3333"},
    {"payee": "Zone A0", "isrc": OTHER_ISRC, "percent": "12.5"},
    {"payee": "Zone A0", "isrc": OTHER_ISRC, "percent": "62.5", "from": "2025-08-01"},
    {"payee": "Guest", "isrc": OTHER_ISRC, "percent": "25"},
]
SPLITS = {
    "minimum_payout_usd": "25.00",
    "payees": [{"name": "Zone A0"}, {"name": "Guest"}],
    "shares": SHARES,
}


@pytest.fixture(autouse=True)
def _own_warehouse(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("WAREHOUSE_URL", raising=False)
    yield


def _year_of_lines(tmp_path: Path) -> tuple[Lake, Engine]:
    """Repeated lines (same track, day and store in several exports), odd fractions of a cent,
    a refund, a share that changes inside a quarter; then the ETL's aggregate refresh."""
    lake, engine = make_lake(tmp_path / "lake", SPLITS)
    for export in ("bank1.csv", "bank2.csv", "bank3.csv"):
        add_lines(
            engine,
            export,
            [
                ("2025-02-25", "0.003417290113", 7),
                ("2025-02-25", "1.000000000001", 300),
                ("2025-05-25", "12.345678901234", 4100),
                ("2025-11-25", "-0.250000000007", -2),
            ],
        )
        add_lines(
            engine,
            export,
            [("2025-07-25", "10.010101010101", 55), ("2025-08-25", "9.999999999999", 51)],
            isrc=OTHER_ISRC,
        )
    with engine.begin() as connection:
        refresh_aggregates(connection)
    return lake, engine


def _statements(lake: Lake, engine: Engine, period: str, grouped: bool) -> dict[str, str]:
    with engine.begin() as connection:
        results, _ = compute_open_periods(
            connection, load_splits(lake), parse_period(period), load_issued(connection), grouped
        )
    return {
        f"{result.period.name}/{name}": content
        for result in results
        for name, content in period_files(result, None).items()
    }


def test_a_drafts_grouped_lines_give_the_same_statements_as_each_line(tmp_path: Path) -> None:
    lake, engine = _year_of_lines(tmp_path)

    grouped = _statements(lake, engine, "2025-Q4", grouped=True)
    line_by_line = _statements(lake, engine, "2025-Q4", grouped=False)

    assert grouped == line_by_line
    assert sorted({name.split("/")[0] for name in grouped}) == [
        "2025-Q1",
        "2025-Q2",
        "2025-Q3",
        "2025-Q4",
    ]
    with engine.connect() as connection:
        groups = connection.execute(text(f"SELECT COUNT(*) FROM {ROYALTY_MONEY.name}")).scalar()
    assert groups == 5  # 18 lines: three exports of the same six, two of them on one day


def test_the_groups_hold_every_line_exactly(tmp_path: Path) -> None:
    _, engine = _year_of_lines(tmp_path)

    with engine.connect() as connection:
        lines = connection.execute(
            text("SELECT reporting_date, earnings_picousd FROM royalty_lines")
        ).all()
        by_group = connection.execute(
            text(
                "SELECT reporting_date, SUM(earnings_picousd), SUM(lines) "
                f"FROM {ROYALTY_MONEY.name} GROUP BY reporting_date"
            )
        ).all()
    per_day: dict[str, int] = {}
    for day, amount in lines:
        per_day[str(day)] = per_day.get(str(day), 0) + int(amount)
    assert {str(day): int(amount) for day, amount, _ in by_group} == per_day
    assert sum(int(count) for *_, count in by_group) == len(lines) == 18
    assert from_units(sum(per_day.values())) == Decimal("3") * (
        Decimal("0.003417290113")
        + Decimal("1.000000000001")
        + Decimal("12.345678901234")
        - Decimal("0.250000000007")
        + Decimal("10.010101010101")
        + Decimal("9.999999999999")
    )


def _total(files: dict[str, str], period: str) -> Decimal:
    rows = csv.DictReader(io.StringIO(files[f"{period}/summary.csv"]))
    return next(Decimal(row["royalty_usd"]) for row in rows if row["payee"] == "total royalties")


def test_lines_loaded_after_the_last_refresh_are_read_from_the_lines(tmp_path: Path) -> None:
    lake, engine = _year_of_lines(tmp_path)
    before = _total(_statements(lake, engine, "2025-Q4", grouped=True), "2025-Q4")
    add_lines(engine, "bank4.csv", [("2025-11-25", "100.00", 1000)])  # no refresh after it

    with engine.connect() as connection:
        assert money_groups(connection) is not ROYALTY_MONEY
    grouped = _statements(lake, engine, "2025-Q4", grouped=True)

    assert grouped == _statements(lake, engine, "2025-Q4", grouped=False)
    assert _total(grouped, "2025-Q4") - before == Decimal("100.00")


def test_after_an_issued_quarter_a_draft_still_matches_line_by_line(tmp_path: Path) -> None:
    lake, engine = _year_of_lines(tmp_path)
    assert statements_command(lake, "2025-Q1", issue=True, today=TODAY) == 0
    add_lines(engine, "late.csv", [("2025-03-01", "4.44", 40)])  # reported inside closed Q1
    with engine.begin() as connection:
        refresh_aggregates(connection)

    grouped = _statements(lake, engine, "2025-Q3", grouped=True)

    assert grouped == _statements(lake, engine, "2025-Q3", grouped=False)
    assert "after 2025-Q1 was issued" in grouped["2025-Q2/zone_a0.csv"]

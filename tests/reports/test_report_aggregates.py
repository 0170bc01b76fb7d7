"""The report and the money analytics read royalties from the pre-aggregated groups the ETL
refreshes; every figure must equal the exact sum over the royalty lines themselves, also when
the groups are behind the lines (an ETL stopped between a load and its refresh)."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import Engine

from common.lake import Lake
from common.money.analytics_settings import load_money_rules
from common.money.net_income import royalties_by_reporting_month
from common.money.rates import streaming_earnings
from common.money.reconcile import reporting_lags
from common.reports.warehouse import report_summary
from common.warehouse.aggregates import ROYALTY_MONEY, money_groups
from common.warehouse.database import make_engine, warehouse_url
from common.warehouse.summary import TOP
from common.warehouse.types import from_units

LINES = (
    "SELECT r.reporting_date, r.sale_month, p.name, t.code, k.id, k.title, r.item_type, "
    "r.quantity, r.earnings_picousd FROM royalty_lines r JOIN platforms p ON p.id = r.platform_id "
    "LEFT JOIN territories t ON t.id = r.territory_id LEFT JOIN tracks k ON k.id = r.track_id"
)


@pytest.fixture
def engine(report_lake: Lake) -> Iterator[Engine]:
    made = make_engine(warehouse_url(report_lake))
    yield made
    made.dispose()


def _lines(lake: Lake) -> list[tuple[str, str, str, str | None, int | None, str, str, int, int]]:
    database = lake.root / "data_warehouse" / "bedrot_analytics.db"
    with sqlite3.connect(database) as connection:
        return [tuple(row) for row in connection.execute(LINES)]


def _assert_report_figures_equal_the_lines(lake: Lake, engine: Engine) -> None:
    lines = _lines(lake)
    by_month: dict[str, int] = defaultdict(int)
    by_store: dict[str, int] = defaultdict(int)
    by_track: dict[int, tuple[str, int, int]] = {}
    for _, month, store, _, track, title, _, quantity, picos in lines:
        by_month[month] += picos
        by_store[store] += picos
        if track is not None:
            _, units, earned = by_track.get(track, ("", 0, 0))
            by_track[track] = (title or "", units + quantity, earned + picos)
    tracks = sorted(
        ((title, units, from_units(picos)) for title, units, picos in by_track.values()),
        key=lambda row: (-row[2], row[0]),
    )

    summary = report_summary(engine)

    assert summary.total_revenue == from_units(sum(line[-1] for line in lines))
    assert summary.revenue_by_month == [(m, from_units(by_month[m])) for m in sorted(by_month)]
    assert sorted(summary.revenue_by_store) == sorted(
        (store, from_units(picos)) for store, picos in by_store.items()
    )
    assert summary.top_tracks == tracks[:TOP]


def _assert_money_equals_the_lines(lake: Lake, engine: Engine) -> None:
    lines = _lines(lake)
    rules = load_money_rules(lake)
    downloads = {store.lower() for store in rules.download_stores}
    reported: dict[str, int] = defaultdict(int)
    streamed: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    lags: dict[str, int] = defaultdict(int)
    for day, month, store, country, _, _, item_type, quantity, picos in lines:
        reported[str(day)[:7]] += picos
        lags[store] += 1
        if (item_type or "").lower() == "song" and store.lower() not in downloads:
            figures = streamed[(month, store, country or "")]
            figures[0] += quantity
            figures[1] += picos
            figures[2] += 1

    with engine.connect() as connection:
        assert royalties_by_reporting_month(connection) == {
            month: from_units(picos) for month, picos in reported.items()
        }
        earned = streaming_earnings(connection, rules)
        found_lags = reporting_lags(connection, rules)

    assert {key: (e.units, e.royalty, e.lines) for key, e in earned.items()} == {
        key: (units, from_units(picos), count) for key, (units, picos, count) in streamed.items()
    }
    assert {store: lag.lines for store, lag in found_lags.items() if store} == dict(lags)
    assert found_lags[None].lines == len(lines)


def test_the_report_and_money_read_the_aggregates_and_equal_the_lines(
    report_lake: Lake, engine: Engine
) -> None:
    with engine.connect() as connection:
        assert money_groups(connection) is ROYALTY_MONEY  # the ETL refreshed them: read them

    _assert_report_figures_equal_the_lines(report_lake, engine)
    _assert_money_equals_the_lines(report_lake, engine)
    assert report_summary(engine).total_revenue > Decimal(0)


def test_groups_behind_the_lines_are_not_read(report_lake: Lake, engine: Engine) -> None:
    """A load whose refresh never ran (the ETL was stopped): the lines are grouped on the fly."""
    database = report_lake.root / "data_warehouse" / "bedrot_analytics.db"
    with sqlite3.connect(database) as connection:
        connection.execute(
            "UPDATE royalty_lines SET earnings_picousd = earnings_picousd + 7000000000001, "
            "reporting_date = ? WHERE id = (SELECT MAX(id) FROM royalty_lines)",
            (date(2031, 3, 1).isoformat(),),
        )
        connection.execute(
            "UPDATE source_files SET loaded_at = '2031-03-02 00:00:00' "
            "WHERE id = (SELECT source_file_id FROM royalty_lines ORDER BY id DESC LIMIT 1)"
        )

    with engine.connect() as connection:
        assert money_groups(connection) is not ROYALTY_MONEY

    _assert_report_figures_equal_the_lines(report_lake, engine)
    _assert_money_equals_the_lines(report_lake, engine)

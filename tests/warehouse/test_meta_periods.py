"""Meta Ads reports over a range of days reach the warehouse (ad_performance_period), and spend
read from it (v_ad_spend, the demo summary, the report) counts each day once: daily rows where
they exist, a range only when no daily row covers its days, never two overlapping ranges."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from common.lake import Lake
from common.reports.warehouse import WarehouseFigures
from common.warehouse.database import make_engine, migrate
from common.warehouse.models import AdPerformancePeriod, Artist, Campaign, SourceFile
from common.warehouse.summary import summarize
from tests.metaads.metaads_lake import (
    API_SAMPLE,
    EXPORT_SAMPLE,
    api_row,
    curated_rows,
    drop,
    drop_bytes,
    drop_json,
    new_lake,
    response,
    run_ok,
)
from tests.pgserver import PostgresServer
from tests.warehouse.conftest import NoPostgres, Warehouse, etl, require_postgres

CAMPAIGN = "PIG1987 - NIGHT SHIFT - BROAD"
EXPORT_HEADER = "Reporting starts,Reporting ends,Campaign name,Impressions,Amount spent (USD)\n"
PERIOD_FILE = "4_curated/metaads_period_performance.csv"


@pytest.fixture
def meta_lake(tmp_path: Path) -> Lake:
    return new_lake(tmp_path / "lake")


@pytest.fixture(params=["sqlite", "postgresql"])
def database(
    request: pytest.FixtureRequest, meta_lake: Lake, postgres: PostgresServer | NoPostgres
) -> Warehouse:
    if request.param == "sqlite":
        path = meta_lake.root / "data_warehouse" / "bedrot_analytics.db"
        return Warehouse("sqlite", f"sqlite:///{path}")
    server = require_postgres(postgres)
    return Warehouse("postgresql", server.create_database(f"m{uuid.uuid4().hex[:12]}"))


def _export(*lines: tuple[str, str, str]) -> bytes:
    rows = "".join(f"{first},{last},{CAMPAIGN},1000,{spend}\n" for first, last, spend in lines)
    return (EXPORT_HEADER + rows).encode()


def _drop_april(lake: Lake) -> None:
    """A monthly export: April's 90.00 on CAMPAIGN."""
    drop_bytes(
        lake, "BEDROT-ADS-Apr_20250501_090000.csv", _export(("2025-04-01", "2025-04-30", "90.00"))
    )


def _clean_and_load(lake: Lake, database: Warehouse) -> str:
    run_ok(lake)
    result = etl(lake, env=database.env)
    assert result.returncode == 0, result.stderr
    return result.stderr


def _spend(lake: Lake, database: Warehouse) -> dict[str, Decimal]:
    """Per campaign: the demo summary's spend, checked against the report's and the curated one."""
    engine = database.engine()
    summary = summarize(engine)
    _, campaigns = WarehouseFigures(engine, summary).ad_campaigns()
    curated = {
        r["campaign"]: Decimal(r["spend"])
        for r in curated_rows(lake, "metaads_campaign_summary.csv")
    }
    assert [(c.campaign, c.spend) for c in campaigns] == summary.ad_spend_by_campaign
    assert dict(summary.ad_spend_by_campaign) == curated
    return dict(summary.ad_spend_by_campaign)


def test_a_monthly_export_lands_in_the_period_table_with_its_exact_spend(
    meta_lake: Lake, database: Warehouse
) -> None:
    drop(meta_lake, EXPORT_SAMPLE, "BEDROT-ADS-Jan-2025_20250201_090000.csv")
    _clean_and_load(meta_lake, database)
    period = AdPerformancePeriod
    query = (
        select(
            Campaign.name, period.period_start, period.period_end, period.days, period.level_rank,
            period.spend, period.currency, period.impressions, period.clicks, period.reach,
            SourceFile.path,
        )  # fmt: skip
        .join(Campaign, Campaign.id == period.campaign_id).join(
            SourceFile, SourceFile.id == period.source_file_id
        )
    )

    with database.engine().connect() as connection:
        rows = connection.execute(query).all()
    again = etl(meta_lake, env=database.env)
    with database.engine().connect() as connection:
        after = connection.execute(query).all()

    assert [tuple(row) for row in rows] == [
        (
            "EXAMPLE ARTIST - FIRST SONG - BROAD", date(2025, 1, 1), date(2025, 1, 31), 31, 3,
            Decimal("21.40"), "USD", 15880, 57, 10421, PERIOD_FILE,
        )  # fmt: skip
    ]
    assert _spend(meta_lake, database) == {"EXAMPLE ARTIST - FIRST SONG - BROAD": Decimal("21.40")}
    assert "0 file(s) loaded" in again.stderr and after == rows


def test_a_new_export_replaces_the_period_rows_of_its_file(
    meta_lake: Lake, database: Warehouse
) -> None:
    _drop_april(meta_lake)
    _clean_and_load(meta_lake, database)
    revised = _export(("2025-04-01", "2025-04-30", "91.25"), ("2025-05-01", "2025-05-31", "40.00"))
    drop_bytes(meta_lake, "BEDROT-ADS-Apr-May_20250601_090000.csv", revised)

    _clean_and_load(meta_lake, database)

    with database.engine().connect() as connection:
        spends = connection.execute(
            select(AdPerformancePeriod.period_start, AdPerformancePeriod.spend).order_by(
                AdPerformancePeriod.period_start
            )
        ).all()
    assert [tuple(row) for row in spends] == [
        (date(2025, 4, 1), Decimal("91.25")),
        (date(2025, 5, 1), Decimal("40.00")),
    ]
    assert _spend(meta_lake, database) == {CAMPAIGN: Decimal("131.25")}


def test_a_range_beside_daily_rows_counts_each_day_once(
    meta_lake: Lake, database: Warehouse
) -> None:
    days = [api_row(f"2025-04-1{n}", spend="2.50", adset=a) for n in (1, 2, 3) for a in "12"]
    campaign_days = [api_row(f"2025-04-1{n}", spend="5.00", adset=None) for n in (1, 2, 3)]
    drop_json(meta_lake, "metaads_insights_20250414_080000.json", response(*days, *campaign_days))
    months = _export(("2025-04-01", "2025-04-30", "90.00"), ("2025-05-01", "2025-05-31", "40.00"))
    drop_bytes(meta_lake, "BEDROT-ADS-Apr-May_20250601_090000.csv", months)

    _clean_and_load(meta_lake, database)

    # April 11–13 by day at campaign level (15.00); May by its range (40.00). April's range holds
    # days reported by day, so it is left out rather than added on top of them.
    assert _spend(meta_lake, database) == {CAMPAIGN: Decimal("55.00")}
    with database.engine().connect() as connection:
        counted = connection.execute(
            text("SELECT span_kind, COUNT(*) FROM v_ad_spend GROUP BY span_kind ORDER BY span_kind")
        ).all()
    assert [tuple(row) for row in counted] == [("day", 3), ("range", 1)]


def test_two_overlapping_ranges_are_not_summed(meta_lake: Lake, database: Warehouse) -> None:
    ranges = _export(
        ("2025-04-01", "2025-04-30", "90.00"),
        ("2025-04-07", "2025-04-13", "21.00"),
        ("2025-05-01", "2025-05-31", "40.00"),
    )
    drop_bytes(meta_lake, "BEDROT-ADS-Apr-May_20250601_090000.csv", ranges)

    _clean_and_load(meta_lake, database)

    # The week beats the month it lies in; May, overlapping nothing, counts too.
    assert _spend(meta_lake, database) == {CAMPAIGN: Decimal("61.00")}


def test_daily_rows_of_an_unknown_currency_still_load(meta_lake: Lake) -> None:
    drop(meta_lake, API_SAMPLE, "metaads_insights_20250103_080000.json")  # no account_currency
    url = f"sqlite:///{meta_lake.root / 'data_warehouse' / 'bedrot_analytics.db'}"

    _clean_and_load(meta_lake, Warehouse("sqlite", url))

    with make_engine(url).connect() as connection:
        currencies = connection.execute(text("SELECT currency FROM v_ad_spend")).scalars().all()
    assert currencies == [None, None]
    assert _spend(meta_lake, Warehouse("sqlite", url)) == {
        "EXAMPLE ARTIST - FIRST SONG - BROAD": Decimal("6.36")
    }


def test_duplicate_markers_create_no_artist(meta_lake: Lake) -> None:
    names = (
        "ZONE A0 - TRACK - BROAD - Copy",
        "Copy of ZONE A0 - TRACK - BROAD",
        "ZONE A0 - TRACK - BROAD - Copy 2",
        "zone.a0 - TRACK - BROAD - Copy - Copy",
    )
    rows = [api_row("2025-04-11", campaign=str(n), name=name) for n, name in enumerate(names, 1)]
    drop_json(meta_lake, "metaads_insights_20250412_080000.json", response(*rows))

    url = f"sqlite:///{meta_lake.root / 'data_warehouse' / 'bedrot_analytics.db'}"
    _clean_and_load(meta_lake, Warehouse("sqlite", url))

    with make_engine(url).connect() as connection:
        parsed = connection.execute(
            select(Campaign.name, Artist.name, Campaign.track, Campaign.targeting)
            .join(Artist, Artist.id == Campaign.artist_id)
            .order_by(Campaign.name)
        ).all()
        copies = connection.execute(
            select(Artist.name).where(func.lower(Artist.name).like("%copy%"))
        ).all()
    assert [tuple(row) for row in parsed] == [
        (name, "ZONE A0", "TRACK", "BROAD") for name in sorted(names)
    ]
    assert copies == []


def test_an_older_warehouse_gets_the_period_table_by_migration(meta_lake: Lake) -> None:
    url = f"sqlite:///{meta_lake.root / 'data_warehouse' / 'bedrot_analytics.db'}"
    engine = make_engine(url)
    migrate(engine)
    with engine.begin() as connection:  # as a database migrated before step 3 was written
        connection.execute(text("DROP VIEW v_ad_spend"))
        connection.execute(text("DROP TABLE ad_performance_period"))
        connection.execute(text("DELETE FROM schema_migrations WHERE version = 3"))
    drop(meta_lake, EXPORT_SAMPLE, "BEDROT-ADS-Jan-2025_20250201_090000.csv")

    log = _clean_and_load(meta_lake, Warehouse("sqlite", url))

    assert "Meta Ads per-period performance" in log
    with engine.connect() as connection:
        periods = connection.execute(select(func.count()).select_from(AdPerformancePeriod))
        assert periods.scalar_one() == 1
    assert _spend(meta_lake, Warehouse("sqlite", url)) == {
        "EXAMPLE ARTIST - FIRST SONG - BROAD": Decimal("21.40")
    }


def test_spend_in_another_currency_is_kept_but_never_added_to_a_dollar_figure(
    meta_lake: Lake, database: Warehouse
) -> None:
    _drop_april(meta_lake)
    euros = EXPORT_HEADER.replace("(USD)", "(EUR)")
    euros += "2025-04-01,2025-04-30,ZONE A0 - PARALLAX - TECHNO,500,100.50\n"
    drop_bytes(meta_lake, "BEDROT-ADS-EU-Apr_20250501_090000.csv", euros.encode())

    log = _clean_and_load(meta_lake, database)

    with database.engine().connect() as connection:
        kept = connection.execute(
            select(AdPerformancePeriod.spend, AdPerformancePeriod.currency).order_by(
                AdPerformancePeriod.currency
            )
        ).all()
        counted = connection.execute(text("SELECT campaign, spend_exact FROM v_ad_spend")).all()
    assert [tuple(row) for row in kept] == [(Decimal("100.50"), "EUR"), (Decimal("90.00"), "USD")]
    assert [tuple(row) for row in counted] == [(CAMPAIGN, "90.000000000000")]
    assert dict(summarize(database.engine()).ad_spend_by_campaign) == {CAMPAIGN: Decimal("90.00")}
    assert "Meta Ads spend of 100.50 EUR is kept with its currency but left out" in log

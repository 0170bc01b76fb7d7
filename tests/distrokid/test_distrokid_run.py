"""DistroKid end to end, as a user runs it: exports dropped in landing, `bedrot run`, the
curated files and the warehouse. The step logic itself is tested in-process beside this file."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select

from common.lake import Lake
from common.testing import lake_with_services
from common.warehouse.database import make_engine, warehouse_url
from common.warehouse.models import RoyaltyLine
from tests.conftest import bedrot_in
from tests.distrokid.conftest import FIXTURES, REPO, curated_rows, drop, export_earnings

EXPORT = "dk_bank_details_2025_15col_quoted.csv"


def test_bedrot_run_takes_an_export_and_a_stats_page_to_curated_and_the_warehouse(
    tmp_path: Path,
) -> None:
    lake = lake_with_services(tmp_path / "lake", REPO, ["distrokid"], etl=True)
    drop(lake, EXPORT, "dk_bank_details_20250510_080000.csv")
    drop(lake, "streams_stats_skeleton.html", "streams_stats_20250103_080000.html")

    run = bedrot_in(lake, "run", "--automated", "--no-extract")

    assert run.returncode == 0, run.stdout + run.stderr
    expected = export_earnings(FIXTURES / EXPORT, "utf-8", ",")
    rows = curated_rows(lake, "dk_bank_details.csv")
    assert sorted(Decimal(r["earnings_usd"]) for r in rows) == sorted(expected)
    daily = {r["date"]: r["spotify_streams"] for r in curated_rows(lake, "tidy_daily_streams.csv")}
    assert daily["2024-12-31"] == "39"
    assert _warehouse_earnings(lake) == sum(expected)


def _warehouse_earnings(lake: Lake) -> Decimal:
    engine = make_engine(warehouse_url(lake))
    try:
        with engine.connect() as connection:
            total = connection.execute(select(func.sum(RoyaltyLine.earnings_usd))).scalar_one()
    finally:
        engine.dispose()
    assert isinstance(total, Decimal)
    return total

"""The one Meta Ads test through `bedrot run`: a dropped API response reaches curated and the
warehouse, each cleaner run once as its own process (the step logic is tested in-process)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from common.lake import Lake
from common.ledger import read_records
from common.warehouse.database import make_engine, warehouse_url
from tests.conftest import RunBedrot
from tests.metaads.metaads_lake import (
    API_SAMPLE,
    DAILY,
    SERVICE,
    SUMMARY,
    curated_rows,
    drop,
    money,
    new_lake,
)

STEPS = [("landing2raw", "ok"), ("raw2staging", "ok"), ("staging2curated", "ok")]


@pytest.fixture
def lake(tmp_path: Path) -> Lake:
    """The lake `bedrot` runs in: the service, the label's artists and the warehouse ETL."""
    return new_lake(tmp_path / "lake", {"default_currency": "USD"}, etl=True)


def test_a_run_takes_an_api_response_to_curated_and_the_warehouse(
    lake: Lake, bedrot: RunBedrot
) -> None:
    drop(lake, API_SAMPLE, "metaads_insights_20250103_080000.json")

    run = bedrot("run", "--automated", "--no-extract", "--services", SERVICE)

    assert run.returncode == 0, run.stdout + run.stderr
    ran = [(r.step, r.outcome) for r in read_records(lake.logs) if r.service == SERVICE]
    assert sorted(ran) == STEPS
    daily = curated_rows(lake, DAILY)
    assert [r["date"] for r in daily] == ["2025-01-01", "2025-01-02"]
    assert money(curated_rows(lake, SUMMARY)) == money(daily)
    with make_engine(warehouse_url(lake)).connect() as warehouse:
        days = warehouse.execute(text("SELECT COUNT(*) FROM ad_performance_daily")).scalar_one()
    assert days == 2

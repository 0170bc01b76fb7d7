"""The one YouTube test through `bedrot run`: dropped API reports reach curated (each cleaner
run once as its own process) and, once the lead registers the YouTube loaders in
common.warehouse.sources, the warehouse."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from common.lake import Lake
from common.ledger import read_records
from common.warehouse.database import make_engine, warehouse_url
from common.warehouse.sources import LOADERS
from tests.conftest import RunBedrot
from tests.youtube.youtube_lake import API_SAMPLE, CHANNEL_DAILY, SERVICE, curated_rows, drop
from tests.youtube.youtube_lake import new_lake as youtube_lake

STEPS = [("landing2raw", "ok"), ("raw2staging", "ok"), ("staging2curated", "ok")]
REGISTERED = "youtube_daily" in LOADERS


@pytest.fixture
def lake(tmp_path: Path) -> Lake:
    return youtube_lake(tmp_path / "lake", etl=True)


def test_a_run_takes_an_api_report_to_curated(lake: Lake, bedrot: RunBedrot) -> None:
    drop(lake, API_SAMPLE, "youtube_channel_daily_20250105_080000.json")

    run = bedrot("run", "--automated", "--no-extract", "--no-warehouse", "--services", SERVICE)

    assert run.returncode == 0, run.stdout + run.stderr
    ran = [(r.step, r.outcome) for r in read_records(lake.logs) if r.service == SERVICE]
    assert sorted(ran) == STEPS
    assert [r["views"] for r in curated_rows(lake, CHANNEL_DAILY)] == ["149", "67"]


# WAREHOUSE PART: passes once sources.py registers the youtube_daily loader (see the report).
@pytest.mark.skipif(not REGISTERED, reason="the lead has not registered the YouTube loaders yet")
def test_a_run_loads_the_channel_days_into_social_daily(lake: Lake, bedrot: RunBedrot) -> None:
    drop(lake, API_SAMPLE, "youtube_channel_daily_20250105_080000.json")

    run = bedrot("run", "--automated", "--no-extract", "--services", SERVICE)

    assert run.returncode == 0, run.stdout + run.stderr
    with make_engine(warehouse_url(lake)).connect() as warehouse:
        views = warehouse.execute(
            text(
                "SELECT SUM(s.video_views) FROM social_daily s JOIN platforms p "
                "ON p.id = s.platform_id WHERE p.name = 'YouTube'"
            )
        ).scalar_one()
    assert views == 149 + 67

"""The one Spotify test through `bedrot run`: dropped exports reach curated and the warehouse, each
cleaner run once as its own process (the step logic is tested in-process elsewhere)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from common.lake import Lake
from common.ledger import read_records
from common.warehouse.database import make_engine, warehouse_url
from tests.conftest import RunBedrot
from tests.spotify.spotify_lake import SAMPLES, SERVICE, audience_files, drop, new_lake

STEPS = [("landing2raw", "ok"), ("raw2staging", "ok"), ("staging2curated", "ok")]


@pytest.fixture
def lake(tmp_path: Path) -> Lake:
    """The lake `bedrot` runs in: the service, its artists and the warehouse ETL."""
    return new_lake(tmp_path / "lake", etl=True)


def test_a_run_takes_every_sample_to_curated_and_the_warehouse(
    lake: Lake, bedrot: RunBedrot
) -> None:
    for sample in SAMPLES:
        drop(lake, sample, datetime(2025, 9, 3, 8, 0, 0))

    run = bedrot("run", "--automated", "--no-extract", "--services", SERVICE)

    assert run.returncode == 0, run.stdout + run.stderr
    ran = [(r.step, r.outcome) for r in read_records(lake.logs) if r.service == SERVICE]
    assert sorted(ran) == STEPS
    assert [p.name for p in audience_files(lake)] == ["spotify_audience_curated_20250903.csv"]
    with make_engine(warehouse_url(lake)).connect() as warehouse:
        days = warehouse.execute(text("SELECT COUNT(*) FROM spotify_audience_daily")).scalar_one()
    assert days == 5

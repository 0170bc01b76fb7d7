"""The one TikTok test through `bedrot run`: a dropped Studio export reaches curated and the
warehouse, each cleaner run once as its own process (the step logic is tested in-process)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from common.lake import Lake
from common.ledger import read_records
from common.warehouse.database import make_engine, warehouse_url
from tests.conftest import RunBedrot
from tests.tiktok.tiktok_lake import SERVICE, daily, epoch, fixture, land, tiktok_lake, zip_bytes

STEPS = [("landing2raw", "ok"), ("raw2staging", "ok"), ("staging2curated", "ok")]
STEM = f"2024-12-30_{epoch('2025-01-02T15:30')}"


@pytest.fixture
def lake(tmp_path: Path) -> Lake:
    """The lake `bedrot` runs in: the service, the label's artists and the warehouse ETL."""
    return tiktok_lake(tmp_path / "lake", etl=True)


def test_a_run_takes_a_studio_export_to_curated_and_the_warehouse(
    lake: Lake, bedrot: RunBedrot
) -> None:
    land(lake, f"Overview_{STEM}_zone.a0.zip", zip_bytes({"Overview.csv": fixture("Overview.csv")}))

    run = bedrot("run", "--automated", "--no-extract", "--services", SERVICE)

    assert run.returncode == 0, run.stdout + run.stderr
    ran = [(r.step, r.outcome) for r in read_records(lake.logs) if r.service == SERVICE]
    assert sorted(ran) == STEPS
    assert [r["date"] for r in daily(lake, "zone.a0")] == [
        "2024-12-30",
        "2024-12-31",
        "2025-01-01",
        "2025-01-02",
    ]
    with make_engine(warehouse_url(lake)).connect() as warehouse:
        days = warehouse.execute(text("SELECT COUNT(*) FROM social_daily")).scalar_one()
    assert days == 4

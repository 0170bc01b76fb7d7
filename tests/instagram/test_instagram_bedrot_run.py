"""The one Instagram test through `bedrot run`: dropped files reach curated, each cleaner run
once as its own process, and (once warehouse/sources.py registers the Instagram loaders) the
warehouse. The step logic is tested in-process."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from common.lake import Lake
from common.ledger import read_records
from common.warehouse.database import make_engine, warehouse_url
from common.warehouse.sources import LOADERS
from tests.conftest import RunBedrot
from tests.instagram.instagram_lake import (
    API_SAMPLE,
    EXPORT_SAMPLE,
    SERVICE,
    by_day,
    drop,
    new_lake,
)

STEPS = [("landing2raw", "ok"), ("raw2staging", "ok"), ("staging2curated", "ok")]
REGISTERED = {"instagram_daily", "instagram_media", "instagram_media_daily"} <= set(LOADERS)


@pytest.fixture
def lake(tmp_path: Path) -> Lake:
    return new_lake(tmp_path / "lake", etl=True)


def test_a_run_takes_dropped_files_to_curated_and_the_warehouse(
    lake: Lake, bedrot: RunBedrot
) -> None:
    drop(lake, API_SAMPLE, "instagram_insights_20250104_080000.json")
    drop(lake, EXPORT_SAMPLE, "Views_20250103_090000.csv")

    run = bedrot("run", "--automated", "--no-extract", "--services", SERVICE,
                 *([] if REGISTERED else ["--no-warehouse"]))  # fmt: skip

    assert run.returncode == 0, run.stdout + run.stderr
    ran = [(r.step, r.outcome) for r in read_records(lake.logs) if r.service == SERVICE]
    assert sorted(ran) == STEPS
    # The API sample's reach values end on 2 and 3 January (Pacific midnight): 1 and 2 January.
    assert by_day(lake, "views") == {"2025-01-01": "8226", "2025-01-02": "905"}
    assert by_day(lake, "reach")["2025-01-02"] == "640"
    if not REGISTERED:
        pytest.skip("warehouse part: waits for the Instagram loaders in warehouse/sources.py")
    # Warehouse part: only once the lead has registered the loaders.
    with make_engine(warehouse_url(lake)).connect() as warehouse:
        views = warehouse.execute(text(
            "SELECT SUM(d.video_views) FROM social_daily d JOIN platforms p "
            "ON p.id = d.platform_id WHERE p.name = 'Instagram'"
        )).scalar_one()  # fmt: skip
    assert views == 8226 + 905

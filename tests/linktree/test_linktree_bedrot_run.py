"""The one Linktree test through `bedrot run`: a dropped capture reaches curated and the
warehouse, each cleaner run once as its own process (the step logic is tested in-process)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from common.lake import Lake
from common.ledger import read_records
from common.warehouse.database import make_engine, warehouse_url
from tests.conftest import RunBedrot
from tests.linktree.linktree_lake import SERVICE, daily, drop, new_lake, overview

STEPS = [("landing2raw", "ok"), ("raw2staging", "ok"), ("staging2curated", "ok")]


@pytest.fixture
def lake(tmp_path: Path) -> Lake:
    """The lake `bedrot` runs in: the service and the warehouse ETL."""
    return new_lake(tmp_path / "lake", etl=True)


def test_a_run_takes_a_capture_to_curated_and_the_warehouse(lake: Lake, bedrot: RunBedrot) -> None:
    days = {"2025-01-01": (40, 6), "2025-01-02": (30, 3)}
    drop(lake, "graphql_20250103_080000.json", overview(days))

    run = bedrot("run", "--automated", "--no-extract", "--services", SERVICE)

    assert run.returncode == 0, run.stdout + run.stderr
    ran = [(r.step, r.outcome) for r in read_records(lake.logs) if r.service == SERVICE]
    assert sorted(ran) == STEPS
    assert daily(lake) == {
        "2025-01-01": ("40", "6", "false"),
        "2025-01-02": ("30", "3", "false"),
    }
    with make_engine(warehouse_url(lake)).connect() as warehouse:
        rows = warehouse.execute(text("SELECT COUNT(*) FROM link_analytics_daily")).scalar_one()
    assert rows == 2

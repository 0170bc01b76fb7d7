"""The Mailchimp tests through `bedrot run`: a saved API answer reaches curated (and, once the
lead registers the loaders in common.warehouse.sources, the warehouse), each cleaner run once as
its own process (the step logic is tested in-process)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from common.lake import Lake
from common.ledger import read_records
from common.warehouse.database import make_engine, warehouse_url
from common.warehouse.sources import LOADERS
from tests.conftest import RunBedrot
from tests.mailchimp.mailchimp_lake import (
    CAMPAIGNS,
    GROWTH_SAMPLE,
    REPORTS_SAMPLE,
    SERVICE,
    curated_rows,
    drop,
    new_lake,
)

STEPS = [("landing2raw", "ok"), ("raw2staging", "ok"), ("staging2curated", "ok")]
REGISTERED = {"email_campaigns", "email_list_growth", "email_audience"} <= set(LOADERS)


@pytest.fixture
def lake(tmp_path: Path) -> Lake:
    """The lake `bedrot` runs in: the service and the warehouse ETL."""
    lake = new_lake(tmp_path / "lake", etl=True)
    drop(lake, REPORTS_SAMPLE, "mailchimp_reports_20250120_080000.json")
    drop(lake, GROWTH_SAMPLE, "mailchimp_growth-history_20250120_080000.json")
    return lake


def test_a_run_takes_a_saved_answer_to_curated(lake: Lake, bedrot: RunBedrot) -> None:
    run = bedrot("run", "--automated", "--no-extract", "--no-warehouse", "--services", SERVICE)

    assert run.returncode == 0, run.stdout + run.stderr
    ran = [(r.step, r.outcome) for r in read_records(lake.logs) if r.service == SERVICE]
    assert sorted(ran) == STEPS
    assert [r["emails_sent"] for r in curated_rows(lake, CAMPAIGNS)] == ["1200"]


# WAREHOUSE: passes once the lead adds the three Mailchimp loaders to sources.LOADERS.
@pytest.mark.skipif(not REGISTERED, reason="the Mailchimp loaders are not registered yet")
def test_a_run_takes_a_saved_answer_to_the_warehouse(lake: Lake, bedrot: RunBedrot) -> None:
    run = bedrot("run", "--automated", "--no-extract", "--services", SERVICE)

    assert run.returncode == 0, run.stdout + run.stderr
    with make_engine(warehouse_url(lake)).connect() as warehouse:
        sent = warehouse.execute(text("SELECT emails_sent FROM email_campaigns")).scalars().all()
        months = warehouse.execute(text("SELECT COUNT(*) FROM list_growth")).scalar_one()
    assert (sent, months) == ([1200], 2)

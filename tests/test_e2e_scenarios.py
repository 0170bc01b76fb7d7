"""End-to-end scenarios, as the label lives them: the scheduled morning run through the
scheduler's wrapper with a bad file among good ones, and an export dropped twice."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import func, select

from common.lake import Lake
from common.testing import lake_with_services
from common.warehouse.database import make_engine, warehouse_url
from common.warehouse.models import Expense
from tests.conftest import bedrot_env

CHECKOUT = Lake(Path(__file__).resolve().parents[1])
FIXTURES = Path(__file__).resolve().parent / "fixtures"
WRAPPER = CHECKOUT.root / "6_automated_cronjob" / "run_datalake_cron_no_extractors.sh"
LOGIN_PAGE = b"<!DOCTYPE html><html><head><title>Sign in</title></head><body>Log in</body></html>"

pytestmark = pytest.mark.slow


def _scheduled_run(lake: Lake) -> subprocess.CompletedProcess[str]:
    """What Task Scheduler or cron starts each morning (the .sh twin of the .bat)."""
    return subprocess.run(
        ["bash", str(WRAPPER)],
        env=bedrot_env(lake.root),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _expenses(lake: Lake) -> int:
    engine = make_engine(warehouse_url(lake))
    with engine.connect() as connection:
        count = connection.execute(select(func.count()).select_from(Expense)).scalar_one()
    engine.dispose()
    return int(count)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_morning_run_quarantines_a_login_page_and_loads_the_rest(tmp_path: Path) -> None:
    lake = lake_with_services(tmp_path / "lake", CHECKOUT, ["distrokid", "capitalone"], etl=True)
    bad = lake.root / "1_landing" / "distrokid" / "dk_bank_details_20260301_070000.tsv"
    bad.write_bytes(LOGIN_PAGE)
    good = lake.root / "1_landing" / "capitalone" / "2026-01-31_transaction_download.csv"
    shutil.copyfile(FIXTURES / "capitalone" / good.name, good)
    landed = {path: _digest(path) for path in (bad, good)}

    run = _scheduled_run(lake)

    assert run.returncode == 0, run.stdout + run.stderr  # a quarantine is not a failure
    assert "[STEP 6/6]" in run.stdout
    reasons = list(lake.root.glob("*/_quarantine/distrokid/*.reason.json"))
    assert len(reasons) == 1
    assert "html" in json.loads(reasons[0].read_text(encoding="utf-8"))["what_failed"].lower()
    assert _expenses(lake) > 0
    assert {path: _digest(path) for path in landed} == landed  # landing is never modified


def test_an_export_dropped_again_under_a_new_name_is_counted_once(tmp_path: Path) -> None:
    lake = lake_with_services(tmp_path / "lake", CHECKOUT, ["capitalone"], etl=True)
    landing = lake.root / "1_landing" / "capitalone"
    export = FIXTURES / "capitalone" / "2026-01-31_transaction_download.csv"
    shutil.copyfile(export, landing / export.name)
    first = _scheduled_run(lake)
    assert first.returncode == 0, first.stdout + first.stderr
    once = _expenses(lake)

    shutil.copyfile(export, landing / "transactions copy (1).csv")
    again = _scheduled_run(lake)

    assert again.returncode == 0, again.stdout + again.stderr
    assert _expenses(lake) == once > 0
    assert sorted(os.listdir(landing)) == sorted([export.name, "transactions copy (1).csv"])

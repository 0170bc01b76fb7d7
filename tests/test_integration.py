"""Integration: the parts working together on one lake, from exports in landing to the
warehouse, health and the install check, each through the command a user types."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from common.lake import Lake
from common.testing import lake_with_services
from common.warehouse.database import make_engine, warehouse_url
from common.warehouse.models import Expense, RoyaltyLine
from tests.conftest import bedrot_in

CHECKOUT = Lake(Path(__file__).resolve().parents[1])
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SERVICES = ["distrokid", "toolost", "capitalone"]

pytestmark = pytest.mark.slow


def _drop(lake: Lake, service: str, fixture: str, name: str) -> Path:
    target = lake.root / "1_landing" / service / name
    shutil.copyfile(FIXTURES / service / fixture, target)
    return target


def _export_earnings(export: Path) -> Decimal:
    with export.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream, delimiter="\t"))
    return sum((Decimal(row["Earnings (USD)"]) for row in rows), Decimal(0))


@pytest.fixture(scope="module")
def loaded(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Lake, subprocess.CompletedProcess[str]]:
    lake = lake_with_services(
        tmp_path_factory.mktemp("integration") / "lake", CHECKOUT, SERVICES, etl=True
    )
    _drop(
        lake, "distrokid", "dk_bank_details_legacy13_CR.tsv", "dk_bank_details_20250510_080000.tsv"
    )
    _drop(lake, "toolost", "toolost_spotify_sample.json", "toolost_spotify_20250510_080000.json")
    _drop(lake, "toolost", "toolost_apple_sample.json", "toolost_apple_20250510_080000.json")
    for export in sorted((FIXTURES / "capitalone").glob("2026-0[12]*.csv")):
        _drop(lake, "capitalone", export.name, export.name)
    return lake, bedrot_in(lake, "run", "--automated", "--no-extract")


def test_a_run_takes_every_export_to_curated_and_the_warehouse(
    loaded: tuple[Lake, subprocess.CompletedProcess[str]],
) -> None:
    lake, run = loaded
    assert run.returncode == 0, run.stdout + run.stderr
    for step in range(1, 7):
        assert f"[STEP {step}/6]" in run.stdout
    tidy = lake.root / "4_curated" / "tidy_daily_streams.csv"
    with tidy.open(encoding="utf-8", newline="") as stream:
        sources = {row["source"] for row in csv.DictReader(stream)}
    assert sources == {"toolost"}  # bank details carry money; daily streams come from stats pages
    engine = make_engine(warehouse_url(lake))
    with engine.connect() as connection:
        earnings = connection.execute(select(func.sum(RoyaltyLine.earnings_usd))).scalar_one()
        expenses = connection.execute(select(func.count()).select_from(Expense)).scalar_one()
    engine.dispose()
    export = lake.root / "1_landing" / "distrokid" / "dk_bank_details_20250510_080000.tsv"
    assert earnings == _export_earnings(export)
    assert expenses > 0


def test_health_and_doctor_read_the_same_lake_after_the_run(
    loaded: tuple[Lake, subprocess.CompletedProcess[str]],
) -> None:
    lake, _ = loaded
    health = bedrot_in(lake, "health", "--json")
    report = json.loads(health.stdout)
    services = {entry["service"]: entry for entry in report["services"]}
    assert set(SERVICES) <= set(services)
    # Nothing is stuck between zones after a full run.
    assert all(not services[name]["blocks"] for name in SERVICES)
    doctor = bedrot_in(lake, "doctor")
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    warehouse_line = next(
        line for line in doctor.stdout.splitlines() if line.startswith("warehouse")
    )
    assert "[OK]" in warehouse_line and "schema version" in warehouse_line


def test_a_second_run_with_nothing_new_changes_nothing(
    loaded: tuple[Lake, subprocess.CompletedProcess[str]],
) -> None:
    lake, _ = loaded
    engine = make_engine(warehouse_url(lake))
    with engine.connect() as connection:
        before = connection.execute(select(func.count()).select_from(RoyaltyLine)).scalar_one()
    again = bedrot_in(lake, "run", "--automated", "--no-extract")
    with engine.connect() as connection:
        after = connection.execute(select(func.count()).select_from(RoyaltyLine)).scalar_one()
    engine.dispose()
    assert again.returncode == 0, again.stdout + again.stderr
    assert after == before
    assert "up to date" in again.stdout

"""A lake made by `bedrot init` is a data folder: the installed services curate what lands in it,
the warehouse loads it, and a service of its own in src/ runs beside the built-in ones."""

from __future__ import annotations

import csv
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select

from common.discovery import BUILTIN_ROOT, builtin_service_folders, discover_services
from common.lake import Lake
from common.testing import lake_for
from common.warehouse.database import make_engine, warehouse_url
from common.warehouse.models import Expense
from tests.conftest import BEDROT, bedrot_env

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
EXPORT = FIXTURES / "capitalone" / "2026-01-31_transaction_download.csv"


def bedrot(
    lake_root: Path | None, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BEDROT), *args],
        cwd=lake_root or BEDROT.parent,
        env=bedrot_env(lake_root, env),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _debits(path: Path) -> Decimal:
    with path.open(encoding="utf-8", newline="") as stream:
        return sum(
            (Decimal(row["Debit"]) for row in csv.DictReader(stream) if row["Debit"]),
            start=Decimal(0),
        )


def test_an_init_made_lake_takes_a_capital_one_export_to_the_warehouse(tmp_path: Path) -> None:
    """As on a Windows machine: a lake under a user folder with a letter outside the ANSI code
    page, the run's output redirected (Task Scheduler's log file is written in that page)."""
    root = tmp_path / "Łukasz" / "My Lake"
    made = bedrot(None, "init", str(root))
    landing = root / "1_landing" / "capitalone"  # made by init, one per service
    shutil.copyfile(EXPORT, landing / EXPORT.name)

    result = bedrot(root, "run", "--no-extract", env={"PYTHONIOENCODING": "cp1252"})

    assert made.returncode == 0, made.stderr
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Services in this run: capitalone, distrokid," in result.stdout
    assert list((root / "src").iterdir()) == []  # no code was copied into the lake
    curated = root / "4_curated" / "capitalone_transactions.csv"
    with curated.open(encoding="utf-8", newline="") as stream:
        curated_rows = list(csv.DictReader(stream))
    engine = make_engine(warehouse_url(Lake(root)))
    try:
        with engine.connect() as connection:
            rows = connection.execute(select(func.count()).select_from(Expense)).scalar_one()
            debits = connection.execute(select(func.sum(Expense.debit_usd))).scalar_one()
    finally:
        engine.dispose()
    assert rows == len(curated_rows) > 0
    assert debits == _debits(EXPORT)


OWN_MODULE = 'GREETING = "hello from a lake service"\n'
OWN_CLEANER = """\
import os
from pathlib import Path

from bandcamp.words import GREETING

out = Path(os.environ["PROJECT_ROOT"]) / "2_raw" / "bandcamp" / "greeting.txt"
out.parent.mkdir(parents=True, exist_ok=True)
out.write_text(GREETING, encoding="utf-8")
"""


def test_a_lake_adds_its_own_service_which_imports_its_own_modules(tmp_path: Path) -> None:
    lake = lake_for(tmp_path / "lake", services=["capitalone"])
    own = lake.src / "bandcamp"
    (own / "cleaners").mkdir(parents=True)
    (own / "__init__.py").write_text("", encoding="utf-8")
    (own / "words.py").write_text(OWN_MODULE, encoding="utf-8")
    (own / "cleaners" / "bandcamp_landing2raw.py").write_text(OWN_CLEANER, encoding="utf-8")

    found = discover_services(lake)
    result = bedrot(lake.root, "run", "--no-extract", "--no-warehouse", "--services", "bandcamp")

    assert [(s.name, s.builtin) for s in found.services] == [
        ("bandcamp", False),
        ("capitalone", True),
    ]
    assert result.returncode == 0, result.stdout + result.stderr
    greeting = lake.zone("2_raw") / "bandcamp" / "greeting.txt"
    assert greeting.read_text(encoding="utf-8") == "hello from a lake service"


def test_a_lake_made_for_tests_runs_the_installed_code_not_a_copy(tmp_path: Path) -> None:
    lake = lake_for(tmp_path / "lake")

    found = discover_services(lake)

    assert {s.name for s in found.services} == set(builtin_service_folders())
    assert all(s.builtin and s.folder.parent == BUILTIN_ROOT for s in found.services)
    assert (lake.etl / "run_all_etl.py").is_file()

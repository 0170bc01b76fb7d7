"""A throwaway lake holding the distrokid service, and helpers to drop files and read curated."""

from __future__ import annotations

import csv
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from common.lake import Lake
from common.testing import lake_with_services

REPO = Lake(Path(__file__).resolve().parents[2])
FIXTURES = REPO.root / "tests" / "fixtures" / "distrokid"


@pytest.fixture
def dk_lake(tmp_path: Path) -> Lake:
    return lake_with_services(tmp_path / "lake", REPO, ["distrokid"])


def drop(lake: Lake, fixture: str, as_name: str | None = None) -> Path:
    target = lake.zone("1_landing") / "distrokid" / (as_name or fixture)
    shutil.copyfile(FIXTURES / fixture, target)
    return target


def curated_rows(lake: Lake, name: str) -> list[dict[str, str]]:
    with (lake.zone("4_curated") / name).open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def export_earnings(path: Path, encoding: str, delimiter: str) -> list[Decimal]:
    """The earnings column of an export, read with the csv module, as exact decimals."""
    with path.open(encoding=encoding, newline="") as stream:
        rows = list(csv.DictReader(stream, delimiter=delimiter))
    return [Decimal(row["Earnings (USD)"]) for row in rows]

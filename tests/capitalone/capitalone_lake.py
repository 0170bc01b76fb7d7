"""A throwaway lake holding the capitalone service, the fixtures to drop in it, and zone readers."""

from __future__ import annotations

import csv
import os
import re
import shutil
from collections import Counter
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from common.lake import Lake
from common.testing import lake_with_services
from tests.lineage_support import with_source_paths
from tests.steps_support import clean_ok

SERVICE = "capitalone"
REPO = Lake(Path(__file__).resolve().parents[2])
FIXTURES = REPO.root / "tests" / "fixtures" / SERVICE
JANUARY = "2026-01-31_transaction_download.csv"
FEBRUARY = "2026-02-28_transaction_download.csv"
MARCH_LATIN1 = "2026-03-31_transaction_download_latin1.csv"
ENCODINGS = {JANUARY: "utf-8", FEBRUARY: "utf-8", MARCH_LATIN1: "latin-1"}
CURATED = "capitalone_transactions.csv"
AFTER_LANDING = ("2_raw", "3_staging", "4_curated", "5_archive")

Identity = tuple[str, str, str, str, Decimal | None, Decimal | None]


def new_lake(root: Path) -> Lake:
    return lake_with_services(root, REPO, [SERVICE])


def landing(lake: Lake) -> Path:
    return lake.zone("1_landing") / SERVICE


def drop(lake: Lake, fixture: str, downloaded: datetime | None = None) -> Path:
    """Copy a fixture into landing, its modification time set to when it was 'downloaded'."""
    target = landing(lake) / fixture
    shutil.copyfile(FIXTURES / fixture, target)
    if downloaded is not None:
        os.utime(target, (downloaded.timestamp(), downloaded.timestamp()))
    return target


def drop_bytes(lake: Lake, name: str, content: bytes) -> Path:
    target = landing(lake) / name
    target.write_bytes(content)
    return target


def run_ok(lake: Lake) -> None:
    """The three cleaning steps in-process, each finished (quarantined files included)."""
    clean_ok(lake, SERVICE)


def curated_rows(lake: Lake) -> list[dict[str, str]]:
    """The curated rows, each statement's short `source_id` read back as its path."""
    path = lake.zone("4_curated") / CURATED
    with path.open(encoding="utf-8", newline="") as stream:
        return with_source_paths(list(csv.DictReader(stream)), path)


def export_rows(fixture: str) -> list[dict[str, str]]:
    """The export's rows read with the csv module, independently of the code under test."""
    path = FIXTURES / fixture
    with path.open(encoding=ENCODINGS[fixture], newline="") as stream:
        return list(csv.DictReader(stream))


def money(text: str) -> Decimal | None:
    return Decimal(text) if text.strip() else None


def export_identity(row: dict[str, str]) -> Identity:
    return (
        row["Transaction Date"],
        row["Posted Date"],
        re.sub(r"\D", "", row["Card No."])[-4:],
        " ".join(row["Description"].split()),
        money(row["Debit"]),
        money(row["Credit"]),
    )


def curated_identity(row: dict[str, str]) -> Identity:
    return (
        row["transaction_date"],
        row["posted_date"],
        row["card_last4"],
        row["description"],
        money(row["debit_usd"]),
        money(row["credit_usd"]),
    )


def exports_ledger(*fixtures: str) -> Counter[Identity]:
    """What the ledger must hold: each transaction as often as the export showing it most often."""
    ledger: Counter[Identity] = Counter()
    for fixture in fixtures:
        ledger |= Counter(export_identity(row) for row in export_rows(fixture))
    return ledger


def files_after_landing(lake: Lake) -> dict[str, bytes]:
    """Every data file from 2_raw on (registries and run state aside), by relative path."""
    found: dict[str, bytes] = {}
    for zone in AFTER_LANDING:
        for path in sorted(lake.zone(zone).rglob("*")):
            if path.is_file() and not path.name.startswith("_"):
                found[path.relative_to(lake.root).as_posix()] = path.read_bytes()
    return found


def landing_snapshot(lake: Lake) -> dict[str, tuple[bytes, int]]:
    return {
        path.name: (path.read_bytes(), path.stat().st_mtime_ns)
        for path in landing(lake).iterdir()
        if path.is_file()
    }

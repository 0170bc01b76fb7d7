"""`bedrot demo`: its own lake, the label's deterministic demo exports, a full run, a summary."""

from __future__ import annotations

import csv
import tempfile
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from rich.console import Console
from rich.table import Table

from common.demodata import write_all
from common.lake import CHECKOUT_ROOT, Lake
from common.pipeline.display import choose_display
from common.pipeline.run import RunOptions, run_pipeline
from common.settings import load_pipeline_settings
from common.testing import lake_with_services
from common.zones import ARCHIVE, LANDING, QUARANTINE_FOLDER, data_files

DEMO_SERVICES = ("distrokid", "toolost", "capitalone")
DEFAULT_DEMO_ROOT = CHECKOUT_ROOT / "sandbox" / "demo_lake"
# What an expired DistroKid session saves instead of the bank export: the demo shows quarantine.
EXPIRED_SESSION_PAGE = (
    "distrokid",
    "dk_bank_details_20260302_090000.tsv",
    "<!DOCTYPE html><html><head><title>Sign in | DistroKid</title></head><body></body></html>\n",
)


def prepare_demo_lake(root: Path) -> Lake:
    """The demo lake with copies of the real services and their demo landing files."""
    lake = Lake(root.expanduser().resolve())
    if not (lake.src / DEMO_SERVICES[0]).exists():
        lake = lake_with_services(lake.root, Lake(CHECKOUT_ROOT), list(DEMO_SERVICES))
    with tempfile.TemporaryDirectory() as scratch:
        for made in write_all(Path(scratch)):
            _drop_once(lake, made.parent.name, made.name, made.read_bytes())
    service, name, page = EXPIRED_SESSION_PAGE
    _drop_once(lake, service, name, page.encode("utf-8"))
    return lake


def _drop_once(lake: Lake, service: str, name: str, content: bytes) -> None:
    """Landing files are never modified: a second demo run leaves the first run's files alone."""
    target = lake.zone(LANDING) / service / name
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)


def _rows(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def _money(value: Decimal) -> str:
    return f"{value:,.2f}"


def summary_table(lake: Lake, exit_code: int) -> Table:
    curated = lake.zone("4_curated")
    table = Table(title=f"BEDROT demo lake: {lake.root}")
    table.add_column("what")
    table.add_column("value", justify="right")
    bank = _rows(curated / "dk_bank_details.csv")
    earnings = sum((Decimal(r["earnings_usd"]) for r in bank), Decimal(0))
    table.add_row("DistroKid royalty line items", f"{len(bank):,}")
    table.add_row("DistroKid earnings (USD, exact)", str(earnings.normalize()))
    by_store: dict[str, Decimal] = defaultdict(Decimal)
    for row in bank:
        by_store[row["store"]] += Decimal(row["earnings_usd"])
    for store, amount in sorted(by_store.items(), key=lambda item: -item[1])[:5]:
        table.add_row(f"  earnings from {store}", _money(amount))
    streams = _rows(curated / "tidy_daily_streams.csv")
    for source in sorted({r["source"] for r in streams}):
        days = [r for r in streams if r["source"] == source]
        total = sum(int(r["combined_streams"]) for r in days)
        table.add_row(f"{source} daily streams: days / total", f"{len(days):,} / {total:,}")
    spending = _rows(curated / "capitalone_transactions.csv")
    debits = sum((Decimal(r["debit_usd"] or 0) for r in spending), Decimal(0))
    table.add_row(
        "Capital One transactions / expenses (USD)", f"{len(spending)} / {_money(debits)}"
    )
    for reason in sorted((lake.zone(LANDING) / QUARANTINE_FOLDER).rglob("*.reason.json")):
        table.add_row(f"quarantined {reason.name.removesuffix('.reason.json')}", "see reason")
    table.add_row("archived curated versions", str(len(data_files(lake.zone(ARCHIVE)))))
    table.add_row("logs", str(lake.logs))
    table.add_row("pipeline exit code", str(exit_code))
    return table


def run_demo(root: Path | None = None) -> int:
    lake = prepare_demo_lake(root or DEFAULT_DEMO_ROOT)
    options = RunOptions(automated=True, extract=False, warehouse=True)
    exit_code = run_pipeline(lake, options, load_pipeline_settings(lake), choose_display())
    Console().print(summary_table(lake, exit_code))
    return exit_code

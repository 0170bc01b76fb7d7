"""`bedrot demo`: a lake of its own, deterministic example landing files, a full run, a summary."""

from __future__ import annotations

import csv
import json
from datetime import date, timedelta
from pathlib import Path

from rich.console import Console
from rich.table import Table

from common.lake import CHECKOUT_ROOT, Lake, init_lake
from common.pipeline.display import choose_display
from common.pipeline.run import RunOptions, run_pipeline
from common.scaffold import new_service
from common.settings import load_pipeline_settings
from common.zones import ARCHIVE, CURATED, LANDING, QUARANTINE_FOLDER, data_files, service_zone

DEMO_SERVICE = "example"
DEFAULT_DEMO_ROOT = CHECKOUT_ROOT / "sandbox" / "demo_lake"
FIRST_DAY = date(2026, 1, 1)
LOGIN_PAGE = "<!DOCTYPE html><html><head><title>Log in</title></head><body>Log in</body></html>\n"


def plays_on(day_index: int) -> int:
    """A deterministic, wavy daily count."""
    return 100 + (day_index * 37) % 91 + (day_index // 7) * 5


def write_example_landing(lake: Lake) -> list[Path]:
    """Two overlapping daily exports (the second revises its first days) and one login page."""
    landing = service_zone(lake, LANDING, DEMO_SERVICE)
    landing.mkdir(parents=True, exist_ok=True)
    files = []
    for name, first, days, bump in (
        ("example_daily_20260201_070000.csv", 0, 31, 0),
        ("example_daily_20260301_070000.csv", 24, 35, 2),
    ):
        path = landing / name
        with path.open("w", encoding="utf-8", newline="") as stream:
            writer = csv.writer(stream, lineterminator="\n")
            writer.writerow(["Date", "Plays", "Listeners"])
            for index in range(first, first + days):
                day = FIRST_DAY + timedelta(days=index)
                writer.writerow([day.isoformat(), plays_on(index) + bump, plays_on(index) // 3])
        files.append(path)
    expired = landing / "example_daily_20260302_070000.csv"
    expired.write_text(LOGIN_PAGE, encoding="utf-8")
    files.append(expired)
    return files


def prepare_demo_lake(root: Path) -> Lake:
    lake = init_lake(root)
    if not (lake.src / DEMO_SERVICE).exists():
        new_service(lake, DEMO_SERVICE)
    write_example_landing(lake)
    return lake


def _summary(lake: Lake, exit_code: int) -> Table:
    table = Table(title=f"BEDROT demo lake: {lake.root}")
    table.add_column("what")
    table.add_column("value", justify="right")
    for zone in (LANDING, "2_raw", "3_staging", CURATED):
        table.add_row(f"files in {zone}/{DEMO_SERVICE}", str(len(data_files(lake.zone(zone)))))
    for curated in data_files(service_zone(lake, CURATED, DEMO_SERVICE)):
        with curated.open(encoding="utf-8", newline="") as stream:
            rows = list(csv.DictReader(stream))
        table.add_row(f"{curated.name}: days", str(len(rows)))
        table.add_row(f"{curated.name}: total plays", str(sum(int(r["plays"]) for r in rows)))
    for reason in sorted((lake.zone(LANDING) / QUARANTINE_FOLDER).rglob("*.reason.json")):
        table.add_row(
            f"quarantined {reason.name.removesuffix('.reason.json')}",
            json.loads(reason.read_text(encoding="utf-8"))["rule"],
        )
    table.add_row("archived curated versions", str(len(data_files(lake.zone(ARCHIVE)))))
    table.add_row("logs", str(lake.logs))
    table.add_row("pipeline exit code", str(exit_code))
    return table


def run_demo(root: Path | None = None) -> int:
    lake = prepare_demo_lake(root or DEFAULT_DEMO_ROOT)
    options = RunOptions(automated=True, extract=False, warehouse=True)
    exit_code = run_pipeline(lake, options, load_pipeline_settings(lake), choose_display())
    Console().print(_summary(lake, exit_code))
    return exit_code

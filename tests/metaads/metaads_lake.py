"""A throwaway lake holding the metaads service, Graph API rows to drop in it, and zone readers."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

from common.lake import Lake
from common.testing import lake_with_services
from tests.lineage_support import with_source_paths
from tests.steps_support import clean_in_process

SERVICE = "metaads"
REPO = Lake(Path(__file__).resolve().parents[2])
FIXTURES = REPO.root / "tests" / "fixtures" / SERVICE
API_SAMPLE = FIXTURES / "insights_campaign_daily_response.json"
EXPORT_SAMPLE = FIXTURES / "ads_manager_manual_export.csv"
DAILY = "metaads_daily_performance.csv"
ACTIONS = "metaads_actions.csv"
SUMMARY = "metaads_campaign_summary.csv"
PERIODS = "metaads_period_performance.csv"
CAMPAIGN_ID = "120200000000000001"
ADSET_ID = "120200000000000101"


def new_lake(root: Path, config: dict[str, object] | None = None, etl: bool = False) -> Lake:
    """A lake with the service, the repo's artists.json and only the given config/metaads.json
    (none when not given: the repo's default currency must not leak into these tests); with
    `etl`, the warehouse ETL scripts too."""
    lake = lake_with_services(root, REPO, [SERVICE], etl=etl)
    shutil.copyfile(REPO.config / "artists.json", lake.config / "artists.json")
    (lake.config / "metaads.json").unlink(missing_ok=True)
    if config is not None:
        (lake.config / "metaads.json").write_text(json.dumps(config), encoding="utf-8")
    return lake


def landing(lake: Lake) -> Path:
    return lake.zone("1_landing") / SERVICE


def drop(lake: Lake, fixture: Path, name: str) -> Path:
    target = landing(lake) / name
    shutil.copyfile(fixture, target)
    return target


def drop_json(lake: Lake, name: str, payload: object) -> Path:
    target = landing(lake) / name
    target.write_text(json.dumps(payload, indent=2), encoding="utf-8")
    return target


def drop_bytes(lake: Lake, name: str, content: bytes) -> Path:
    target = landing(lake) / name
    target.write_bytes(content)
    return target


def run_steps(lake: Lake) -> list[subprocess.CompletedProcess[str]]:
    """The three cleaner steps in this process, as the cleaner scripts run them."""
    return clean_in_process(lake, SERVICE)


def run_ok(lake: Lake) -> None:
    results = run_steps(lake)
    assert [r.returncode for r in results] == [0, 0, 0], [r.stderr for r in results]


def curated_rows(lake: Lake, name: str) -> list[dict[str, str]]:
    path = lake.zone("4_curated") / name
    with path.open(encoding="utf-8", newline="") as stream:
        return with_source_paths(list(csv.DictReader(stream)), path)


def api_row(
    day: str,
    spend: str = "1.00",
    reach: str = "100",
    impressions: str = "200",
    clicks: str = "4",
    adset: str | None = "1",
    campaign: str = "7",
    name: str = "PIG1987 - NIGHT SHIFT - BROAD",
    actions: dict[str, str] | None = None,
    until: str | None = None,
) -> dict[str, object]:
    """A Graph API insights row with every metric a string; `adset=None` is campaign level."""
    row: dict[str, object] = {
        "campaign_id": f"12021500000000{campaign:0>4}",
        "campaign_name": name,
        "spend": spend,
        "impressions": impressions,
        "clicks": clicks,
        "reach": reach,
        "date_start": day,
        "date_stop": until or day,
    }
    if adset is not None:
        row["adset_id"] = f"12021500000001{adset:0>4}"
        row["adset_name"] = f"Ad set {adset}"
    if actions:
        row["actions"] = [{"action_type": t, "value": v} for t, v in actions.items()]
    return row


def response(*rows: dict[str, object]) -> dict[str, object]:
    return {"data": list(rows), "paging": {"cursors": {"before": "MAZDZD", "after": "MQZDZD"}}}


def money(rows: list[dict[str, str]], column: str = "spend") -> Decimal:
    return sum((Decimal(row[column]) for row in rows), Decimal(0))

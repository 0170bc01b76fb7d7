"""A throwaway lake holding the mailchimp service, files to drop in it, and zone readers."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

from common.lake import Lake
from common.testing import lake_with_services
from tests.steps_support import clean_in_process, clean_ok

SERVICE = "mailchimp"
REPO = Lake(Path(__file__).resolve().parents[2])
FIXTURES = REPO.root / "tests" / "fixtures" / SERVICE
REPORTS_SAMPLE = FIXTURES / "reports_response_abridged.json"
GROWTH_SAMPLE = FIXTURES / "growth_history_response.json"
LIST_SAMPLE = FIXTURES / "list_response.json"
CAMPAIGNS = "mailchimp_campaigns_curated.csv"
GROWTH = "mailchimp_list_growth_curated.csv"
AUDIENCE = "mailchimp_audience_curated.csv"


def new_lake(root: Path, etl: bool = False) -> Lake:
    return lake_with_services(root, REPO, [SERVICE], etl=etl)


def landing(lake: Lake) -> Path:
    folder = lake.zone("1_landing") / SERVICE
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def drop(lake: Lake, fixture: Path, name: str) -> Path:
    target = landing(lake) / name
    shutil.copyfile(fixture, target)
    return target


def drop_json(lake: Lake, name: str, payload: object) -> Path:
    target = landing(lake) / name
    target.write_text(json.dumps(payload, indent=2), encoding="utf-8")
    return target


def clean(lake: Lake) -> None:
    clean_ok(lake, SERVICE)


def clean_runs(lake: Lake) -> list[str]:
    """The console output of each step (for the quarantine lines)."""
    return [run.stderr for run in clean_in_process(lake, SERVICE)]


def curated_rows(lake: Lake, name: str) -> list[dict[str, str]]:
    with (lake.zone("4_curated") / name).open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))

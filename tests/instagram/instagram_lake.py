"""A throwaway lake holding the instagram service, files to drop in it, and zone readers."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

from common.lake import Lake
from common.testing import lake_with_services
from tests.steps_support import Runs, clean_in_process

SERVICE = "instagram"
REPO = Lake(Path(__file__).resolve().parents[2])
FIXTURES = REPO.root / "tests" / "fixtures" / SERVICE
API_SAMPLE = FIXTURES / "ig_user_insights_response.json"
EXPORT_SAMPLE = FIXTURES / "meta_business_suite_Views_utf16le.csv"
DAILY = "instagram_daily_curated.csv"
MEDIA = "instagram_media_curated.csv"
MEDIA_DAILY = "instagram_media_daily_curated.csv"


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


def drop_bytes(lake: Lake, name: str, content: bytes) -> Path:
    target = landing(lake) / name
    target.write_bytes(content)
    return target


def drop_json(lake: Lake, name: str, payload: object) -> Path:
    return drop_bytes(lake, name, json.dumps(payload, indent=2).encode("utf-8"))


def business_suite(title: str, rows: list[tuple[str, str]]) -> bytes:
    """A Business Suite export as Meta writes it: UTF-16LE with a BOM, sep=, and a title."""
    lines = ["sep=,", f'"{title}"', '"Date","Primary"'] + [f'"{d}","{v}"' for d, v in rows]
    return "\ufeff".encode("utf-16-le") + ("\n".join(lines) + "\n").encode("utf-16-le")


def run_steps(lake: Lake) -> Runs:
    return clean_in_process(lake, SERVICE)


def run_ok(lake: Lake) -> Runs:
    runs = run_steps(lake)
    assert [r.returncode for r in runs] == [0, 0, 0], [r.stderr for r in runs]
    return runs


def curated_rows(lake: Lake, name: str) -> list[dict[str, str]]:
    with (lake.zone("4_curated") / name).open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def by_day(lake: Lake, column: str) -> dict[str, str]:
    return {row["date"]: row[column] for row in curated_rows(lake, DAILY)}


def quarantine_reasons(lake: Lake) -> dict[str, dict[str, object]]:
    folder = lake.zone("1_landing") / "_quarantine" / SERVICE
    return {
        path.name.removesuffix(".reason.json"): json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(folder.glob("*.reason.json"))
    }

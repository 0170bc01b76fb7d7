"""A throwaway lake holding the youtube service, files to drop in it, and curated readers."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

from common.lake import Lake
from common.testing import lake_with_services
from tests.steps_support import Runs, clean_in_process

SERVICE = "youtube"
REPO = Lake(Path(__file__).resolve().parents[2])
FIXTURES = REPO.root / "tests" / "fixtures" / SERVICE
API_SAMPLE = FIXTURES / "analytics_v2_reports_query_day.json"
REPORTING_SAMPLE = FIXTURES / "reporting_api_playback_location_example.csv"
TABLE_SAMPLE = FIXTURES / "studio_table_data.csv"
CHANNEL_DAILY = "youtube_channel_daily_curated.csv"
VIDEO_DAILY = "youtube_video_daily_curated.csv"
CHANNEL_STATS = "youtube_channel_stats_curated.csv"
VIDEOS = "youtube_videos_curated.csv"


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


def drop_text(lake: Lake, name: str, text: str, encoding: str = "utf-8") -> Path:
    target = landing(lake) / name
    target.write_bytes(text.encode(encoding))
    return target


def drop_json(lake: Lake, name: str, payload: object) -> Path:
    return drop_text(lake, name, json.dumps(payload, indent=2))


def run_steps(lake: Lake) -> Runs:
    return clean_in_process(lake, SERVICE)


def run_ok(lake: Lake) -> Runs:
    runs = run_steps(lake)
    assert [r.returncode for r in runs] == [0, 0, 0], [r.stderr for r in runs]
    return runs


def curated_rows(lake: Lake, name: str) -> list[dict[str, str]]:
    with (lake.zone("4_curated") / name).open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def quarantined(lake: Lake) -> dict[str, dict[str, object]]:
    """Reason files of 1_landing's quarantine, by the quarantined file's name."""
    folder = lake.zone("1_landing") / "_quarantine" / SERVICE
    return {
        p.name.removesuffix(".reason.json"): json.loads(p.read_text(encoding="utf-8"))
        for p in sorted(folder.glob("*.reason.json"))
    }


def result_table(dimensions: tuple[str, ...], rows: list[list[object]]) -> dict[str, object]:
    """An Analytics API v2 answer with the daily metrics after `dimensions`."""
    metrics = (
        "views", "estimatedMinutesWatched", "averageViewDuration", "likes", "shares",
        "subscribersGained", "subscribersLost",
    )  # fmt: skip
    headers = [{"name": d, "columnType": "DIMENSION", "dataType": "STRING"} for d in dimensions]
    headers += [{"name": m, "columnType": "METRIC", "dataType": "INTEGER"} for m in metrics]
    return {"kind": "youtubeAnalytics#resultTable", "columnHeaders": headers, "rows": rows}

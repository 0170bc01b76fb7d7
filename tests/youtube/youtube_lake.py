"""A throwaway lake holding the youtube service, files to drop in it, and curated readers."""

from __future__ import annotations

from common.lake import Lake
from tests.fakes.lakes import ServiceLake
from tests.fakes.lakes import curated_rows as written_rows
from tests.lineage_support import with_source_paths

SERVICE = "youtube"
LAKE = ServiceLake(SERVICE)
FIXTURES = LAKE.fixtures
API_SAMPLE = FIXTURES / "analytics_v2_reports_query_day.json"
REPORTING_SAMPLE = FIXTURES / "reporting_api_playback_location_example.csv"
TABLE_SAMPLE = FIXTURES / "studio_table_data.csv"
CHANNEL_DAILY = "youtube_channel_daily_curated.csv"
VIDEO_DAILY = "youtube_video_daily_curated.csv"
CHANNEL_STATS = "youtube_channel_stats_curated.csv"
VIDEOS = "youtube_videos_curated.csv"

new_lake, landing, drop, drop_text = LAKE.new_lake, LAKE.landing, LAKE.drop, LAKE.drop_text
drop_json, run_steps, run_ok, quarantined = (
    LAKE.drop_json, LAKE.run_steps, LAKE.run_ok, LAKE.quarantined
)  # fmt: skip


def result_table(dimensions: tuple[str, ...], rows: list[list[object]]) -> dict[str, object]:
    """An Analytics API v2 answer with the daily metrics after `dimensions`."""
    metrics = (
        "views", "estimatedMinutesWatched", "averageViewDuration", "likes", "shares",
        "subscribersGained", "subscribersLost",
    )  # fmt: skip
    headers = [{"name": d, "columnType": "DIMENSION", "dataType": "STRING"} for d in dimensions]
    headers += [{"name": m, "columnType": "METRIC", "dataType": "INTEGER"} for m in metrics]
    return {"kind": "youtubeAnalytics#resultTable", "columnHeaders": headers, "rows": rows}


def curated_rows(lake: Lake, name: str) -> list[dict[str, str]]:
    """A curated file's rows, each `source_id` read back as its path."""
    return with_source_paths(written_rows(lake, name), lake.zone("4_curated") / name)

"""The YouTube demo files: the same bytes every time, and a story the cleaners tell correctly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from common.demo import demo_services
from common.lake import Lake
from tests.youtube.youtube_lake import (
    CHANNEL_DAILY,
    CHANNEL_STATS,
    VIDEO_DAILY,
    VIDEOS,
    curated_rows,
    landing,
    new_lake,
    quarantined,
    run_ok,
)
from youtube.demo import FIRST_PULL, REPULL, write_youtube


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Lake:
    lake = new_lake(tmp_path_factory.mktemp("demo") / "lake")
    write_youtube(landing(lake))
    run_ok(lake)
    return lake


def test_the_files_are_the_same_bytes_on_every_run(tmp_path: Path) -> None:
    first, second = write_youtube(tmp_path / "one"), write_youtube(tmp_path / "two")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    assert "youtube" in demo_services()


def test_every_file_is_curated_and_none_quarantined(demo: Lake) -> None:
    assert quarantined(demo) == {}
    assert len([r for r in curated_rows(demo, CHANNEL_DAILY) if r["views"]]) == 28
    assert len(curated_rows(demo, VIDEO_DAILY)) == 56
    assert [r["subscriber_count"] for r in curated_rows(demo, CHANNEL_STATS)] == ["1187"]
    assert len(curated_rows(demo, VIDEOS)) == 2


def test_the_statistics_pull_day_carries_the_demo_subscriber_count(demo: Lake) -> None:
    # The statistics were pulled on May 30, two days past the Analytics API's last day.
    stats = json.loads((landing(demo) / f"youtube_channel_stats_{FIRST_PULL}.json").read_text())
    pulled = stats["items"][0]["statistics"]["subscriberCount"]
    counted = {r["date"]: r["subscriber_count"] for r in curated_rows(demo, CHANNEL_DAILY)}
    assert {day: count for day, count in counted.items() if count} == {"2025-05-30": pulled}


def test_the_second_pull_revises_the_unsettled_days(demo: Lake) -> None:
    document = json.loads((landing(demo) / f"youtube_channel_daily_{REPULL}.json").read_text())
    revised = {row[0]: str(row[1]) for row in document["rows"]}
    curated = {r["date"]: r["views"] for r in curated_rows(demo, CHANNEL_DAILY)}
    assert revised and all(curated[day] == views for day, views in revised.items())


def test_every_video_day_has_its_studio_title(demo: Lake) -> None:
    assert all(r["title"] for r in curated_rows(demo, VIDEO_DAILY))

"""YouTube's curated files in the warehouse, loaded as the ETL loads them (migrate, the YouTube
tables, then each file through `load_sources`): the fake API's numbers arrive unchanged."""

from __future__ import annotations

import json
import logging
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from common.lake import Lake
from common.warehouse.database import make_engine, migrate
from common.warehouse.loaders.youtube import load_youtube_daily, load_youtube_video_daily
from common.warehouse.loading import Source, load_sources
from common.warehouse.models import SocialDaily, table
from common.warehouse.youtube_tables import (
    YouTubeChannelDaily,
    YouTubeVideoDaily,
    create_youtube_tables,
)
from tests.fakes.youtube import SUBSCRIBERS, VIDEOS, FakeYouTube
from tests.steps_support import clean_ok
from tests.youtube.test_youtube_extractor import new_lake, pull
from tests.youtube.youtube_lake import (
    CHANNEL_DAILY,
    TABLE_SAMPLE,
    VIDEO_DAILY,
    drop,
    drop_text,
    landing,
)
from tests.youtube.youtube_lake import new_lake as plain_lake
from tests.youtube.youtube_lake import run_ok
from youtube.demo import FIRST_PULL, write_youtube

LOG = logging.getLogger("tests.youtube.warehouse")


def sources() -> list[Source]:
    return [
        Source(
            "youtube_daily",
            CHANNEL_DAILY,
            (table(SocialDaily), table(YouTubeChannelDaily)),
            load_youtube_daily,
        ),
        Source(
            "youtube_video_daily",
            VIDEO_DAILY,
            (table(YouTubeVideoDaily),),
            load_youtube_video_daily,
        ),
    ]


def warehouse(lake: Lake) -> Engine:
    engine = make_engine(f"sqlite:///{(lake.root / 'warehouse.db').as_posix()}")
    migrate(engine)
    with engine.begin() as connection:
        create_youtube_tables(connection)
        create_youtube_tables(connection)  # idempotent
    return engine


@pytest.fixture(scope="module")
def pulled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Lake, FakeYouTube]:
    with FakeYouTube().running() as api:
        lake = new_lake(tmp_path_factory.mktemp("youtube") / "lake", api)
        done = pull(lake)
    assert done.returncode == 0, done.stdout + done.stderr
    clean_ok(lake, "youtube")
    return lake, api


def test_the_channel_days_reach_social_daily_as_the_api_served_them(
    pulled: tuple[Lake, FakeYouTube],
) -> None:
    lake, api = pulled
    engine = warehouse(lake)
    report = load_sources(engine, lake, sources(), LOG)
    assert [o.status for o in report.outcomes] == ["loaded", "loaded"]
    today = date.today()
    served = {row[0]: row for row in api.rows(today - timedelta(days=3), today, "day")}
    with engine.connect() as db:
        social = db.execute(
            text(
                "SELECT s.activity_date, s.video_views, s.likes, s.new_followers, s.followers, "
                "s.account FROM social_daily s JOIN platforms p ON p.id = s.platform_id "
                "WHERE p.name = 'YouTube' ORDER BY s.activity_date"
            )
        ).all()
        minutes: dict[object, object] = dict(
            db.execute(
                text("SELECT activity_date, minutes_watched FROM youtube_channel_daily")
            ).all()
        )
    assert [(str(r[0]), r[1], r[2], r[3]) for r in social] == [
        (day, row[1], row[4], row[6] - row[7]) for day, row in sorted(served.items())
    ]
    assert {r[5] for r in social} == {"channel"}
    assert [r[4] for r in social][-1] == SUBSCRIBERS  # the snapshot of the pull's day
    assert {str(d): Decimal(str(m)) for d, m in minutes.items()} == {
        day: Decimal(row[2]) for day, row in served.items()
    }


def test_each_video_day_is_loaded_once_and_a_reload_replaces_it(
    pulled: tuple[Lake, FakeYouTube],
) -> None:
    lake, api = pulled
    engine = warehouse(lake)
    load_sources(engine, lake, sources(), LOG)
    again = load_sources(engine, lake, sources(), LOG)
    assert [o.status for o in again.outcomes] == ["unchanged", "unchanged"]
    with engine.connect() as db:
        rows = db.execute(
            text(
                "SELECT v.video_id, d.activity_date, d.views FROM youtube_video_daily d "
                "JOIN youtube_videos v ON v.id = d.video_ref"
            )
        ).all()
    today = date.today()
    served = api.rows(today - timedelta(days=3), today, "day,video")
    assert sorted((r[0], str(r[1]), r[2]) for r in rows) == sorted(
        (row[1], row[0], row[2]) for row in served
    )
    assert {r[0] for r in rows} == set(VIDEOS)


def test_a_video_takes_its_title_from_studios_table(tmp_path: Path) -> None:
    lake = plain_lake(tmp_path / "lake")
    drop(lake, TABLE_SAMPLE, "Table data.csv")
    chart = "Date,Content,Video title,Video publish time,Duration,Views\n"
    chart += '2025-01-15,AAAAAAAAAAA,Example video,"Jan 14, 2025",212,40\n'
    drop_text(lake, "Chart data.csv", chart)
    run_ok(lake)
    engine = warehouse(lake)
    load_sources(engine, lake, sources(), LOG)
    with engine.connect() as db:
        titled = db.execute(
            text(
                "SELECT v.title, d.views FROM youtube_video_daily d "
                "JOIN youtube_videos v ON v.id = d.video_ref"
            )
        ).all()
    assert [tuple(r) for r in titled] == [("Example video", 40)]


def test_the_demo_subscriber_count_reaches_social_daily_on_its_pull_day(tmp_path: Path) -> None:
    lake = plain_lake(tmp_path / "lake")
    write_youtube(landing(lake))
    stats = json.loads((landing(lake) / f"youtube_channel_stats_{FIRST_PULL}.json").read_text())
    run_ok(lake)
    engine = warehouse(lake)
    load_sources(engine, lake, sources(), LOG)
    with engine.connect() as db:
        followers = db.execute(
            text(
                "SELECT s.activity_date, s.followers, s.video_views FROM social_daily s "
                "JOIN platforms p ON p.id = s.platform_id "
                "WHERE p.name = 'YouTube' AND s.followers IS NOT NULL"
            )
        ).all()
        empty_channel_days = db.execute(
            text("SELECT COUNT(*) FROM youtube_channel_daily WHERE minutes_watched IS NULL")
        ).scalar_one()
    assert [(str(day), count, views) for day, count, views in followers] == [
        ("2025-05-30", int(stats["items"][0]["statistics"]["subscriberCount"]), None)
    ]
    assert empty_channel_days == 0  # the count's own day has nothing else to hold

"""Instagram's curated files in the warehouse: social_daily rows for platform "Instagram" equal to
the curated days, media and their snapshots, and a reload that replaces rather than adds."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import Engine, text

from common.lake import Lake
from common.warehouse.database import make_engine, migrate, warehouse_url
from common.warehouse.instagram_tables import (
    InstagramDaily,
    InstagramMedia,
    InstagramMediaDaily,
    create_instagram_tables,
)
from common.warehouse.loaders.instagram import (
    load_instagram_daily,
    load_instagram_media,
    load_instagram_media_daily,
)
from common.warehouse.loading import Source, load_sources
from common.warehouse.models import SocialDaily, table
from instagram.demo import USERNAME, write_instagram
from tests.instagram.instagram_lake import (
    DAILY,
    MEDIA,
    MEDIA_DAILY,
    curated_rows,
    landing,
    new_lake,
    run_ok,
)

LOG = logging.getLogger("test.instagram.warehouse")


def _sources() -> list[Source]:
    """The loads as the lead registers them in warehouse/sources.py."""
    return [
        Source("instagram_daily", DAILY, (table(SocialDaily), table(InstagramDaily)),
               load_instagram_daily),
        Source("instagram_media", MEDIA, (table(InstagramMedia),), load_instagram_media),
        Source("instagram_media_daily", MEDIA_DAILY, (table(InstagramMediaDaily),),
               load_instagram_media_daily),
    ]  # fmt: skip


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Lake, Engine]:
    lake = new_lake(tmp_path_factory.mktemp("warehouse") / "lake")
    write_instagram(landing(lake))
    run_ok(lake)
    engine = make_engine(warehouse_url(lake))
    migrate(engine)
    with engine.begin() as connection:
        create_instagram_tables(connection)
        create_instagram_tables(connection)  # idempotent
    report = load_sources(engine, lake, _sources(), LOG)
    assert [o.status for o in report.outcomes] == ["loaded"] * 3, report.outcomes
    return lake, engine


def test_social_daily_holds_the_curated_instagram_days(loaded: tuple[Lake, Engine]) -> None:
    lake, engine = loaded
    curated = {
        row["date"]: (int(row["views"]) if row["views"] else None,
                      int(row["followers"]) if row["followers"] else None)
        for row in curated_rows(lake, DAILY)
    }  # fmt: skip
    with engine.connect() as connection:
        stored = connection.execute(text(
            "SELECT d.activity_date, d.video_views, d.followers FROM social_daily d "
            "JOIN platforms p ON p.id = d.platform_id WHERE p.name = 'Instagram'"
        )).all()  # fmt: skip
    assert {str(day): (views, followers) for day, views, followers in stored} == curated


def test_the_demo_profile_is_one_instagram_account_whose_days_carry_its_artist(
    loaded: tuple[Lake, Engine],
) -> None:
    """The demo's account zone.a0 is an alias of ZONE A0 (config/artists.json): the dashboard's
    artist filter finds its Instagram days."""
    _, engine = loaded
    with engine.connect() as connection:
        accounts = connection.execute(text(
            "SELECT DISTINCT d.account, a.name FROM social_daily d "
            "JOIN platforms p ON p.id = d.platform_id "
            "LEFT JOIN artists a ON a.id = d.artist_id WHERE p.name = 'Instagram'"
        )).all()  # fmt: skip
    assert [tuple(row) for row in accounts] == [(USERNAME, "ZONE A0")]


def test_media_and_snapshots_are_loaded_with_their_metrics(loaded: tuple[Lake, Engine]) -> None:
    lake, engine = loaded
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT media_id, views FROM instagram_media")).all()
        media: dict[str, int] = {media_id: views for media_id, views in stored}
        snapshots = connection.execute(text("SELECT COUNT(*) FROM instagram_media_daily")).scalar()
        reach = connection.execute(text("SELECT SUM(reach) FROM instagram_daily")).scalar()
    assert media == {r["media_id"]: int(r["views"]) for r in curated_rows(lake, MEDIA)}
    assert snapshots == len(curated_rows(lake, MEDIA_DAILY))
    assert reach == sum(int(r["reach"]) for r in curated_rows(lake, DAILY) if r["reach"])


def test_a_changed_file_replaces_its_rows(loaded: tuple[Lake, Engine]) -> None:
    lake, engine = loaded
    daily = lake.zone("4_curated") / DAILY
    lines = daily.read_text(encoding="utf-8").splitlines()
    daily.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")  # one day fewer

    load_sources(engine, lake, _sources(), LOG)

    with engine.connect() as connection:
        count = connection.execute(text("SELECT COUNT(*) FROM social_daily")).scalar()
        extra = connection.execute(text("SELECT COUNT(*) FROM instagram_daily")).scalar()
    assert count == extra == len(lines) - 2

"""TooLost end to end, as a user runs it: portal JSON dropped in landing, `bedrot run`, the
curated daily streams and the warehouse. The step logic is tested in-process beside this file."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import select

from common.lake import Lake
from common.testing import lake_with_services
from common.warehouse.database import make_engine, warehouse_url
from common.warehouse.models import DailyStreams, Platform
from tests.conftest import bedrot_in

SERVICE = "toolost"
THIS_LAKE = Lake(Path(__file__).resolve().parents[2])
FIXTURES = THIS_LAKE.root / "tests" / "fixtures" / SERVICE


def test_bedrot_run_takes_both_payloads_to_tidy_daily_streams_and_the_warehouse(
    tmp_path: Path,
) -> None:
    lake = lake_with_services(tmp_path / "lake", THIS_LAKE, [SERVICE], etl=True)
    landing = lake.zone("1_landing") / SERVICE
    shutil.copyfile(
        FIXTURES / "toolost_spotify_sample.json", landing / "toolost_spotify_20250104_080000.json"
    )
    shutil.copyfile(
        FIXTURES / "toolost_apple_sample.json", landing / "toolost_apple_20250104_080000.json"
    )

    run = bedrot_in(lake, "run", "--automated", "--no-extract")

    assert run.returncode == 0, run.stdout + run.stderr
    assert (lake.zone("4_curated") / "tidy_daily_streams.csv").read_text(encoding="utf-8") == (
        "date,source,spotify_streams,apple_streams,combined_streams\n"
        "2025-01-01,toolost,61,5,66\n"
        "2025-01-02,toolost,47,3,50\n"
        "2025-01-03,toolost,58,,\n"
    )
    # The day Apple did not report has no Apple row in the warehouse, never a 0.
    assert _warehouse_streams(lake) == {
        ("2025-01-01", "Apple Music", 5),
        ("2025-01-01", "Spotify", 61),
        ("2025-01-02", "Apple Music", 3),
        ("2025-01-02", "Spotify", 47),
        ("2025-01-03", "Spotify", 58),
    }


def _warehouse_streams(lake: Lake) -> set[tuple[str, str, int]]:
    engine = make_engine(warehouse_url(lake))
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                select(DailyStreams.stream_date, Platform.name, DailyStreams.streams)
                .join(Platform, Platform.id == DailyStreams.platform_id)
                .where(DailyStreams.distributor == SERVICE)
            ).all()
    finally:
        engine.dispose()
    return {(day.isoformat(), platform, streams) for day, platform, streams in rows}

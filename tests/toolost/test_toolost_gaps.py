"""A day a TooLost payload does not list is a gap in tidy_daily_streams.csv, never 0 streams."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from common.lake import Lake
from common.testing import lake_with_services
from tests.steps_support import clean_ok

SERVICE = "toolost"
THIS_LAKE = Lake(Path(__file__).resolve().parents[2])
FIXTURES = THIS_LAKE.root / "tests" / "fixtures" / SERVICE
# Spotify lacks 2025-02-04; Apple lacks 2025-02-03 (mid-series) and 2025-02-06 (its last day).
SPOTIFY_GAPS = FIXTURES / "toolost_spotify_gaps.json"
APPLE_GAPS = FIXTURES / "toolost_apple_gaps.json"

Day = tuple[str, str, str]  # (spotify_streams, apple_streams, combined_streams) as written


@pytest.fixture(scope="module")
def tidy(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Day]:
    lake = lake_with_services(tmp_path_factory.mktemp("gaps") / "lake", THIS_LAKE, [SERVICE])
    landing = lake.zone("1_landing") / SERVICE
    shutil.copyfile(SPOTIFY_GAPS, landing / "toolost_spotify_20250207_080000.json")
    shutil.copyfile(APPLE_GAPS, landing / "toolost_apple_20250207_080000.json")
    clean_ok(lake, SERVICE)
    with (lake.zone("4_curated") / "tidy_daily_streams.csv").open(
        encoding="utf-8", newline=""
    ) as stream:
        return {
            row["date"]: (row["spotify_streams"], row["apple_streams"], row["combined_streams"])
            for row in csv.DictReader(stream)
            if row["source"] == SERVICE
        }


def test_a_day_apple_does_not_list_has_empty_apple_and_combined_streams(
    tidy: dict[str, Day],
) -> None:
    assert tidy["2025-02-03"] == ("52", "", "")
    assert tidy["2025-02-06"] == ("44", "", "")


def test_a_day_missing_mid_series_is_never_written_as_zero(tidy: dict[str, Day]) -> None:
    assert tidy["2025-02-04"] == ("", "2", "")


def test_days_both_platforms_report_add_up_and_a_reported_zero_stays_zero(
    tidy: dict[str, Day],
) -> None:
    assert tidy["2025-02-01"] == ("61", "5", "66")
    assert tidy["2025-02-02"] == ("47", "3", "50")
    assert tidy["2025-02-05"] == ("39", "0", "39")


def test_only_days_some_payload_lists_get_a_row(tidy: dict[str, Day]) -> None:
    assert sorted(tidy) == [f"2025-02-0{day}" for day in range(1, 7)]

"""TooLost's steps, in-process: portal JSON reaches tidy_daily_streams, its history kept."""

from __future__ import annotations

import csv
import json
import os
import shutil
from datetime import datetime
from pathlib import Path

from common.lake import Lake
from common.testing import lake_with_services
from tests.steps_support import clean_ok

SERVICE = "toolost"
THIS_LAKE = Lake(Path(__file__).resolve().parents[2])
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / SERVICE
SPOTIFY_SAMPLE = FIXTURES / "toolost_spotify_sample.json"
APPLE_SAMPLE = FIXTURES / "toolost_apple_sample.json"
TIDY = "tidy_daily_streams.csv"
DISTROKID_TIDY = (
    "date,source,spotify_streams,apple_streams,combined_streams\n"
    "2024-12-31,distrokid,10,2,12\n"
    "2025-01-01,distrokid,70,6,76\n"
)


def _lake(tmp_path: Path) -> Lake:
    return lake_with_services(tmp_path / "lake", THIS_LAKE, [SERVICE])


def _land(lake: Lake, name: str, source: Path) -> Path:
    landed = lake.zone("1_landing") / SERVICE / name
    shutil.copyfile(source, landed)
    return landed


def _land_spotify(lake: Lake, name: str, days: dict[str, int]) -> Path:
    """A Spotify portal response as the portal sends it: string counts, dates unsorted."""
    streams = [{"date": day, "streams": str(count)} for day, count in reversed(days.items())]
    landed = lake.zone("1_landing") / SERVICE / name
    landed.write_text(json.dumps({"streams": streams, "discovery": []}), encoding="utf-8")
    return landed


def _run(lake: Lake) -> None:
    clean_ok(lake, SERVICE)


def _tidy_rows(lake: Lake, source: str = SERVICE) -> list[dict[str, str]]:
    with (lake.zone("4_curated") / TIDY).open(encoding="utf-8", newline="") as stream:
        return [row for row in csv.DictReader(stream) if row["source"] == source]


def _spotify_by_day(lake: Lake) -> dict[str, str]:
    return {row["date"]: row["spotify_streams"] for row in _tidy_rows(lake)}


def _raw_files(lake: Lake) -> list[str]:
    return sorted(p.name for p in (lake.zone("2_raw") / SERVICE).glob("*.ndjson"))


def test_both_samples_reach_tidy_daily_streams_as_integers_per_date(tmp_path: Path) -> None:
    lake = _lake(tmp_path)
    _land(lake, "toolost_spotify_20250104_080000.json", SPOTIFY_SAMPLE)
    _land(lake, "toolost_apple_20250104_080000.json", APPLE_SAMPLE)

    _run(lake)

    assert (lake.zone("4_curated") / TIDY).read_text(encoding="utf-8") == (
        "date,source,spotify_streams,apple_streams,combined_streams\n"
        "2025-01-01,toolost,61,5,66\n"
        "2025-01-02,toolost,47,3,50\n"
        "2025-01-03,toolost,58,,\n"
    )


def test_without_an_apple_payload_apple_and_combined_streams_stay_empty(tmp_path: Path) -> None:
    lake = _lake(tmp_path)
    _land(lake, "toolost_spotify_20250104_080000.json", SPOTIFY_SAMPLE)

    _run(lake)

    assert [(r["date"], r["apple_streams"], r["combined_streams"]) for r in _tidy_rows(lake)] == [
        ("2025-01-01", "", ""),
        ("2025-01-02", "", ""),
        ("2025-01-03", "", ""),
    ]


def test_a_file_without_a_timestamp_is_dated_by_its_modification_time(tmp_path: Path) -> None:
    lake = _lake(tmp_path)
    landed = _land(lake, SPOTIFY_SAMPLE.name, SPOTIFY_SAMPLE)
    modified = datetime(2025, 1, 4, 9, 30, 15)
    os.utime(landed, (modified.timestamp(), modified.timestamp()))

    _run(lake)

    assert _raw_files(lake) == ["toolost_spotify_sample_20250104_093015.ndjson"]
    staging = (lake.zone("3_staging") / SERVICE / "daily_streams.csv").read_text(encoding="utf-8")
    assert "2025-01-04T09:30:15" in staging


def test_dropping_the_same_file_again_changes_nothing(tmp_path: Path) -> None:
    lake = _lake(tmp_path)
    _land(lake, "toolost_spotify_20250104_080000.json", SPOTIFY_SAMPLE)
    _land(lake, "toolost_apple_20250104_080000.json", APPLE_SAMPLE)
    _run(lake)
    curated = (lake.zone("4_curated") / TIDY).read_bytes()
    raw = _raw_files(lake)

    _land(lake, "toolost_spotify_20250105_080000.json", SPOTIFY_SAMPLE)
    _run(lake)

    assert (lake.zone("4_curated") / TIDY).read_bytes() == curated
    assert _raw_files(lake) == raw
    assert not list(lake.zone("5_archive").rglob("*.csv"))


def test_a_newer_extraction_revises_its_days_and_loses_none(tmp_path: Path) -> None:
    lake = _lake(tmp_path)
    _land_spotify(
        lake,
        "toolost_spotify_20250104_080000.json",
        {"2025-01-01": 61, "2025-01-02": 47, "2025-01-03": 58},
    )
    _run(lake)

    _land_spotify(
        lake,
        "toolost_spotify_20250106_080000.json",
        {"2025-01-02": 49, "2025-01-03": 58, "2025-01-04": 70, "2025-01-05": 12},
    )
    _run(lake)

    assert _spotify_by_day(lake) == {
        "2025-01-01": "61",
        "2025-01-02": "49",
        "2025-01-03": "58",
        "2025-01-04": "70",
        "2025-01-05": "12",
    }


def test_a_january_year_to_date_extraction_keeps_last_years_days(tmp_path: Path) -> None:
    lake = _lake(tmp_path)
    _land_spotify(
        lake,
        "toolost_spotify_20251231_220000.json",
        {"2025-01-01": 5, "2025-12-30": 80, "2025-12-31": 90},
    )
    _run(lake)

    _land_spotify(lake, "toolost_spotify_20260102_080000.json", {"2026-01-01": 40})
    _run(lake)

    assert _spotify_by_day(lake) == {
        "2025-01-01": "5",
        "2025-12-30": "80",
        "2025-12-31": "90",
        "2026-01-01": "40",
    }


def test_an_older_extraction_dropped_late_does_not_overwrite_newer_counts(
    tmp_path: Path,
) -> None:
    lake = _lake(tmp_path)
    _land_spotify(
        lake, "toolost_spotify_20250106_080000.json", {"2025-01-02": 49, "2025-01-03": 58}
    )
    _run(lake)

    _land_spotify(
        lake, "toolost_spotify_20250103_080000.json", {"2025-01-01": 61, "2025-01-02": 47}
    )
    _run(lake)

    assert _spotify_by_day(lake) == {"2025-01-01": "61", "2025-01-02": "49", "2025-01-03": "58"}


def test_distrokid_rows_already_curated_are_kept_untouched(tmp_path: Path) -> None:
    lake = _lake(tmp_path)
    (lake.zone("4_curated") / TIDY).write_text(DISTROKID_TIDY, encoding="utf-8")
    _land(lake, "toolost_spotify_20250104_080000.json", SPOTIFY_SAMPLE)

    _run(lake)

    lines = (lake.zone("4_curated") / TIDY).read_text(encoding="utf-8").splitlines()
    assert lines[:3] == DISTROKID_TIDY.splitlines()
    assert [line.split(",")[1] for line in lines[3:]] == [SERVICE] * 3


def test_the_replaced_tidy_file_is_archived_first(tmp_path: Path) -> None:
    lake = _lake(tmp_path)
    (lake.zone("4_curated") / TIDY).write_text(DISTROKID_TIDY, encoding="utf-8")
    _land(lake, "toolost_spotify_20250104_080000.json", SPOTIFY_SAMPLE)

    _run(lake)

    archived = list((lake.zone("5_archive") / "4_curated").glob("tidy_daily_streams_archived_*"))
    assert [path.read_text(encoding="utf-8") for path in archived] == [DISTROKID_TIDY]

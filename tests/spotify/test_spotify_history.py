"""Audience history: streams_28d by hand, re-drops change nothing, newer exports revise days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from common.lake import Lake
from common.lineage import read_sources
from tests.spotify.spotify_lake import (
    FIXTURES,
    PIG_ID,
    SONGS_ALL,
    audience_files,
    audience_rows,
    curated_rows,
    drop,
    drop_bytes,
    files_after_landing,
    landing,
    legacy_export,
    new_lake,
    newer_export,
    run_ok,
)


def days(first: date, count: int) -> list[str]:
    return [(first + timedelta(days=n)).isoformat() for n in range(count)]


def by_day(rows: list[dict[str, str]], artist: str, column: str) -> dict[str, str]:
    return {r["date"]: r[column] for r in rows if r["artist"] == artist}


def test_streams_28d_is_the_sum_of_the_28_days_ending_on_each_date(tmp_path: Path) -> None:
    lake = new_lake(tmp_path)
    # Legacy: streams 1, 2, ..., 31 on 2025-01-01 ... 2025-01-31.
    january = {day: n for n, day in enumerate(days(date(2025, 1, 1), 31), start=1)}
    drop_bytes(lake, "Example Artist-audience-timeline_20250201_080000.csv", legacy_export(january))
    # Newer 9 columns: streams 3, 6, ..., 90 on 2025-06-01 ... 2025-06-30.
    june = {day: 3 * n for n, day in enumerate(days(date(2025, 6, 1), 30), start=1)}
    drop_bytes(lake, f"spotify_audience_{PIG_ID}_20250701_080000.csv", newer_export(june))

    run_ok(lake)

    legacy = by_day(audience_rows(lake), "EXAMPLE ARTIST", "streams_28d")
    assert [legacy[day] for day in days(date(2025, 1, 1), 27)] == [""] * 27
    assert legacy["2025-01-28"] == "406"  # 1 + 2 + ... + 28
    assert legacy["2025-01-29"] == "434"  # 2 + ... + 29
    assert legacy["2025-01-31"] == "490"  # 4 + ... + 31
    newer = by_day(audience_rows(lake), "PIG1987", "streams_28d")
    assert [newer[day] for day in ("2025-06-27", "2025-06-28", "2025-06-30")] == [
        "",
        "1218",  # 3 * (1 + ... + 28)
        "1386",  # 3 * (3 + ... + 30)
    ]
    assert by_day(audience_rows(lake), "PIG1987", "monthly_listeners")["2025-06-30"] == "810"


def test_a_missing_or_empty_day_is_unknown_so_every_window_holding_it_is_empty(
    tmp_path: Path,
) -> None:
    lake = new_lake(tmp_path)
    timeline: dict[str, int | str] = {day: 10 for day in days(date(2025, 1, 1), 60)}
    del timeline["2025-01-10"]  # a day the export lacks
    timeline["2025-02-20"] = ""  # a day with no streams figure
    drop_bytes(lake, f"spotify_audience_{PIG_ID}_20250305_080000.csv", legacy_export(timeline))

    run_ok(lake)

    streams_28d = by_day(audience_rows(lake), "PIG1987", "streams_28d")
    filled = {day for day, total in streams_28d.items() if total}
    assert filled == {*days(date(2025, 2, 7), 13)}  # 2025-02-07 ... 2025-02-19
    assert {streams_28d[day] for day in filled} == {"280"}
    assert by_day(audience_rows(lake), "PIG1987", "streams")["2025-02-20"] == ""


def test_dropping_the_same_file_again_changes_nothing(tmp_path: Path) -> None:
    lake = new_lake(tmp_path)
    drop(lake, SONGS_ALL, datetime(2025, 9, 3, 8, 0))
    drop_bytes(lake, "Example Artist-audience-timeline_20250903_080000.csv", export_a())
    run_ok(lake)
    before = files_after_landing(lake)

    drop_bytes(lake, "Example Artist-audience-timeline_20250903_080000 (1).csv", export_a())
    drop_bytes(lake, "Example Artist-songs-all (1).csv", (FIXTURES / SONGS_ALL).read_bytes())
    logs = run_ok(lake)

    assert files_after_landing(lake) == before
    assert "is identical to" in logs[0]
    assert not any(lake.zone("5_archive").rglob("*.csv"))


def export_a() -> bytes:
    return legacy_export({"2025-09-01": 15, "2025-09-02": 13, "2025-09-03": 11, "2025-09-04": 2})


def export_b() -> bytes:
    """A week later: 09-03 and 09-04 revised upward, two new days, 09-01 outside its window."""
    return legacy_export(
        {"2025-09-02": 13, "2025-09-03": 19, "2025-09-04": 17, "2025-09-05": 8, "2025-09-06": 0},
        followers=120,
    )


@dataclass(frozen=True)
class Revised:
    lake: Lake
    first_curated: bytes


@pytest.fixture(scope="module")
def revised(tmp_path_factory: pytest.TempPathFactory) -> Revised:
    """Export A run through, then export B (a week later, overlapping) run through."""
    lake = new_lake(tmp_path_factory.mktemp("revised"))
    drop_bytes(lake, "Example Artist-audience-timeline_20250905_080000.csv", export_a())
    run_ok(lake)
    [first] = audience_files(lake)
    first_curated = first.read_bytes()
    drop_bytes(lake, "Example Artist-audience-timeline_20250912_080000.csv", export_b())
    run_ok(lake)
    return Revised(lake, first_curated)


def test_a_newer_overlapping_export_revises_its_days_and_loses_none(revised: Revised) -> None:
    rows = audience_rows(revised.lake)

    assert [(r["date"], r["streams"], r["followers"]) for r in rows] == [
        ("2025-09-01", "15", "100"),
        ("2025-09-02", "13", "120"),
        ("2025-09-03", "19", "120"),
        ("2025-09-04", "17", "120"),
        ("2025-09-05", "8", "120"),
        ("2025-09-06", "0", "120"),
    ]
    assert rows[0]["source_file"].endswith("_20250905_080000.csv")
    assert rows[1]["extracted_at"] == "2025-09-12T08:00:00"


def test_the_previous_dated_audience_file_moves_to_the_archive(revised: Revised) -> None:
    archive = revised.lake.zone("5_archive") / "4_curated"

    [archived] = archive.glob("spotify_audience_curated_*.csv")

    assert [p.name for p in audience_files(revised.lake)] == [
        "spotify_audience_curated_20250912.csv"
    ]
    assert archived.name.startswith("spotify_audience_curated_20250905_archived_")
    assert archived.read_bytes() == revised.first_curated
    # Its lineage sidecar went with it: the archived version still names its exports, and
    # 4_curated keeps only the current version's.
    assert set(read_sources(archived).values()) == {
        "1_landing/spotify/Example Artist-audience-timeline_20250905_080000.csv"
    }
    curated = revised.lake.zone("4_curated")
    assert [p.name for p in curated.glob("_spotify_audience_*")] == [
        "_spotify_audience_curated_20250912.sources.csv"
    ]


def test_an_older_export_dropped_late_does_not_overwrite_newer_days(tmp_path: Path) -> None:
    lake = new_lake(tmp_path)
    drop_bytes(lake, "Example Artist-audience-timeline_20250912_080000.csv", export_b())
    run_ok(lake)
    drop_bytes(lake, "Example Artist-audience-timeline_20250905_080000.csv", export_a())

    run_ok(lake)

    streams = by_day(audience_rows(lake), "EXAMPLE ARTIST", "streams")
    assert streams == {
        "2025-09-01": "15",
        "2025-09-02": "13",
        "2025-09-03": "19",
        "2025-09-04": "17",
        "2025-09-05": "8",
        "2025-09-06": "0",
    }
    assert [p.name for p in audience_files(lake)] == ["spotify_audience_curated_20250912.csv"]


def test_songs_snapshots_of_each_extraction_accumulate(tmp_path: Path) -> None:
    lake = new_lake(tmp_path)
    header = b"song,listeners,streams,saves,release_date\n"
    first = header + b'"First Song",900,1700,40,2024-06-14\n'
    later = header + b'"First Song",950,1800,41,2024-06-14\n"New One",5,9,1,2025-09-01\n'
    drop_bytes(lake, "Example Artist-songs-1year_20250801_080000.csv", first)
    run_ok(lake)
    drop_bytes(lake, "Example Artist-songs-1year_20250901_080000.csv", later)

    run_ok(lake)

    rows = curated_rows(lake, "spotify_songs_curated.csv")
    assert [(r["song"], r["streams"], r["extracted_at"]) for r in rows] == [
        ("First Song", "1700", "2025-08-01T08:00:00"),
        ("First Song", "1800", "2025-09-01T08:00:00"),
        ("New One", "9", "2025-09-01T08:00:00"),
    ]
    assert sorted(p.name for p in landing(lake).iterdir()) == [
        "Example Artist-songs-1year_20250801_080000.csv",
        "Example Artist-songs-1year_20250901_080000.csv",
    ]


def test_two_songs_of_one_title_are_both_kept_by_their_release_dates(tmp_path: Path) -> None:
    # A single and its album version, or two songs that share a title: Spotify lists both.
    lake = new_lake(tmp_path)
    export = (
        b"song,listeners,streams,saves,release_date\n"
        b'"First Song",950,1800,41,2024-06-14\n"First Song",12,20,1,2024-09-01\n'
    )
    drop_bytes(lake, "Example Artist-songs-1year_20250901_080000.csv", export)

    run_ok(lake)

    rows = curated_rows(lake, "spotify_songs_curated.csv")
    assert sorted((r["song"], r["release_date"], r["streams"]) for r in rows) == [
        ("First Song", "2024-06-14", "1800"),
        ("First Song", "2024-09-01", "20"),
    ]

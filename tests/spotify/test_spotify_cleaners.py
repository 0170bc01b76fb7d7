"""Spotify cleaning steps, in cleaner order: every sample reaches curated, typed and complete."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import polars as pl
import pytest

from common.lake import Lake
from tests.spotify.spotify_lake import (
    ARTIST_FOLDER,
    BOM,
    FIXTURES,
    LEGACY,
    NEWER,
    PIG_ID,
    SAMPLES,
    TIMELINE,
    audience_files,
    audience_rows,
    curated_rows,
    drop,
    drop_bytes,
    landing,
    legacy_export,
    new_lake,
    run_ok,
)

EXTRACTED = datetime(2025, 9, 3, 8, 0, 0)
AUDIENCE_COLUMNS = [
    "date",
    "artist",
    "listeners",
    "streams",
    "followers",
    "streams_28d",
    "monthly_listeners",
    "monthly_active_listeners",
    "super_listeners",
    "playlist_adds",
    "saves",
    "extracted_at",
    "source_file",
]
COUNTS = AUDIENCE_COLUMNS[2:11]


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Lake:
    """Every sample dropped (downloaded on 2025-09-03 08:00) and run through once."""
    lake = new_lake(tmp_path_factory.mktemp("published"))
    for sample in SAMPLES:
        drop(lake, sample, EXTRACTED)
    run_ok(lake)
    return lake


def test_both_audience_variants_reach_one_curated_file_named_by_the_newest_extraction(
    published: Lake,
) -> None:
    assert [p.name for p in audience_files(published)] == ["spotify_audience_curated_20250903.csv"]
    rows = audience_rows(published)

    assert list(rows[0]) == AUDIENCE_COLUMNS
    assert [(r["date"], r["listeners"], r["streams"], r["followers"]) for r in rows] == [
        ("2025-01-01", "12", "15", "210"),
        ("2025-01-02", "0", "0", "210"),
        ("2025-01-03", "9", "11", "211"),
        ("2025-09-01", "12", "15", "210"),
        ("2025-09-02", "10", "13", "211"),
    ]
    assert {r["artist"] for r in rows} == {"EXAMPLE ARTIST"}
    assert {r["source_file"] for r in rows[:3]} == {f"1_landing/spotify/{LEGACY}"}
    assert {r["extracted_at"] for r in rows} == {"2025-09-03T08:00:00"}


def test_the_newer_columns_are_filled_where_present_and_empty_for_the_legacy_days(
    published: Lake,
) -> None:
    rows = audience_rows(published)
    newer = ["monthly_listeners", "monthly_active_listeners", "super_listeners"]
    newer += ["playlist_adds", "saves"]

    assert [[r[c] for c in newer] for r in rows[:3]] == [[""] * 5] * 3
    assert [[r[c] for c in newer] for r in rows[3:]] == [
        ["430", "380", "3", "1", "2"],
        ["431", "381", "3", "0", "1"],
    ]
    assert [r["streams_28d"] for r in rows] == [""] * 5  # fewer than 28 days of history


def test_curated_audience_columns_read_back_as_dates_and_integers(published: Lake) -> None:
    [current] = audience_files(published)

    frame = pl.read_csv(current, try_parse_dates=True)

    assert frame.schema["date"] == pl.Date
    assert all(frame.schema[column] == pl.Int64 for column in COUNTS if column != "streams_28d")
    assert frame["streams_28d"].null_count() == frame.height


def test_songs_keep_quoted_titles_and_leave_all_time_listeners_and_saves_empty(
    published: Lake,
) -> None:
    rows = curated_rows(published, "spotify_songs_curated.csv")

    assert [(r["song"], r["window"], r["listeners"], r["streams"], r["saves"]) for r in rows] == [
        ("First Song", "1year", "950", "1800", "41"),
        ("First Song", "all", "", "2281", ""),
        ("Second Song, Pt. 2", "all", "", "130", ""),
    ]
    assert [r["release_date"] for r in rows] == ["2024-06-14", "2024-06-14", "2024-11-15"]
    assert {r["artist"] for r in rows} == {"EXAMPLE ARTIST"}


def test_playlists_read_n_a_and_dash_as_no_date(published: Lake) -> None:
    rows = curated_rows(published, "spotify_playlists_curated.csv")

    assert [
        (r["playlist"], r["author"], r["listeners"], r["streams"], r["date_added"], r["window"])
        for r in rows
    ] == [
        ("Radar Example", "Spotify", "120", "300", "", "1year"),
        ("Some User Mix", "someuser", "4", "9", "", "1year"),
    ]


def test_a_song_timeline_takes_its_song_from_the_name_and_its_artist_from_the_folder(
    published: Lake,
) -> None:
    rows = curated_rows(published, "spotify_song_timelines_curated.csv")

    assert [(r["date"], r["artist"], r["song"], r["streams"]) for r in rows] == [
        ("2025-01-01", "EXAMPLE ARTIST", "First Song", "4"),
        ("2025-01-02", "EXAMPLE ARTIST", "First Song", "7"),
    ]
    assert rows[0]["source_file"] == f"1_landing/spotify/{ARTIST_FOLDER}/{TIMELINE}"


def test_raw_copies_are_utf8_text_carrying_artist_kind_and_lineage(published: Lake) -> None:
    raw = sorted((published.zone("2_raw") / "spotify").rglob("*.csv"))

    assert sorted({p.parent.name for p in raw}) == [
        "audience",
        "playlists",
        "song_timelines",
        "songs",
    ]
    assert len(raw) == len(SAMPLES)
    for path in raw:
        content = path.read_bytes()
        assert not content.startswith(BOM) and b"\r" not in content
        header = content.decode("utf-8").splitlines()[0].split(",")
        assert header[:2] == ["artist", "kind"]
        assert header[-3:] == ["extracted_at", "source_file", "source_row"]
    legacy = next(p for p in raw if "legacy" in p.name).read_text(encoding="utf-8")
    assert legacy.splitlines()[1] == (
        "EXAMPLE ARTIST,audience,2025-01-01,12,15,210,2025-09-03T08:00:00,"
        f"1_landing/spotify/{LEGACY},2"
    )


def test_landing_files_are_left_as_dropped(published: Lake) -> None:
    for sample in SAMPLES:
        name = f"{ARTIST_FOLDER}/{sample}" if sample == TIMELINE else sample
        assert (landing(published) / name).read_bytes() == (FIXTURES / sample).read_bytes()


def test_a_second_run_with_nothing_new_changes_nothing(published: Lake) -> None:
    [before] = audience_files(published)
    content = before.read_bytes()

    logs = run_ok(published)

    assert [p.read_bytes() for p in audience_files(published)] == [content]
    assert "nothing new" in logs[0]
    assert not any(published.zone("5_archive").rglob("*.csv"))


def test_the_newer_variant_is_told_by_its_header_not_its_name(tmp_path: Path) -> None:
    lake = new_lake(tmp_path)
    drop(lake, NEWER, EXTRACTED).rename(landing(lake) / "Example Artist-timeline-export.csv")

    run_ok(lake)

    assert [r["monthly_listeners"] for r in audience_rows(lake)] == ["430", "431"]


def test_two_exports_that_would_share_a_raw_name_both_land(tmp_path: Path) -> None:
    lake = new_lake(tmp_path)
    name = "Example Artist-audience-timeline.csv"
    drop_bytes(lake, name, legacy_export({"2025-01-01": 5}), EXTRACTED)
    drop_bytes(lake, f"{ARTIST_FOLDER}/{name}", legacy_export({"2025-02-01": 7}), EXTRACTED)

    run_ok(lake)

    raw = sorted(p.name for p in (lake.zone("2_raw") / "spotify" / "audience").iterdir())
    assert raw == [
        "spotify_example_artist_audience_timeline_20250903_080000.csv",
        "spotify_example_artist_audience_timeline_20250903_080000_2.csv",
    ]
    assert [(r["date"], r["streams"]) for r in audience_rows(lake)] == [
        ("2025-01-01", "5"),
        ("2025-02-01", "7"),
    ]


def test_exports_re_saved_by_excel_are_read_too(tmp_path: Path) -> None:
    lake = new_lake(tmp_path)
    utf16 = legacy_export({"2025-03-01": 5}).decode("utf-8-sig").encode("utf-16")
    drop_bytes(lake, f"spotify_audience_{PIG_ID}_20250302_080000.csv", utf16)
    french = "date;listeners;streams;followers\r\n2025-03-01;1 200;2\u00a0345;9\r\n"
    drop_bytes(lake, "Example Artist-audience-timeline.csv", french.encode("utf-8-sig"))
    latin1 = 'song,listeners,streams,saves,release_date\r\n"Café, Noir",1,2,0,2025-01-01\r\n'
    drop_bytes(lake, "Example Artist-songs-7day.csv", latin1.encode("cp1252"))

    run_ok(lake)

    assert [(r["artist"], r["listeners"], r["streams"]) for r in audience_rows(lake)] == [
        ("EXAMPLE ARTIST", "1200", "2345"),
        ("PIG1987", "2", "5"),
    ]
    [song] = curated_rows(lake, "spotify_songs_curated.csv")
    assert (song["song"], song["window"]) == ("Café, Noir", "7day")


def test_us_excel_dates_are_read_and_an_export_with_only_its_header_holds_no_rows(
    tmp_path: Path,
) -> None:
    lake = new_lake(tmp_path)
    us = "date,listeners,streams,followers\r\n1/31/2025,5,9,2\r\n2/1/2025,6,10,2\r\n"
    drop_bytes(lake, f"spotify_audience_{PIG_ID}_20250202_080000.csv", us.encode("utf-8"))
    header = "title,author,listeners,streams,date_added\r\n"
    drop_bytes(lake, "PIG1987-playlists-28day.csv", header.encode("utf-8"), EXTRACTED)

    run_ok(lake)

    assert not list((lake.zone("1_landing") / "_quarantine").rglob("*.reason.json"))
    assert [(r["date"], r["streams"]) for r in audience_rows(lake)] == [
        ("2025-01-31", "9"),
        ("2025-02-01", "10"),
    ]


def test_playlists_of_two_windows_are_kept_apart(tmp_path: Path) -> None:
    lake = new_lake(tmp_path)
    year = "title,author,listeners,streams,date_added\r\nRadar Example,Spotify,120,3000,-\r\n"
    drop_bytes(lake, "PIG1987-playlists-1year.csv", year.encode("utf-8"), EXTRACTED)
    month = "title,author,listeners,streams,date_added\r\nRadar Example,Spotify,20,300,-\r\n"
    later = EXTRACTED.replace(minute=5)
    drop_bytes(lake, "PIG1987-playlists-28day.csv", month.encode("utf-8"), later)

    run_ok(lake)

    rows = curated_rows(lake, "spotify_playlists_curated.csv")
    assert sorted((r["window"], r["listeners"], r["streams"]) for r in rows) == [
        ("1year", "120", "3000"),
        ("28day", "20", "300"),
    ]

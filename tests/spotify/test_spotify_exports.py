"""The pure parts: header families, file names, the artist config, typing, streams_28d."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest

from common.artists import ArtistDirectory
from common.quarantine import RejectedFile
from spotify import audience, playlists, songs
from spotify.exports import column_name, detect_family
from spotify.file_names import artist_of, song_of, window_of
from tests.spotify.spotify_lake import ARTISTS, EXAMPLE_ID, PIG_ID

LANDING = Path("/lake/1_landing/spotify")


@pytest.fixture(scope="module")
def artists(tmp_path_factory: pytest.TempPathFactory) -> ArtistDirectory:
    config = tmp_path_factory.mktemp("config") / "artists.json"
    config.write_text(json.dumps(ARTISTS), encoding="utf-8")
    return ArtistDirectory.from_file(config)


def test_the_family_is_told_by_header_names_in_any_order_and_spelling() -> None:
    legacy = detect_family(["\ufeffdate", "Listeners", "streams", "followers"], "a.csv")
    newer = detect_family(
        "date,listeners,Monthly Listeners,monthly_active_listeners,super listeners,streams,"
        "playlist adds,saves,followers".split(","),
        "b.csv",
    )
    shuffled = detect_family(["streams", "date"], "c.csv")

    assert (legacy[0].kind, legacy[1]) == ("audience", "legacy")
    assert (newer[0].kind, newer[1]) == ("audience", "2025")
    assert shuffled[0].kind == "song_timelines" and shuffled[2] == ("streams", "date")
    assert column_name(" Playlist  Adds ") == "playlist_adds"


def test_a_wrong_header_names_the_nearest_export_and_what_differs() -> None:
    with pytest.raises(RejectedFile) as rejected:
        detect_family(["date", "listeners", "streams", "fans"], "x.csv")

    assert rejected.value.rule == "header"
    assert "audience export (legacy)" in str(rejected.value)
    assert "missing ['followers'], unexpected ['fans']" in str(rejected.value)


@pytest.mark.parametrize(
    "name, window",
    [
        ("Example Artist-songs-all.csv", "all"),
        ("Example Artist-songs-1year_20260105_090000.csv", "1year"),
        ("Example Artist-songs-28day (1).csv", "28day"),
        ("Example Artist-playlists-12months.csv", "1year"),
        ("Example Artist-songs.csv", None),
        ("Songs Of Summer-songs-7day.csv", "7day"),
    ],
)
def test_the_window_comes_from_the_word_after_the_marker(name: str, window: str | None) -> None:
    marker = "playlists" if "playlists" in name else "songs"

    assert window_of(Path(name), marker) == window


@pytest.mark.parametrize(
    "relative, artist, named_by",
    [
        (f"spotify_audience_{PIG_ID}_20260105_090000.csv", "PIG1987", "spotify id"),
        ("Example Artist-audience-timeline.csv", "EXAMPLE ARTIST", "file prefix"),
        ("example artist-songs-all.csv", "EXAMPLE ARTIST", "file prefix"),
        ("Example Artist/Some Export-audience-timeline.csv", "EXAMPLE ARTIST", "folder"),
        (f"{EXAMPLE_ID}/export.csv", "EXAMPLE ARTIST", "folder"),
    ],
)
def test_the_artist_comes_from_the_config_by_id_prefix_or_folder(
    artists: ArtistDirectory, relative: str, artist: str, named_by: str
) -> None:
    match = artist_of(LANDING / relative, LANDING, artists)

    assert (match.artist.name, match.named_by) == (artist, named_by)


def test_a_name_naming_another_artist_than_its_folder_is_refused(
    artists: ArtistDirectory,
) -> None:
    with pytest.raises(RejectedFile, match="sits in the folder of EXAMPLE ARTIST") as rejected:
        artist_of(LANDING / "Example Artist" / "PIG1987-songs-all.csv", LANDING, artists)

    assert rejected.value.rule == "artist-conflict"


def test_an_unknown_artist_is_rejected_never_guessed(artists: ArtistDirectory) -> None:
    with pytest.raises(RejectedFile, match="config/artists.json") as rejected:
        artist_of(LANDING / "Somebody-audience-timeline.csv", LANDING, artists)

    assert rejected.value.rule == "unknown-artist"


@pytest.mark.parametrize(
    "relative, song",
    [
        ("Example Artist/First Song-timeline.csv", "First Song"),
        ("Example Artist/Why_-timeline (1).csv", "Why"),
        ("Example Artist/PIG1987 Tribute-timeline.csv", "PIG1987 Tribute"),
        ("PIG1987-NIGHT SHIFT-timeline_20260105_090000.csv", "NIGHT SHIFT"),
        ("PIG1987 - SLOW BURN, FAST FADE-timeline.csv", "SLOW BURN, FAST FADE"),
    ],
)
def test_a_song_timeline_is_named_after_its_song(
    artists: ArtistDirectory, relative: str, song: str
) -> None:
    path = LANDING / relative

    match = artist_of(path, LANDING, artists, named_after_song=True)

    assert song_of(path, match) == song


def _text(rows: dict[str, list[str | None]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema={name: pl.String() for name in rows})


def test_counts_may_group_thousands_and_an_empty_count_is_null() -> None:
    text = _text({"date": ["2025-01-01", "2025-01-02"], "listeners": ["1,234", None]})
    text = text.with_columns(streams=pl.lit("12 345"), followers=pl.lit("7"))

    typed = audience.FAMILY.typed(text, "x.csv")

    assert typed["listeners"].to_list() == [1234, None]
    assert typed["streams"].to_list() == [12345, 12345]
    assert typed["monthly_listeners"].to_list() == [None, None]


def test_a_malformed_group_is_not_read_as_a_count() -> None:
    text = _text({"date": ["2025-01-01"], "listeners": ["1,2,3"], "streams": ["4"]})

    with pytest.raises(RejectedFile) as rejected:
        audience.FAMILY.typed(text.with_columns(followers=pl.lit("1")), "x.csv")

    assert rejected.value.details == [
        {
            "column": "listeners",
            "check": "is a whole number (0 or more)",
            "value": "1,2,3",
            "row": 2,
        }
    ]


def test_playlist_dates_n_a_and_dash_are_empty() -> None:
    text = _text(
        {
            "title": ["A", "B", "C"],
            "author": ["x", "y", None],
            "listeners": ["1", "2", "3"],
            "streams": ["1", "2", "3"],
            "date_added": ["n/a", "-", "2025-05-01"],
        }
    )

    typed = playlists.FAMILY.typed(text, "p.csv")

    assert typed["date_added"].to_list() == [None, None, date(2025, 5, 1)]


def test_all_time_listeners_and_saves_are_not_reported() -> None:
    frame = pl.DataFrame({"window": ["all", "1year"], "listeners": [0, 5], "saves": [0, 2]})

    assert songs.unreported_as_null(frame).rows() == [("all", None, None), ("1year", 5, 2)]


def test_streams_28d_needs_28_known_days_per_artist() -> None:
    first = date(2025, 1, 1)
    dates = [first + timedelta(days=n) for n in range(35)]
    frame = pl.DataFrame(
        {
            "artist": ["A"] * 30 + ["B"] * 34,
            "date": dates[:30] + [d for d in dates if d != date(2025, 1, 5)],
            "streams": [n + 1 for n in range(30)] + [1] * 34,
        }
    )

    result = audience.streams_28d(frame)

    a = result.filter(pl.col("artist") == "A")["streams_28d"].to_list()
    b = result.filter(pl.col("artist") == "B")["streams_28d"].to_list()
    assert a == [None] * 27 + [406, 434, 462]
    # 2025-01-05 is missing: every window up to 2025-02-01 holds it.
    assert b == [None] * 31 + [28, 28, 28]


def test_the_audience_file_is_dated_by_the_newest_extraction() -> None:
    staging = pl.DataFrame(
        {"extracted_at": [datetime(2025, 9, 3, 8), datetime(2025, 12, 31, 23, 59)]}
    )

    assert audience.curated_name(staging) == "spotify_audience_curated_20251231.csv"

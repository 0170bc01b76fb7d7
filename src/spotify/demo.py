"""Deterministic Spotify for Artists demo exports: audience timelines (both variants), songs,
a song timeline and playlists of the label's artists, year 2025 (UTF-8 with BOM, LF)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from types import MappingProxyType

from common.demodata.catalog import ARTISTS, IWARY, PIG1987, TRACKS, ZONE_A0, Artist, Track
from common.demodata.series import SERIES_END, days_between, true_daily_counts

# The demo artists' Spotify ids as config/artists.json lists them (a test keeps them equal).
SPOTIFY_IDS = MappingProxyType(
    {
        PIG1987.name: "0PIG1987DemoArtistId00",
        ZONE_A0.name: "0ZONEA0DemoArtistId000",
        IWARY.name: "0IWARYDemoArtistId0000",
    }
)
FIRST_EXTRACTION = "20260105_090000"
SECOND_EXTRACTION = "20260301_090000"
LEGACY_HEADER = "date,listeners,streams,followers"
NEWER_HEADER = (
    "date,listeners,monthly listeners,monthly active listeners,super listeners,streams,"
    "playlist adds,saves,followers"
)
PLAYLISTS = (
    ("Radar Fresh Finds", "Spotify"),
    ("Night Drive Techno", "bedrot"),
    ("Release Radar", "Spotify"),
    ("late night, low light", "someuser"),
    ("Dark Minimal", "clubcurator"),
)
Row = Sequence[object]


def _seed(artist: Artist) -> int:
    return 300 + ARTISTS.index(artist)


def _tracks_of(artist: Artist) -> list[Track]:
    return [track for track in TRACKS if artist in track.release.artists]


def _daily_streams(artist: Artist) -> dict[date, int]:
    releases = [track.release.release_date for track in _tracks_of(artist)]
    return true_daily_counts(_seed(artist), 40 + 20 * ARTISTS.index(artist), set(releases))


def _csv_text(header: str, rows: Sequence[Row]) -> str:
    lines = [header, *(",".join(str(value) for value in row) for row in rows)]
    return "\ufeff" + "\n".join(lines) + "\n"


def _write(folder: Path, name: str, header: str, rows: Sequence[Row]) -> Path:
    path = folder / name
    path.write_bytes(_csv_text(header, rows).encode("utf-8"))
    return path


def audience_rows(artist: Artist, first: date, last: date, newer: bool) -> list[Row]:
    """Daily listeners, streams and cumulative followers (plus the 2025 columns if `newer`)."""
    rng = random.Random(_seed(artist) * 7)
    streams = _daily_streams(artist)
    followers = 150 + 90 * ARTISTS.index(artist)
    rows: list[Row] = []
    for day in days_between(first, last):
        count = streams[day]
        listeners = count * (55 + int(rng.random() * 21)) // 100
        followers += count // 40 + int(rng.random() * 3)
        if not newer:
            rows.append((day.isoformat(), listeners, count, followers))
            continue
        monthly = sum(streams.get(day - timedelta(days=n), 0) for n in range(28)) * 45 // 100
        extra = (monthly, monthly * 88 // 100, monthly // 120)
        adds, saves = int(rng.random() * 4), count // 25
        rows.append((day.isoformat(), listeners, *extra, count, adds, saves, followers))
    return rows


def _quoted(title: str) -> str:
    return '"' + title.replace('"', '""') + '"'


def songs_rows(artist: Artist, window: str) -> list[Row]:
    """One row per track; the all-time window reports listeners and saves as 0, as S4A does."""
    rng = random.Random(_seed(artist) * 11 + len(window))
    rows: list[Row] = []
    for track in _tracks_of(artist):
        streams = 400 + int(rng.random() * 9000)
        if window == "all":
            streams *= 2
            listeners, saves = 0, 0
        else:
            listeners, saves = streams * 6 // 10, streams // 30
        released = track.release.release_date.isoformat()
        rows.append((_quoted(track.title), listeners, streams, saves, released))
    return rows


def timeline_rows(track: Track, last: date) -> list[Row]:
    streams = true_daily_counts(320, 25, [track.release.release_date])
    first = track.release.release_date
    return [(day.isoformat(), streams[day]) for day in days_between(first, last)]


def playlist_rows(artist: Artist) -> list[Row]:
    rng = random.Random(_seed(artist) * 13)
    rows: list[Row] = []
    for index, (title, author) in enumerate(PLAYLISTS):
        listeners = 3 + int(rng.random() * 400)
        added = ("n/a", "-", f"2025-{3 + index:02d}-{10 + index:02d}")[index % 3]
        rows.append((_quoted(title), author, listeners, listeners * 2 + index, added))
    return rows


def write_spotify(folder: Path) -> list[Path]:
    """The demo exports, named as the extractor (Spotify id) or S4A itself (artist) names them."""
    folder.mkdir(parents=True, exist_ok=True)
    pig_id = SPOTIFY_IDS[PIG1987.name]
    night_shift = next(track for track in TRACKS if track.title == "NIGHT SHIFT")
    files = [
        _write(
            folder,
            f"spotify_audience_{pig_id}_{FIRST_EXTRACTION}.csv",
            LEGACY_HEADER,
            audience_rows(PIG1987, date(2025, 1, 1), date(2025, 12, 31), newer=False),
        ),
        _write(
            folder,
            f"{ZONE_A0.name}-audience-timeline_{SECOND_EXTRACTION}.csv",
            NEWER_HEADER,
            audience_rows(ZONE_A0, date(2025, 3, 1), SERIES_END, newer=True),
        ),
    ]
    for artist in ARTISTS:
        for window in ("1year", "all"):
            name = f"{artist.name}-songs-{window}_{FIRST_EXTRACTION}.csv"
            header = "song,listeners,streams,saves,release_date"
            files.append(_write(folder, name, header, songs_rows(artist, window)))
        name = f"{artist.name}-playlists-1year_{FIRST_EXTRACTION}.csv"
        header = "title,author,listeners,streams,date_added"
        files.append(_write(folder, name, header, playlist_rows(artist)))
    name = f"{PIG1987.name}-{night_shift.title}-timeline_{FIRST_EXTRACTION}.csv"
    files.append(
        _write(folder, name, "date,streams", timeline_rows(night_shift, date(2025, 12, 31)))
    )
    return files

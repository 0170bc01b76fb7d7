"""Spotify for Artists declares itself: its curated datasets, login, freshness windows, demo."""

from __future__ import annotations

from common.declarations import Dataset, HealthWindow, LoginDeclaration, ServiceDeclaration
from spotify.settings import (
    AUDIENCE_CURATED_PREFIX,
    PLAYLISTS_CURATED,
)
from spotify.settings import SERVICE as NAME
from spotify.settings import SONG_TIMELINES_CURATED, SONGS_CURATED

SERVICE = ServiceDeclaration(
    NAME,
    datasets=(
        # Dated: the newest audience file stays in 4_curated, older ones move to the archive.
        Dataset(
            "audience",
            f"{AUDIENCE_CURATED_PREFIX}*.csv",
            keys=("artist", "date"),
            loader="spotify_audience",
        ),
        Dataset(
            "songs",
            SONGS_CURATED,
            keys=("artist", "song", "release_date", "track_id", "window", "extracted_at"),
        ),
        Dataset("song_timelines", SONG_TIMELINES_CURATED, keys=("artist", "song", "date")),
        Dataset("playlists", PLAYLISTS_CURATED, keys=("artist", "playlist", "author", "window")),
    ),
    login=LoginDeclaration("oauth", max_age_days=30, refresh_interval_days=7, priority="HIGH"),
    health=HealthWindow(warn_days=2, fail_days=5),
    priority="HIGH",
    demo_writer="spotify.demo:write_spotify",
    description="Audience timelines, songs, song timelines and playlists exports.",
)

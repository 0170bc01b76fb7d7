"""The playlists export: which playlists carry the artist, with listeners and streams.

One row per (artist, playlist, author, window), the newest extraction of that window winning:
a 28-day export never replaces a year's counts. `date_added` is `n/a`
or `-` for playlists Spotify has no date for: those are empty, not errors.
"""

from __future__ import annotations

from pathlib import Path

import pandera.polars as pa
import polars as pl

from common.series import EXTRACTED_AT
from spotify.family import (
    LINEAGE_TYPES,
    Family,
    count,
    count_column,
    day,
    once_per_file_together,
)
from spotify.file_names import ArtistMatch, window_of
from spotify.settings import PLAYLISTS, PLAYLISTS_CURATED, PLAYLISTS_MARKER

CURATED_COLUMNS = (
    "artist",
    "playlist",
    "author",
    "listeners",
    "streams",
    "date_added",
    "window",
    EXTRACTED_AT,
    "source_file",
)


def name_fields(path: Path, match: ArtistMatch) -> dict[str, str | None]:
    """The window the counts cover, when the name says it (`<artist>-playlists-1year.csv`)."""
    return {"window": window_of(path, PLAYLISTS_MARKER)}


def as_playlist(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.rename({"title": "playlist"})


def curate(staging: pl.DataFrame) -> pl.DataFrame:
    return staging.select(CURATED_COLUMNS).sort("artist", "playlist", "author", "window")


def _schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "title": pa.Column(pl.String, pa.Check.str_length(min_value=1)),
            "author": pa.Column(pl.String, nullable=True),
            "listeners": count_column(),
            "streams": count_column(),
            "date_added": pa.Column(pl.Date, nullable=True),
        },
        strict=True,
        ordered=True,
        checks=[once_per_file_together(("title", "author"), "playlist title and author")],
    )


FAMILY = Family(
    kind="playlists",
    variants={"playlists": PLAYLISTS},
    columns=PLAYLISTS,
    parses=(count("listeners"), count("streams"), day("date_added")),
    schema=_schema(),
    keys=("artist", "playlist", "author", "window"),
    staging_types={
        "artist": pl.String(),
        "playlist": pl.String(),
        "author": pl.String(),
        "listeners": pl.Int64(),
        "streams": pl.Int64(),
        "date_added": pl.Date(),
        "window": pl.String(),
        **LINEAGE_TYPES,
    },
    curate=curate,
    curated_name=lambda staging: PLAYLISTS_CURATED,
    name_columns=("window",),
    name_fields=name_fields,
    stage=as_playlist,
)

"""The songs export `<artist>-songs-<window>.csv`: per-song listeners, streams and saves.

The songs page's catalog-view JSON (see catalog_view.py) is the same data plus the track id,
URI and canvas views, which are empty for songs from a CSV export. Each extraction is a
snapshot of one time window, so staging keeps every snapshot, one row per (artist, song,
release date, track id, window, extraction): two songs of one title (a single and its album
version) are two rows. In the all-time window Spotify writes 0 for listeners and saves, which it
does not report there: they are kept as empty, not as a real 0.
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
    once_per_file,
)
from spotify.file_names import ArtistMatch, required_window
from spotify.settings import (
    ALL_TIME,
    SONGS,
    SONGS_CURATED,
    SONGS_JSON_ONLY,
    SONGS_MARKER,
    UNREPORTED_IN_ALL_TIME,
)

COUNTS = ("listeners", "streams", "saves")
COLUMNS = SONGS + SONGS_JSON_ONLY
CURATED_COLUMNS = (
    "artist",
    "song",
    "window",
    "release_date",
    "listeners",
    "streams",
    "saves",
    "canvas_views",
    "track_id",
    "track_uri",
    EXTRACTED_AT,
    "source_file",
)


def name_fields(path: Path, match: ArtistMatch) -> dict[str, str | None]:
    return {"window": required_window(path, SONGS_MARKER)}


def unreported_as_null(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(
        pl.when(pl.col("window") != ALL_TIME).then(pl.col(column)).alias(column)
        for column in UNREPORTED_IN_ALL_TIME
    )


def curate(staging: pl.DataFrame) -> pl.DataFrame:
    return staging.select(CURATED_COLUMNS).sort("artist", "song", "window", EXTRACTED_AT)


# A song is its title, release date and (in the JSON) track id: a single and its album
# version, or two songs of one title, are two rows. Only rows equal in all three could not be
# told apart downstream, and refuse the file.
SONG_KEY = ("song", "release_date", "track_id")


def _schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "song": pa.Column(
                pl.String,
                [
                    pa.Check.str_length(min_value=1),
                    once_per_file("song (title, release date, track id)", SONG_KEY[1:]),
                ],
            ),
            **{column: count_column() for column in COUNTS},
            "release_date": pa.Column(pl.Date, nullable=True),
            "track_id": pa.Column(pl.String, nullable=True),
            "track_uri": pa.Column(pl.String, nullable=True),
            "canvas_views": count_column(),
        },
        strict=True,
        ordered=True,
    )


FAMILY = Family(
    kind="songs",
    variants={"songs": SONGS},
    columns=COLUMNS,
    parses=(*(count(column) for column in COUNTS), day("release_date"), count("canvas_views")),
    schema=_schema(),
    keys=("artist", "song", "release_date", "track_id", "window", EXTRACTED_AT),
    staging_types={
        "artist": pl.String(),
        "song": pl.String(),
        "window": pl.String(),
        "release_date": pl.Date(),
        **{column: pl.Int64() for column in COUNTS},
        "canvas_views": pl.Int64(),
        "track_id": pl.String(),
        "track_uri": pl.String(),
        **LINEAGE_TYPES,
    },
    curate=curate,
    curated_name=lambda staging: SONGS_CURATED,
    name_columns=("window",),
    name_fields=name_fields,
    stage=unreported_as_null,
)

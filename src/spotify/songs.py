"""The songs export `<artist>-songs-<window>.csv`: per-song listeners, streams and saves.

Each extraction is a snapshot of one time window, so staging keeps every snapshot, one row per
(artist, song, window, extraction). In the all-time window Spotify writes 0 for listeners and
saves, which it does not report there: they are kept as empty, not as a real 0.
"""

from __future__ import annotations

from pathlib import Path

import pandera.polars as pa
import polars as pl

from common.series import EXTRACTED_AT
from spotify.family import LINEAGE_TYPES, Family, count, count_column, day, once_per_file
from spotify.file_names import ArtistMatch, required_window
from spotify.settings import ALL_TIME, SONGS, SONGS_CURATED, SONGS_MARKER, UNREPORTED_IN_ALL_TIME

COUNTS = ("listeners", "streams", "saves")
CURATED_COLUMNS = (
    "artist",
    "song",
    "window",
    "release_date",
    "listeners",
    "streams",
    "saves",
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


def _schema() -> pa.DataFrameSchema:
    # Two rows of one title in one export could not be told apart downstream: refuse the file.
    return pa.DataFrameSchema(
        {
            "song": pa.Column(
                pl.String, [pa.Check.str_length(min_value=1), once_per_file("song title")]
            ),
            **{column: count_column() for column in COUNTS},
            "release_date": pa.Column(pl.Date, nullable=True),
        },
        strict=True,
        ordered=True,
    )


FAMILY = Family(
    kind="songs",
    variants={"songs": SONGS},
    columns=SONGS,
    parses=(*(count(column) for column in COUNTS), day("release_date")),
    schema=_schema(),
    keys=("artist", "song", "window", EXTRACTED_AT),
    staging_types={
        "artist": pl.String(),
        "song": pl.String(),
        "window": pl.String(),
        "release_date": pl.Date(),
        **{column: pl.Int64() for column in COUNTS},
        **LINEAGE_TYPES,
    },
    curate=curate,
    curated_name=lambda staging: SONGS_CURATED,
    name_columns=("window",),
    name_fields=name_fields,
    stage=unreported_as_null,
)

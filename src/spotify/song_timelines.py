"""Song timelines `<song title>-timeline.csv`: daily streams of one song.

The file name is the only link to the song, so the title comes from it (a prefix naming the
artist and Windows' trailing `_` removed); the artist comes from the folder or that prefix.
"""

from __future__ import annotations

from pathlib import Path

import pandera.polars as pa
import polars as pl

from common.series import EXTRACTED_AT
from spotify.family import LINEAGE_TYPES, Family, count, count_column, day, once_per_file
from spotify.file_names import ArtistMatch, song_of
from spotify.settings import SONG_TIMELINE, SONG_TIMELINES_CURATED

CURATED_COLUMNS = ("date", "artist", "song", "streams", EXTRACTED_AT, "source_file")


def name_fields(path: Path, match: ArtistMatch) -> dict[str, str | None]:
    return {"song": song_of(path, match)}


def curate(staging: pl.DataFrame) -> pl.DataFrame:
    return staging.select(CURATED_COLUMNS).sort("artist", "song", "date")


FAMILY = Family(
    kind="song_timelines",
    variants={"timeline": SONG_TIMELINE},
    columns=SONG_TIMELINE,
    parses=(day("date"), count("streams")),
    schema=pa.DataFrameSchema(
        {"date": pa.Column(pl.Date, once_per_file("date")), "streams": count_column()},
        strict=True,
        ordered=True,
    ),
    keys=("artist", "song", "date"),
    staging_types={
        "artist": pl.String(),
        "song": pl.String(),
        "date": pl.Date(),
        "streams": pl.Int64(),
        **LINEAGE_TYPES,
    },
    curate=curate,
    curated_name=lambda staging: SONG_TIMELINES_CURATED,
    name_columns=("song",),
    name_fields=name_fields,
    named_after_song=True,
)

"""The audience timeline: daily listeners, streams and followers per artist, and streams_28d.

Two header variants exist (legacy 4 columns, newer 9 columns); both land in one staging table
with the newer columns null where an export did not have them. These are Spotify-reported
streams: they overlap the distributors' spotify_streams and are never added to them.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pandera.polars as pa
import polars as pl

from common.lake import Lake
from common.lineage import sources_path
from common.series import EXTRACTED_AT
from common.zones import CURATED, archive_path, atomic_copy, free_name
from spotify.family import LINEAGE_TYPES, Family, count, count_column, day, once_per_file
from spotify.settings import (
    AUDIENCE_2025,
    AUDIENCE_CURATED_PREFIX,
    AUDIENCE_LEGACY,
    TRAILING_DAYS,
)

COUNTS = tuple(column for column in AUDIENCE_2025 if column != "date")
NEWER_COLUMNS = tuple(column for column in AUDIENCE_2025 if column not in AUDIENCE_LEGACY)
CURATED_COLUMNS = (
    "date",
    "artist",
    "listeners",
    "streams",
    "followers",
    "streams_28d",
    *NEWER_COLUMNS,
    EXTRACTED_AT,
    "source_file",
)
_DATED_NAME = re.compile(re.escape(AUDIENCE_CURATED_PREFIX) + r"\d{8}\.csv")


def streams_28d(frame: pl.DataFrame) -> pl.DataFrame:
    """The trailing 28-day sum of streams per artist, null unless all 28 days are known.

    The window is the date and the 27 days before it. A day missing from the timeline, or
    with empty streams, is unknown rather than 0, so every window holding it is null too:
    a sum over fewer days would look like a drop in streams that never happened.
    """
    window = f"{TRAILING_DAYS}d"
    total = pl.col("streams").rolling_sum_by("date", window_size=window)
    known = pl.col("streams").is_not_null().cast(pl.Int64).rolling_sum_by("date", window)
    return frame.sort("artist", "date").with_columns(
        pl.when(known.over("artist") == TRAILING_DAYS)
        .then(total.over("artist"))
        .cast(pl.Int64)
        .alias("streams_28d")
    )


def curate(staging: pl.DataFrame) -> pl.DataFrame:
    return streams_28d(staging).select(CURATED_COLUMNS).sort("artist", "date")


def curated_name(staging: pl.DataFrame) -> str:
    """Dated by the newest extraction in the data, so the same data always has the same name."""
    newest = staging.get_column(EXTRACTED_AT).max()
    stamp = newest.strftime("%Y%m%d") if isinstance(newest, datetime) else "00000000"
    return f"{AUDIENCE_CURATED_PREFIX}{stamp}.csv"


def retire_older_versions(lake: Lake, current: Path) -> list[Path]:
    """Move every other dated audience file of 4_curated into 5_archive; return the copies.

    The copy is complete before the old file goes, so it always exists in one place or both.
    """
    archived = []
    for older in sorted(lake.zone(CURATED).glob(f"{AUDIENCE_CURATED_PREFIX}*.csv")):
        if older.name == current.name or not _DATED_NAME.fullmatch(older.name):
            continue
        copy = free_name(archive_path(lake, older, datetime.now()))
        # Its lineage sidecar goes with it, so the archived version still names its sources.
        sidecar = sources_path(older)
        if sidecar.is_file():
            atomic_copy(sidecar, sources_path(copy))
        atomic_copy(older, copy)
        older.unlink()
        sidecar.unlink(missing_ok=True)
        archived.append(copy)
    return archived


def _schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "date": pa.Column(pl.Date, once_per_file("date")),
            **{column: count_column() for column in COUNTS},
        },
        strict=True,
        ordered=True,
    )


FAMILY = Family(
    kind="audience",
    variants={"legacy": AUDIENCE_LEGACY, "2025": AUDIENCE_2025},
    columns=AUDIENCE_2025,
    parses=(day("date"), *(count(column) for column in COUNTS)),
    schema=_schema(),
    keys=("artist", "date"),
    staging_types={
        "artist": pl.String(),
        "date": pl.Date(),
        **{column: pl.Int64() for column in COUNTS},
        **LINEAGE_TYPES,
    },
    curate=curate,
    curated_name=curated_name,
)

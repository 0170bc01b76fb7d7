"""Staging: every extraction of a dataset folded into one history, the newest extraction winning.

Studio windows move (365 days at most, 7 for follower activity), so history lives here. Rows are
upserted by (account, date) (plus hour, video id, gender or territory): a newer export replaces
the days it covers, revised recent days included, and every older day is kept. A row that says
nothing (every metric `undefined`) never blanks a day an older export knew.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from common.series import EXTRACTED_AT, upsert_newest
from tiktok.exports import row_dtypes
from tiktok.settings import FOLLOWER_ACTIVITY, SERVICE, Dataset

PROVENANCE = (EXTRACTED_AT, "source_file", "source_row")


def staging_name(dataset: Dataset) -> str:
    return f"{SERVICE}_{dataset.name}.csv"


def history_schema(dataset: Dataset) -> dict[str, pl.DataType]:
    """Columns of raw rows and of staging: account, artist, the dated fields, provenance."""
    return {
        "account": pl.String(),
        "artist": pl.String(),
        **row_dtypes(dataset),
        EXTRACTED_AT: pl.Datetime("us"),
        "source_file": pl.String(),
        "source_row": pl.Int64(),
    }


def read_raw(path: Path, dataset: Dataset) -> pl.DataFrame:
    """One raw NDJSON extraction (its `dataset` and `extra` fields stay in raw)."""
    return pl.read_ndjson(path, schema=history_schema(dataset))


def unmeasured_hours_as_null(extraction: pl.DataFrame) -> pl.DataFrame:
    """Studio fills the export day's hours after the export with 0: they are not measured yet.

    The run of zeros that ends the export day becomes null, so the next export's real counts
    fill those hours and a 0 is never mistaken for an hour with no active followers.
    """
    last_day = extraction["date"].max()
    on_last_day = pl.col("date") == last_day
    measured = extraction.filter(on_last_day & (pl.col("active_followers") != 0))
    last_measured = measured["hour"].max()
    after = pl.col("hour") > (last_measured if last_measured is not None else -1)
    return extraction.with_columns(
        pl.when(on_last_day & after & (pl.col("active_followers") == 0))
        .then(None)
        .otherwise(pl.col("active_followers"))
        .alias("active_followers")
    )


def fold(dataset: Dataset, extractions: list[pl.DataFrame]) -> pl.DataFrame:
    """The dataset's history from its extractions: one row per key, the newest extraction's."""
    schema = history_schema(dataset)
    if dataset is FOLLOWER_ACTIVITY:
        extractions = [unmeasured_hours_as_null(e) for e in extractions if not e.is_empty()]
    frames = [e for e in extractions if not e.is_empty()]
    if not frames:
        return pl.DataFrame(schema=schema)
    # Oldest extraction first: on equal extraction times the later file wins, deterministically.
    frames.sort(key=lambda e: (e[EXTRACTED_AT].max(), e["source_file"].min()))
    rows = pl.concat(frames, how="vertical").filter(
        pl.any_horizontal(pl.col(m).is_not_null() for m in dataset.metrics)
    )
    history = upsert_newest(None, rows, keys=("account", *dataset.keys))
    return history.select(list(schema))


def read_staging(path: Path, dataset: Dataset) -> pl.DataFrame:
    return pl.read_csv(path, schema=history_schema(dataset))

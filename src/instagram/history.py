"""Staging keeps every day ever pulled (newest extraction wins per account, day and metric) and
every media snapshot (newest per media and day); curated turns them into the three datasets."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import polars as pl

from common.series import EXTRACTED_AT, upsert_newest
from common.zones import atomic_write_with
from instagram.raw import SOURCE_FILE, Extraction
from instagram.settings import DAILY_COLUMNS, MEDIA_FIELDS, MEDIA_METRICS

DAILY_KEYS = ("account", "date", "metric")
MEDIA_KEYS = ("media_id", "snapshot_date")
TEXT, DAY, COUNT, WHEN = pl.String(), pl.Date(), pl.Int64(), pl.Datetime("us")
DAILY_SCHEMA: dict[str, pl.DataType] = {
    "account": TEXT, "date": DAY, "metric": TEXT, "value": COUNT, EXTRACTED_AT: WHEN,
    SOURCE_FILE: TEXT,
}  # fmt: skip
MEDIA_SCHEMA: dict[str, pl.DataType] = {
    "account": TEXT, "media_id": TEXT, "media_type": TEXT, "media_product_type": TEXT,
    "caption_excerpt": TEXT, "posted_at": TEXT, "posted_date": DAY, "permalink": TEXT,
    "snapshot_date": DAY, **{name: COUNT for name in MEDIA_METRICS}, EXTRACTED_AT: WHEN,
    SOURCE_FILE: TEXT,
}  # fmt: skip


def _frame(records: list[dict[str, object]], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    return pl.DataFrame(records, schema=schema) if records else pl.DataFrame(schema=schema)


def fold(oldest_first: Sequence[Extraction]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(daily values, media snapshots): one row per key, the newest extraction's."""
    daily = [_frame(e.daily, DAILY_SCHEMA) for e in oldest_first]
    media = [_frame(e.media, MEDIA_SCHEMA) for e in oldest_first]
    all_daily = pl.concat(daily) if daily else _frame([], DAILY_SCHEMA)
    all_media = pl.concat(media) if media else _frame([], MEDIA_SCHEMA)
    return (
        upsert_newest(None, all_daily, DAILY_KEYS).select(list(DAILY_SCHEMA)),
        upsert_newest(None, all_media, MEDIA_KEYS).select(list(MEDIA_SCHEMA)),
    )


def write_table(target: Path, rows: pl.DataFrame) -> Path:
    return atomic_write_with(target, rows.write_csv)


def read_daily(path: Path) -> pl.DataFrame:
    return pl.read_csv(path, schema=DAILY_SCHEMA)


def read_media(path: Path) -> pl.DataFrame:
    return pl.read_csv(path, schema=MEDIA_SCHEMA)


def daily_table(daily: pl.DataFrame) -> pl.DataFrame:
    """Account x day, one column per metric; a metric never received is an empty column."""
    if daily.is_empty():
        return pl.DataFrame(
            schema={"account": TEXT, "date": DAY, **{c: COUNT for c in DAILY_COLUMNS}}
        )
    wide = daily.pivot("metric", index=["account", "date"], values="value")
    missing = [pl.lit(None, COUNT).alias(c) for c in DAILY_COLUMNS if c not in wide.columns]
    return (
        wide.with_columns(missing).select("account", "date", *DAILY_COLUMNS).sort("account", "date")
    )


def media_daily_table(media: pl.DataFrame) -> pl.DataFrame:
    """Each media's lifetime metrics as seen on each day it was pulled."""
    return media.select(
        "account", "media_id", pl.col("snapshot_date").alias("date"), *MEDIA_METRICS
    ).sort("media_id", "date")


def media_table(media: pl.DataFrame) -> pl.DataFrame:
    """One row per media: what it is, and its newest metrics (`metrics_date` says when)."""
    newest = media.sort("media_id", "snapshot_date", EXTRACTED_AT).unique(
        "media_id", keep="last", maintain_order=True
    )
    return newest.select(
        "account",
        *MEDIA_FIELDS,
        pl.col("snapshot_date").alias("metrics_date"),
        *MEDIA_METRICS,
    ).sort("posted_at", "media_id", nulls_last=True)

"""Linktree history: every capture folded into the staging tables, and the curated views of them.

Captures cover a moving window (7 or 365 days, today included), so history lives in staging. A
daily row (the overview, socials per day, a link's title) is upserted by its key, the newest
extraction winning: a later capture replaces yesterday's partial day and revised days, and days
outside its window stay. Window totals (links, referrers, locations) are snapshots: the newest
capture of a day owns that day's snapshot whole, so two captures never mix into one.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import polars as pl

from common.series import EXTRACTED_AT, upsert_newest
from linktree.payloads import CaptureTables
from linktree.settings import (
    CURATED_COLUMNS,
    CURATED_NAMES,
    DAILY,
    DAILY_KEYS,
    LINK_TITLES,
    LINKS,
    LOCATIONS,
    REFERRERS,
    SNAPSHOT,
    SNAPSHOT_KEYS,
    SOCIALS,
    STAGING_TABLES,
)
from linktree.tables import Tables

ORDER = "_order"
_PROVENANCE: dict[str, pl.DataType] = {EXTRACTED_AT: pl.Datetime("us"), "source_file": pl.String()}
_SNAPSHOT: dict[str, pl.DataType] = {"captured_on": pl.Date(), "query_variables": pl.String()}
_CTR: dict[str, pl.DataType] = {"ctr": pl.Float64(), "ctr_is_computed": pl.Boolean()}
_VIEWS_CLICKS: dict[str, pl.DataType] = {"views": pl.Int64(), "clicks": pl.Int64()}

STAGING_SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    DAILY: {
        "date": pl.Date(),
        "total_views": pl.Int64(),
        "unique_views": pl.Int64(),
        "total_clicks": pl.Int64(),
        "unique_clicks": pl.Int64(),
        **_CTR,
        "is_partial_day": pl.Boolean(),
        **_PROVENANCE,
    },
    LINKS: {**_SNAPSHOT, "link_id": pl.Int64(), "clicks": pl.Int64(), **_PROVENANCE},
    LINK_TITLES: {
        "link_id": pl.Int64(),
        "title": pl.String(),
        "active": pl.Boolean(),
        **_PROVENANCE,
    },
    SOCIALS: {
        "date": pl.Date(),
        "social": pl.String(),
        **_VIEWS_CLICKS,
        "is_partial_day": pl.Boolean(),
        **_PROVENANCE,
    },
    REFERRERS: {**_SNAPSHOT, "referrer": pl.String(), **_VIEWS_CLICKS, **_CTR, **_PROVENANCE},
    LOCATIONS: {
        **_SNAPSHOT,
        "level": pl.String(),
        "country_code": pl.String(),
        "name": pl.String(),
        "latitude": pl.Float64(),
        "longitude": pl.Float64(),
        **_VIEWS_CLICKS,
        **_CTR,
        **_PROVENANCE,
    },
}


def staging_file_name(table: str) -> str:
    return f"{table}.csv"


def table_of(path: Path) -> str | None:
    """The staging table a staging file holds, None for any other file."""
    return path.stem if path.suffix == ".csv" and path.stem in STAGING_TABLES else None


def conform(frame: pl.DataFrame, table: str) -> pl.DataFrame:
    """`frame` with exactly the table's columns, in order; columns it lacks are null."""
    schema = STAGING_SCHEMAS[table]
    return frame.select(
        (pl.col(c) if c in frame.columns else pl.lit(None)).cast(dtype).alias(c)
        for c, dtype in schema.items()
    )


def empty(table: str) -> pl.DataFrame:
    return pl.DataFrame(schema=STAGING_SCHEMAS[table])


def _newest_snapshots(rows: pl.DataFrame, keys: Sequence[str]) -> pl.DataFrame:
    """Per (capture day, query) the rows of the newest payload only."""
    newest = rows.filter(pl.col(ORDER) == pl.col(ORDER).max().over(SNAPSHOT))
    return newest.unique([*SNAPSHOT, *keys], keep="last", maintain_order=True).sort(
        [*SNAPSHOT, *keys], nulls_last=True
    )


def fold(captures: Sequence[CaptureTables]) -> Tables:
    """Every capture, oldest extraction first (payloads in capture order), into each table."""
    pieces: dict[str, list[pl.DataFrame]] = {table: [] for table in STAGING_TABLES}
    order = 0
    for capture in sorted(captures, key=lambda c: (c.extracted_at, c.name)):
        for tables in capture.payloads:
            for table, frame in tables.items():
                pieces[table].append(conform(frame, table).with_columns(pl.lit(order).alias(ORDER)))
            order += 1
    folded: Tables = {}
    for table in STAGING_TABLES:
        none = empty(table).with_columns(pl.lit(0).alias(ORDER))
        rows = pl.concat(pieces[table]) if pieces[table] else none
        if table in DAILY_KEYS:
            rows = upsert_newest(None, rows, DAILY_KEYS[table])
        else:
            rows = _newest_snapshots(rows, SNAPSHOT_KEYS[table])
        folded[table] = rows.drop(ORDER)
    return folded


def read_staging(path: Path) -> tuple[str, pl.DataFrame]:
    table = table_of(path)
    assert table is not None, path
    return table, pl.read_csv(path, schema=STAGING_SCHEMAS[table])


def _titled_links(links: pl.DataFrame, titles: pl.DataFrame) -> pl.DataFrame:
    """Each link with its newest known title; a link never titled keeps its id as its title."""
    known = titles.select("link_id", "title", "active")
    return links.join(known, on="link_id", how="left").with_columns(
        pl.coalesce(pl.col("title"), pl.col("link_id").cast(pl.String)).alias("title")
    )


def curated_tables(staged: Tables) -> Tables:
    """The five curated tables, keyed like CURATED_NAMES; a missing staging table is empty."""
    tables = {table: staged.get(table, empty(table)) for table in STAGING_TABLES}
    curated: Tables = {}
    for table in CURATED_NAMES:
        rows = tables[table]
        if table == LINKS:
            rows = _titled_links(rows, tables[LINK_TITLES])
        curated[table] = rows.select(CURATED_COLUMNS[table])
    return curated

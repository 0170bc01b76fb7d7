"""Curated files that several services share (e.g. tidy_daily_streams.csv): each service replaces
only its own rows, under a lock, archiving the previous version."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from filelock import FileLock

from common.lake import Lake
from common.zones import CURATED, archive_then_replace

if TYPE_CHECKING:
    import polars as pl

    Frame = TypeVar("Frame", pl.DataFrame, pl.LazyFrame)

LOCK_WAIT_SECONDS = 600
CENTS = 2


def curated_path(lake: Lake, name: str) -> Path:
    return lake.zone(CURATED) / name


def shortest_decimals(frame: Frame, above_scale: int = 0) -> Frame:
    """Every decimal column of `frame` as its shortest exact text: "1.5", "0", "-0.05".

    polars writes a Decimal(38, 12) with all twelve places ("1.500000000000"), which nearly
    doubled a curated file of small amounts. The digits come from the decimal itself (never
    through a float), and only padding zeros after the point are dropped. Columns of at most
    `above_scale` places keep them (amounts to the cent read as "21.40").
    """
    import polars as pl

    padded = [
        name
        for name, dtype in frame.collect_schema().items()
        if isinstance(dtype, pl.Decimal) and (dtype.scale or 0) > above_scale
    ]
    if not padded:
        return frame
    text = pl.col(padded).cast(pl.String).str.strip_chars_end("0").str.strip_chars_end(".")
    return frame.with_columns(text)


def compact(rows: Frame, target: Path) -> Frame:
    """`rows` as the curated file `target` holds them: each row's `source_file` path as a short
    `source_id` (common.lineage, sidecar written now) and decimals without padding zeros
    (amounts kept to the cent keep their two places)."""
    from common.lineage import SOURCE_FILE, with_source_ids

    if SOURCE_FILE in rows.collect_schema().names():
        rows = with_source_ids(rows, target)
    return shortest_decimals(rows, above_scale=CENTS)


def publish_tables(
    lake: Lake,
    log: logging.Logger,
    tables: Mapping[str, pl.DataFrame],
    short_lineage: bool = False,
) -> list[Path]:
    """Write each of a service's own curated files (by name), archiving the version it replaces.

    With `short_lineage`, files are written `compact` (the service's warehouse loader maps the
    ids back with `common.lineage.with_source_files`).
    """
    written = []
    for name, rows in tables.items():
        target = curated_path(lake, name)
        if short_lineage:
            rows = compact(rows, target)
        archived = archive_then_replace(lake, target, rows.write_csv)
        if archived is not None:
            log.info("Archived the previous %s as %s.", name, archived.name)
        written.append(target)
    return written


def replace_source_rows(
    lake: Lake,
    name: str,
    source: str,
    rows: pl.DataFrame,
    sort_by: Sequence[str],
    schema: dict[str, pl.DataType] | None = None,
) -> Path | None:
    """Put `rows` (which carry `source`) in place of that source's rows in the shared curated file.

    Rows of other sources are kept as they are. Returns the archive copy of the replaced version.
    """
    import polars as pl

    target = curated_path(lake, name)
    target.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(target.with_name(f".{target.name}.lock")), timeout=LOCK_WAIT_SECONDS):
        frames = [rows]
        if target.exists():
            others = pl.read_csv(target, schema=schema or rows.schema, infer_schema=False)
            frames.insert(0, others.filter(pl.col("source") != source))
        merged = pl.concat(frames, how="vertical_relaxed").select(rows.columns).sort(list(sort_by))
        return archive_then_replace(lake, target, lambda temp: merged.write_csv(temp))

"""Staging and curated tables of each family: folded from raw, published with the old archived."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import polars as pl

from common.curated import compact, curated_path
from common.lake import Lake
from common.series import EXTRACTED_AT
from common.zones import STAGING, archive_then_replace, atomic_write_with, service_zone
from spotify import audience
from spotify.family import Family
from spotify.settings import SERVICE, STAGING_NAMES

Inputs = list[tuple[Path, pl.DataFrame]]
# Extraction times are whole seconds: no fractional digits in the files.
DATETIME_FORMAT = "%Y-%m-%dT%H:%M:%S"


def staging_path(lake: Lake, family: Family) -> Path:
    return service_zone(lake, STAGING, SERVICE) / STAGING_NAMES[family.kind]


def is_raw_of(family: Family) -> Callable[[Path], bool]:
    return lambda path: path.parent.name == family.kind and path.suffix == ".csv"


def is_staging_of(family: Family) -> Callable[[Path], bool]:
    return lambda path: path.name == STAGING_NAMES[family.kind]


def _extraction_order(item: tuple[Path, pl.DataFrame]) -> tuple[datetime, str]:
    newest = item[1].get_column(EXTRACTED_AT).max()
    return (newest if isinstance(newest, datetime) else datetime.min), item[0].name


def write_staging(lake: Lake, family: Family, inputs: Inputs) -> list[Path]:
    """Every raw extraction folded, oldest first, so the newest wins each natural key."""
    if not inputs:
        return []
    history = family.fold([frame for _, frame in sorted(inputs, key=_extraction_order)])
    return [atomic_write_with(staging_path(lake, family), csv_writer(history))]


def csv_writer(frame: pl.DataFrame) -> Callable[[Path], None]:
    return lambda temp: frame.write_csv(temp, datetime_format=DATETIME_FORMAT)


def staging_reader(family: Family) -> Callable[[Path], pl.DataFrame]:
    return lambda path: pl.read_csv(path, schema=dict(family.staging_types))


def publish(lake: Lake, family: Family, staged: Inputs, log: logging.Logger) -> list[Path]:
    """Write the family's curated file, archiving the version it replaces."""
    if not staged:
        return []
    history = staged[0][1]
    target = curated_path(lake, family.curated_name(history))
    # Each row names its extraction by a short id (common.lineage), not its path.
    rows = compact(family.curate(history), target)
    archived = archive_then_replace(lake, target, csv_writer(rows))
    if archived is not None:
        log.info("Archived the previous %s as %s.", target.name, archived.name)
    if family is audience.FAMILY:
        for retired in audience.retire_older_versions(lake, target):
            log.info("Moved the previous audience file to %s.", retired.name)
    return [target]

"""The Linktree cleaner steps, called by the cleaner scripts and, in-process, by tests.

See linktree.history for the folding rules: daily rows upserted (newest extraction wins, history
kept), window totals kept as one snapshot per capture day.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from common.cleaning import Rebuild, process_each_new_file, rebuild_when_changed
from common.curated import publish_tables
from common.script import ScriptContext
from common.series import extracted_at
from common.zones import (
    CURATED,
    LANDING,
    RAW,
    STAGING,
    atomic_write_with,
    service_zone,
    zone_name_for,
)
from linktree.captures import read_capture
from linktree.history import curated_tables, fold, read_staging, staging_file_name, table_of
from linktree.payloads import CaptureTables, capture_tables, ctrs_above_one, read_raw, write_raw
from linktree.settings import CURATED_NAMES, RAW_SUFFIX, SERVICE
from linktree.tables import Extraction

# How many unusual values one warning line names; the count covers them all.
MAX_NAMED = 5


def landing_to_raw(ctx: ScriptContext) -> int:
    """Each new GraphQL capture's analytics payloads, validated, as NDJSON."""
    report = process_each_new_file(
        ctx, LANDING, RAW, lambda path: capture_to_raw(ctx, path), "landing2raw"
    )
    return report.exit_code


def capture_to_raw(ctx: ScriptContext, landing_file: Path) -> list[Path]:
    capture = read_capture(landing_file)
    source = ctx.lake.relative(landing_file)
    extraction = Extraction(extracted_at(landing_file), source, landing_file.name)
    # Typed once here, so a bad value quarantines the capture in landing before raw is written.
    unusual = ctrs_above_one(capture_tables(capture, extraction))
    if unusual:
        ctx.log.warning(
            "%s: %d CTR value(s) above 1 kept as reported (more clicks than views): %s.",
            source,
            len(unusual),
            "; ".join(unusual[:MAX_NAMED]) + ("; …" if len(unusual) > MAX_NAMED else ""),
        )
    for ignored in capture.ignored:
        ctx.log.info("%s: ignored %s: %s.", source, ignored.describe(), ignored.reason)
    for payload in capture.payloads:
        if payload.errors:
            ctx.log.warning(
                "%s: %s came with GraphQL errors (%s); its sections that answered are kept.",
                source,
                payload.describe(),
                "; ".join(payload.errors),
            )
    target = service_zone(ctx.lake, RAW, SERVICE) / zone_name_for(SERVICE, landing_file, "ndjson")
    return [write_raw(target, capture, extraction)]


def is_raw_capture(path: Path) -> bool:
    return path.suffix == RAW_SUFFIX


def write_staging(ctx: ScriptContext, inputs: list[tuple[Path, CaptureTables]]) -> list[Path]:
    folder = service_zone(ctx.lake, STAGING, SERVICE)
    written = []
    for table, rows in fold([capture for _, capture in inputs]).items():
        target = folder / staging_file_name(table)
        written.append(atomic_write_with(target, rows.write_csv))
    return written


def raw_to_staging(ctx: ScriptContext) -> int:
    """Every capture folded, oldest extraction first, into six staging tables."""
    rebuild = Rebuild(read_raw, lambda inputs: write_staging(ctx, inputs))
    report = rebuild_when_changed(ctx, RAW, STAGING, rebuild, "raw2staging", select=is_raw_capture)
    return report.exit_code


def is_staging_table(path: Path) -> bool:
    return table_of(path) is not None


def publish(ctx: ScriptContext, inputs: list[tuple[Path, tuple[str, pl.DataFrame]]]) -> list[Path]:
    staged = dict(table for _, table in inputs)
    tables = curated_tables(staged)
    return publish_tables(
        ctx.lake,
        ctx.log,
        {CURATED_NAMES[table]: rows for table, rows in tables.items()},
        short_lineage=True,
    )


def staging_to_curated(ctx: ScriptContext) -> int:
    """The five linktree_*_curated.csv files, previous versions archived."""
    rebuild = Rebuild(read_staging, lambda inputs: publish(ctx, inputs))
    report = rebuild_when_changed(
        ctx, STAGING, CURATED, rebuild, "staging2curated", select=is_staging_table
    )
    return report.exit_code

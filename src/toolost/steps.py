"""TooLost's three cleaning steps, called by its cleaner scripts and, in-process, by tests.

The portal only returns the year to date, so history lives in staging: a newer extraction
replaces the days it covers and every other day, last year's included, is kept. TooLost's rows
of the shared `tidy_daily_streams.csv` are rebuilt from it; other sources' rows are left alone.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from common import daily_streams
from common.cleaning import Rebuild, process_each_new_file, rebuild_when_changed
from common.curated import curated_path
from common.script import ScriptContext
from common.series import extracted_at
from common.zones import (
    CURATED,
    LANDING,
    RAW,
    STAGING,
    service_zone,
    timestamp_from_name,
    zone_name_for,
)
from toolost.analytics import read_daily_series
from toolost.settings import SERVICE as NAME

if TYPE_CHECKING:
    import polars as pl

    Extraction = tuple[Path, pl.DataFrame]

RAW_SUFFIX = ".ndjson"


def land_file(ctx: ScriptContext, landing_file: Path) -> list[Path]:
    """One portal analytics JSON as one NDJSON of typed daily points."""
    series = read_daily_series(landing_file)
    source_file = ctx.lake.relative(landing_file)
    frame = daily_streams.points_frame(
        series.points, series.platform, extracted_at(landing_file), source_file, landing_file.name
    )
    target = service_zone(ctx.lake, RAW, NAME) / zone_name_for(NAME, landing_file, "ndjson")
    return [daily_streams.write_raw(target, [frame])]


def landing_to_raw(ctx: ScriptContext) -> int:
    """Every new landing file into raw, each bad one quarantined with its reason."""
    report = process_each_new_file(
        ctx, LANDING, RAW, lambda path: land_file(ctx, path), "landing2raw"
    )
    return report.exit_code


def is_daily_points(path: Path) -> bool:
    return path.suffix == RAW_SUFFIX


def extraction_time(extraction: Extraction) -> tuple[datetime, str]:
    """Raw names carry the extraction's timestamp (landing name or mtime): sort on it."""
    path = extraction[0]
    return timestamp_from_name(path.name) or datetime.min, path.name


def write_staging(ctx: ScriptContext, extractions: list[Extraction]) -> list[Path]:
    oldest_first = [frame for _, frame in sorted(extractions, key=extraction_time)]
    return [daily_streams.rebuild_staging(ctx.lake, NAME, oldest_first)]


def raw_to_staging(ctx: ScriptContext) -> int:
    """Every extraction folded, oldest first, into the daily-streams history."""
    rebuild = Rebuild(daily_streams.read_raw, lambda extractions: write_staging(ctx, extractions))
    report = rebuild_when_changed(ctx, RAW, STAGING, rebuild, "raw2staging", select=is_daily_points)
    return report.exit_code


def is_daily_streams(path: Path) -> bool:
    return path.name == daily_streams.STAGING_NAME


def write_curated(ctx: ScriptContext, staged: list[Extraction]) -> list[Path]:
    outputs = []
    for _, history in staged:
        # A day one payload skips is a gap, never 0 streams: see docs/distributors.md.
        archived = daily_streams.publish(ctx.lake, NAME, history, gaps_stay_empty=True)
        if archived is not None:
            ctx.log.info(
                "Archived the previous %s as %s.", daily_streams.TIDY_DAILY_STREAMS, archived.name
            )
        outputs.append(curated_path(ctx.lake, daily_streams.TIDY_DAILY_STREAMS))
    return outputs


def staging_to_curated(ctx: ScriptContext) -> int:
    """TooLost's rows of tidy_daily_streams.csv, its whole history."""
    rebuild = Rebuild(daily_streams.read_staging, lambda staged: write_curated(ctx, staged))
    report = rebuild_when_changed(
        ctx, STAGING, CURATED, rebuild, "staging2curated", select=is_daily_streams
    )
    return report.exit_code

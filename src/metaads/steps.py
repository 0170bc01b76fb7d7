"""The Meta Ads cleaner steps, called by the cleaner scripts and, in-process, by tests.

Attribution settles late, so a newer pull of a trailing window revises the days it covers; every
other day is kept. Rows without a currency get config/metaads.json's default_currency.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import polars as pl

from common.artists import ARTISTS_CONFIG, ArtistDirectory
from common.cleaning import Rebuild, process_each_new_file, rebuild_when_changed
from common.curated import publish_tables
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
from metaads import curated, raw, staging
from metaads.landing import read_landed
from metaads.settings import (
    CURATED_ACTIONS,
    CURATED_DAILY,
    CURATED_PERIODS,
    CURATED_SUMMARY,
    RAW_SUFFIX,
    SERVICE,
    STAGING_ACTIONS,
    STAGING_PERFORMANCE,
    load_settings,
)


def landing_to_raw(ctx: ScriptContext) -> int:
    """Each new API response or Ads Manager export checked, kept as NDJSON rows."""
    report = process_each_new_file(
        ctx, LANDING, RAW, lambda path: landed_to_raw(ctx, path), "landing2raw"
    )
    return report.exit_code


def landed_to_raw(ctx: ScriptContext, landing_file: Path) -> list[Path]:
    landed = read_landed(landing_file)
    source_file = ctx.lake.relative(landing_file)
    target = service_zone(ctx.lake, RAW, SERVICE) / zone_name_for(SERVICE, landing_file, "ndjson")
    return [raw.write_raw(target, landed.rows, extracted_at(landing_file), source_file)]


def is_raw_extraction(path: Path) -> bool:
    return path.suffix == RAW_SUFFIX


def extraction_time(item: tuple[Path, raw.Extraction]) -> tuple[datetime, str]:
    """Raw names carry the extraction's timestamp (landing name or mtime): sort on it."""
    return timestamp_from_name(item[0].name) or datetime.min, item[0].name


def write_staging(ctx: ScriptContext, inputs: list[tuple[Path, raw.Extraction]]) -> list[Path]:
    settings = load_settings(ctx.lake)
    oldest_first = [extraction for _, extraction in sorted(inputs, key=extraction_time)]
    staged = staging.fold(oldest_first, settings.default_currency)
    folder = service_zone(ctx.lake, STAGING, SERVICE)
    return staging.write_staging(folder, staged, (STAGING_PERFORMANCE, STAGING_ACTIONS))


def raw_to_staging(ctx: ScriptContext) -> int:
    """Every extraction folded, oldest first; the newest wins per row."""
    rebuild = Rebuild(raw.read_raw, lambda inputs: write_staging(ctx, inputs))
    report = rebuild_when_changed(
        ctx, RAW, STAGING, rebuild, "raw2staging", select=is_raw_extraction
    )
    return report.exit_code


def is_staged(path: Path) -> bool:
    return path.name in (STAGING_PERFORMANCE, STAGING_ACTIONS)


def read_staged(path: Path) -> pl.DataFrame:
    if path.name == STAGING_ACTIONS:
        return staging.read_actions(path)
    return staging.read_performance(path)


def artist_directory(ctx: ScriptContext) -> ArtistDirectory | None:
    """The label's artists; without config/artists.json names are kept as they are spelled."""
    if not (ctx.lake.config / ARTISTS_CONFIG).is_file():
        ctx.log.warning(
            "config/%s is missing: campaign artists are kept as spelled.", ARTISTS_CONFIG
        )
        return None
    return ArtistDirectory.load(ctx.lake)


def warn_uncounted_ranges(ctx: ScriptContext, performance: pl.DataFrame) -> None:
    """A range partly reported by day is left out of spend totals (no day counts twice), so its
    other days count nowhere: say so, and how to get them counted."""
    for campaign, (first, last), days in curated.uncounted_ranges(performance):
        ctx.log.warning(
            "Meta Ads campaign %s: the report from %s to %s is left out of spend totals because "
            "some of its days are reported by day or by a narrower report, so %d of its days "
            "count nowhere; export that period broken down by day to count them.",
            campaign, first, last, days,
        )  # fmt: skip


def publish(ctx: ScriptContext, inputs: list[tuple[Path, pl.DataFrame]]) -> list[Path]:
    staged = {path.name: frame for path, frame in inputs}
    performance = staged.get(STAGING_PERFORMANCE)
    actions = staged.get(STAGING_ACTIONS)
    if performance is None or actions is None:
        ctx.log.warning("3_staging/%s lacks its performance or actions file.", SERVICE)
        return []
    artists = artist_directory(ctx)
    tables = {
        CURATED_DAILY: curated.daily_performance(performance, artists),
        CURATED_PERIODS: curated.period_performance(performance, artists),
        CURATED_ACTIONS: curated.actions_table(actions),
        CURATED_SUMMARY: curated.campaign_summary(performance, artists),
    }
    warn_uncounted_ranges(ctx, performance)
    return publish_tables(ctx.lake, ctx.log, tables, short_lineage=True)


def staging_to_curated(ctx: ScriptContext) -> int:
    """Daily and per-period performance, actions and campaign summaries, archived first."""
    rebuild = Rebuild(read_staged, lambda inputs: publish(ctx, inputs))
    report = rebuild_when_changed(
        ctx, STAGING, CURATED, rebuild, "staging2curated", select=is_staged
    )
    return report.exit_code

"""The TikTok cleaner steps, called by the cleaner scripts and, in-process, by tests.

A newer export replaces the days (hours, videos) it covers, revised recent days included; every
other day is kept, so history accumulates past Studio's 365-day window.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polars as pl

from common.artists import ArtistDirectory
from common.cleaning import Rebuild, StepReport, process_each_new_file, rebuild_when_changed
from common.curated import publish_tables
from common.script import ScriptContext
from common.zones import (
    CURATED,
    LANDING,
    RAW,
    STAGING,
    atomic_write_with,
    service_zone,
)
from tiktok.curation import curated_tables
from tiktok.history import fold, read_raw, read_staging, staging_name
from tiktok.landing import read_landing_file, write_raw
from tiktok.settings import DATASETS, SERVICE, Dataset

BY_STAGING_NAME = {staging_name(dataset): dataset for dataset in DATASETS}


def landing_to_raw(ctx: ScriptContext) -> int:
    """Each new Studio zip or loose CSV as one dated NDJSON per CSV it holds."""
    artists = ArtistDirectory.load(ctx.lake)
    report = process_each_new_file(
        ctx, LANDING, RAW, lambda path: extractions_to_raw(ctx, artists, path), "landing2raw"
    )
    return report.exit_code


def extractions_to_raw(ctx: ScriptContext, artists: ArtistDirectory, landed: Path) -> list[Path]:
    extractions = read_landing_file(landed, ctx.lake.root, artists)
    return write_raw(service_zone(ctx.lake, RAW, SERVICE), extractions)


def of_dataset(dataset: Dataset) -> Callable[[Path], bool]:
    """Raw files live in one folder per dataset: 2_raw/tiktok/<dataset>/."""
    return lambda path: path.parent.name == dataset.name and path.suffix == ".ndjson"


def write_history(
    ctx: ScriptContext, dataset: Dataset, extractions: list[tuple[Path, pl.DataFrame]]
) -> list[Path]:
    history = fold(dataset, [frame for _, frame in extractions])
    target = service_zone(ctx.lake, STAGING, SERVICE) / staging_name(dataset)
    return [atomic_write_with(target, lambda temp: history.write_csv(temp))]


def stage_dataset(ctx: ScriptContext, dataset: Dataset) -> StepReport:
    rebuild = Rebuild(
        lambda path: read_raw(path, dataset),
        lambda extractions: write_history(ctx, dataset, extractions),
    )
    return rebuild_when_changed(
        ctx, RAW, STAGING, rebuild, f"raw2staging {dataset.name}", select=of_dataset(dataset)
    )


def raw_to_staging(ctx: ScriptContext) -> int:
    """Per dataset, every extraction folded into its history, newest winning."""
    reports = {dataset.name: stage_dataset(ctx, dataset) for dataset in DATASETS}
    rebuilt = [name for name, report in reports.items() if report.new]
    failed = [name for name, report in reports.items() if report.failed]
    ctx.log.info(
        "raw2staging: %s rebuilt%s.",
        ", ".join(rebuilt) or "no dataset",
        f"; {', '.join(failed)} failed" if failed else "",
    )
    return max(report.exit_code for report in reports.values())


def is_history(path: Path) -> bool:
    return path.parent.name == SERVICE and path.name in BY_STAGING_NAME


def read_history(path: Path) -> pl.DataFrame:
    return read_staging(path, BY_STAGING_NAME[path.name])


def publish(ctx: ScriptContext, staged: list[tuple[Path, pl.DataFrame]]) -> list[Path]:
    histories = {BY_STAGING_NAME[path.name]: frame for path, frame in staged}
    return publish_tables(ctx.lake, ctx.log, curated_tables(histories), short_lineage=True)


def staging_to_curated(ctx: ScriptContext) -> int:
    """The daily table with followers, and the activity, viewers, content and audience-snapshot
    tables, each previous version archived before it is replaced."""
    rebuild = Rebuild(read_history, lambda staged: publish(ctx, staged))
    report = rebuild_when_changed(
        ctx, STAGING, CURATED, rebuild, "staging2curated", select=is_history
    )
    return report.exit_code

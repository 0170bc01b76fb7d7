"""TikTok raw → staging: per dataset, every extraction folded into its history, newest winning.

A newer export replaces the days (hours, videos) it covers, revised recent days included; every
other day is kept, so history accumulates past Studio's 365-day window.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polars as pl

from common.cleaning import Rebuild, StepReport, rebuild_when_changed
from common.script import ScriptContext, run_script
from common.zones import RAW, STAGING, atomic_write_with, service_zone
from tiktok.history import fold, read_raw, staging_name
from tiktok.settings import DATASETS, SERVICE, Dataset


def of_dataset(dataset: Dataset) -> Callable[[Path], bool]:
    """Raw files live in one folder per dataset: 2_raw/tiktok/<dataset>/."""
    return lambda path: path.parent.name == dataset.name and path.suffix == ".ndjson"


def write_history(
    ctx: ScriptContext, dataset: Dataset, extractions: list[tuple[Path, pl.DataFrame]]
) -> list[Path]:
    history = fold(dataset, [frame for _, frame in extractions])
    target = service_zone(ctx.lake, STAGING, SERVICE) / staging_name(dataset)
    return [atomic_write_with(target, lambda temp: history.write_csv(temp))]


def stage(ctx: ScriptContext, dataset: Dataset) -> StepReport:
    rebuild = Rebuild(
        lambda path: read_raw(path, dataset),
        lambda extractions: write_history(ctx, dataset, extractions),
    )
    return rebuild_when_changed(
        ctx, RAW, STAGING, rebuild, f"raw2staging {dataset.name}", select=of_dataset(dataset)
    )


def main(ctx: ScriptContext) -> int:
    reports = {dataset.name: stage(ctx, dataset) for dataset in DATASETS}
    rebuilt = [name for name, report in reports.items() if report.new]
    failed = [name for name, report in reports.items() if report.failed]
    ctx.log.info(
        "raw2staging: %s rebuilt%s.",
        ", ".join(rebuilt) or "no dataset",
        f"; {', '.join(failed)} failed" if failed else "",
    )
    return max(report.exit_code for report in reports.values())


if __name__ == "__main__":
    raise SystemExit(run_script(SERVICE, main))

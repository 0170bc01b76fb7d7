"""TikTok staging → curated: the daily table with followers, and the activity, viewers, content
and audience-snapshot tables, each previous version archived before it is replaced."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from common.cleaning import Rebuild, rebuild_when_changed
from common.curated import curated_path
from common.script import ScriptContext, run_script
from common.zones import CURATED, STAGING, archive_then_replace
from tiktok.curation import curated_tables
from tiktok.history import read_staging, staging_name
from tiktok.settings import DATASETS, SERVICE

BY_STAGING_NAME = {staging_name(dataset): dataset for dataset in DATASETS}


def is_history(path: Path) -> bool:
    return path.parent.name == SERVICE and path.name in BY_STAGING_NAME


def read_history(path: Path) -> pl.DataFrame:
    return read_staging(path, BY_STAGING_NAME[path.name])


def publish(ctx: ScriptContext, staged: list[tuple[Path, pl.DataFrame]]) -> list[Path]:
    histories = {BY_STAGING_NAME[path.name]: frame for path, frame in staged}
    written = []
    for name, rows in curated_tables(histories).items():
        target = curated_path(ctx.lake, name)
        archived = archive_then_replace(ctx.lake, target, lambda temp: rows.write_csv(temp))
        if archived is not None:
            ctx.log.info("Archived the previous %s as %s.", name, archived.name)
        written.append(target)
    return written


def main(ctx: ScriptContext) -> int:
    rebuild = Rebuild(read_history, lambda staged: publish(ctx, staged))
    report = rebuild_when_changed(
        ctx, STAGING, CURATED, rebuild, "staging2curated", select=is_history
    )
    return report.exit_code


if __name__ == "__main__":
    raise SystemExit(run_script(SERVICE, main))

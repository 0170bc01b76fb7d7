"""Linktree staging → curated: the five linktree_*_curated.csv files, previous versions archived."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from common.cleaning import Rebuild, rebuild_when_changed
from common.curated import curated_path
from common.script import ScriptContext, run_script
from common.zones import CURATED, STAGING, archive_then_replace
from linktree.history import curated_tables, read_staging, table_of
from linktree.settings import CURATED_NAMES, SERVICE

if TYPE_CHECKING:
    import polars as pl


def is_staging_table(path: Path) -> bool:
    return table_of(path) is not None


def publish(ctx: ScriptContext, inputs: list[tuple[Path, tuple[str, pl.DataFrame]]]) -> list[Path]:
    staged = dict(table for _, table in inputs)
    published = []
    for table, rows in curated_tables(staged).items():
        target = curated_path(ctx.lake, CURATED_NAMES[table])
        archived = archive_then_replace(ctx.lake, target, rows.write_csv)
        if archived is not None:
            ctx.log.info("Archived the previous %s as %s.", target.name, archived.name)
        published.append(target)
    return published


def main(ctx: ScriptContext) -> int:
    rebuild = Rebuild(read_staging, lambda inputs: publish(ctx, inputs))
    report = rebuild_when_changed(
        ctx, STAGING, CURATED, rebuild, "staging2curated", select=is_staging_table
    )
    return report.exit_code


if __name__ == "__main__":
    raise SystemExit(run_script(SERVICE, main))

"""TooLost staging → curated: TooLost's rows of tidy_daily_streams.csv, its whole history.

Rows of other sources (DistroKid) in that shared file are left as they are. A day that one
platform's payload does not list keeps that platform's count and the combined count empty.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from common.cleaning import Rebuild, rebuild_when_changed
from common.curated import curated_path
from common.daily_streams import STAGING_NAME, TIDY_DAILY_STREAMS, publish, read_staging
from common.script import ScriptContext, run_script
from common.zones import CURATED, STAGING

if TYPE_CHECKING:
    import polars as pl

SERVICE = "toolost"


def is_daily_streams(path: Path) -> bool:
    return path.name == STAGING_NAME


def write_curated(ctx: ScriptContext, staged: list[tuple[Path, pl.DataFrame]]) -> list[Path]:
    outputs = []
    for _, history in staged:
        # A day one payload skips is a gap, never 0 streams: see docs/distributors.md.
        archived = publish(ctx.lake, SERVICE, history, gaps_stay_empty=True)
        if archived is not None:
            ctx.log.info("Archived the previous %s as %s.", TIDY_DAILY_STREAMS, archived.name)
        outputs.append(curated_path(ctx.lake, TIDY_DAILY_STREAMS))
    return outputs


def main(ctx: ScriptContext) -> int:
    rebuild = Rebuild(read_staging, lambda staged: write_curated(ctx, staged))
    report = rebuild_when_changed(
        ctx, STAGING, CURATED, rebuild, "staging2curated", select=is_daily_streams
    )
    return report.exit_code


if __name__ == "__main__":
    raise SystemExit(run_script(SERVICE, main))

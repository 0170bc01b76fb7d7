"""TooLost raw → staging: every extraction folded, oldest first, into the daily-streams history.

The portal only returns the year to date, so history lives here: a newer extraction replaces the
days it covers and every other day, last year's included, is kept.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from common.cleaning import Rebuild, rebuild_when_changed
from common.daily_streams import read_raw, rebuild_staging
from common.script import ScriptContext, run_script
from common.zones import RAW, STAGING, timestamp_from_name

if TYPE_CHECKING:
    import polars as pl

    Extraction = tuple[Path, pl.DataFrame]

SERVICE = "toolost"
RAW_SUFFIX = ".ndjson"


def is_daily_points(path: Path) -> bool:
    return path.suffix == RAW_SUFFIX


def extraction_time(extraction: Extraction) -> tuple[datetime, str]:
    """Raw names carry the extraction's timestamp (landing name or mtime): sort on it."""
    path = extraction[0]
    return timestamp_from_name(path.name) or datetime.min, path.name


def write_staging(ctx: ScriptContext, extractions: list[Extraction]) -> list[Path]:
    oldest_first = [frame for _, frame in sorted(extractions, key=extraction_time)]
    return [rebuild_staging(ctx.lake, SERVICE, oldest_first)]


def main(ctx: ScriptContext) -> int:
    rebuild = Rebuild(read_raw, lambda extractions: write_staging(ctx, extractions))
    report = rebuild_when_changed(ctx, RAW, STAGING, rebuild, "raw2staging", select=is_daily_points)
    return report.exit_code


if __name__ == "__main__":
    raise SystemExit(run_script(SERVICE, main))

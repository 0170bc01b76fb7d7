"""Meta Ads raw → staging: every extraction folded, oldest first; the newest wins per row.

Attribution settles late, so a newer pull of a trailing window revises the days it covers;
every other day is kept. Rows without a currency get config/metaads.json's default_currency.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from common.cleaning import Rebuild, rebuild_when_changed
from common.script import ScriptContext, run_script
from common.zones import RAW, STAGING, service_zone, timestamp_from_name
from metaads import staging
from metaads.raw import Extraction, read_raw
from metaads.settings import (
    RAW_SUFFIX,
    SERVICE,
    STAGING_ACTIONS,
    STAGING_PERFORMANCE,
    load_settings,
)


def is_raw_extraction(path: Path) -> bool:
    return path.suffix == RAW_SUFFIX


def extraction_time(item: tuple[Path, Extraction]) -> tuple[datetime, str]:
    """Raw names carry the extraction's timestamp (landing name or mtime): sort on it."""
    return timestamp_from_name(item[0].name) or datetime.min, item[0].name


def write_staging(ctx: ScriptContext, inputs: list[tuple[Path, Extraction]]) -> list[Path]:
    settings = load_settings(ctx.lake)
    oldest_first = [extraction for _, extraction in sorted(inputs, key=extraction_time)]
    staged = staging.fold(oldest_first, settings.default_currency)
    folder = service_zone(ctx.lake, STAGING, SERVICE)
    return staging.write_staging(folder, staged, (STAGING_PERFORMANCE, STAGING_ACTIONS))


def main(ctx: ScriptContext) -> int:
    rebuild = Rebuild(read_raw, lambda inputs: write_staging(ctx, inputs))
    report = rebuild_when_changed(
        ctx, RAW, STAGING, rebuild, "raw2staging", select=is_raw_extraction
    )
    return report.exit_code


if __name__ == "__main__":
    raise SystemExit(run_script(SERVICE, main))

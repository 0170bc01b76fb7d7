"""The YouTube cleaner steps, called by the cleaner scripts and, in-process, by tests.

landing → raw: each API response or Studio/Reporting export read into records (NDJSON).
raw → staging: every extraction folded oldest first, the newest value per key and column wins.
staging → curated: the four curated tables (see youtube.curated).
"""

from __future__ import annotations

from datetime import datetime
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
    service_zone,
    timestamp_from_name,
    zone_name_for,
)
from youtube import curated, zones
from youtube.landing import read_landed
from youtube.records import CHANNEL_DAILY, CHANNEL_STATS, KEYS, VIDEO_DAILY, VIDEOS
from youtube.settings import (
    CURATED_CHANNEL_DAILY,
    CURATED_CHANNEL_STATS,
    CURATED_VIDEO_DAILY,
    CURATED_VIDEOS,
    RAW_SUFFIX,
    SERVICE,
    STAGING_CHANNEL_DAILY,
    STAGING_CHANNEL_STATS,
    STAGING_VIDEO_DAILY,
    STAGING_VIDEOS,
)

STAGING_FILES = {
    CHANNEL_DAILY: STAGING_CHANNEL_DAILY,
    VIDEO_DAILY: STAGING_VIDEO_DAILY,
    CHANNEL_STATS: STAGING_CHANNEL_STATS,
    VIDEOS: STAGING_VIDEOS,
}


def landed_to_raw(ctx: ScriptContext, landing_file: Path) -> list[Path]:
    records = read_landed(landing_file)
    target = service_zone(ctx.lake, RAW, SERVICE) / zone_name_for(SERVICE, landing_file, "ndjson")
    source = ctx.lake.relative(landing_file)
    return [zones.write_raw(target, records, extracted_at(landing_file), source)]


def landing_to_raw(ctx: ScriptContext) -> int:
    """Each new API response or export checked and kept as records."""
    report = process_each_new_file(
        ctx, LANDING, RAW, lambda path: landed_to_raw(ctx, path), "landing2raw"
    )
    return report.exit_code


def is_raw(path: Path) -> bool:
    return path.suffix == RAW_SUFFIX


def _extraction_order(item: tuple[Path, object]) -> tuple[datetime, str]:
    return timestamp_from_name(item[0].name) or datetime.min, item[0].name


def write_staging(
    ctx: ScriptContext, inputs: list[tuple[Path, dict[str, pl.DataFrame]]]
) -> list[Path]:
    oldest_first = [found for _, found in sorted(inputs, key=_extraction_order)]
    folder = service_zone(ctx.lake, STAGING, SERVICE)
    folder.mkdir(parents=True, exist_ok=True)
    return [
        zones.write_staging(
            folder / name,
            zones.fold(dataset, [f.get(dataset, zones.empty(dataset)) for f in oldest_first]),
        )
        for dataset, name in STAGING_FILES.items()
    ]


def raw_to_staging(ctx: ScriptContext) -> int:
    """Every extraction folded, oldest first; the newest value per key and column wins."""
    rebuild = Rebuild(zones.read_raw, lambda inputs: write_staging(ctx, inputs))
    report = rebuild_when_changed(ctx, RAW, STAGING, rebuild, "raw2staging", select=is_raw)
    return report.exit_code


def is_staged(path: Path) -> bool:
    return path.name in STAGING_FILES.values()


def publish(ctx: ScriptContext, inputs: list[tuple[Path, pl.DataFrame]]) -> list[Path]:
    staged = {path.name: frame for path, frame in inputs}
    tables = {
        dataset: staged.get(name, zones.empty(dataset)) for dataset, name in STAGING_FILES.items()
    }
    for dataset, frame in tables.items():
        if frame.is_empty():
            tables[dataset] = zones.empty(dataset)
    return publish_tables(
        ctx.lake,
        ctx.log,
        {
            CURATED_CHANNEL_DAILY: curated.channel_daily(
                tables[CHANNEL_DAILY], tables[CHANNEL_STATS]
            ),
            CURATED_VIDEO_DAILY: curated.video_daily(tables[VIDEO_DAILY], tables[VIDEOS]),
            CURATED_CHANNEL_STATS: curated.channel_stats(tables[CHANNEL_STATS]),
            CURATED_VIDEOS: tables[VIDEOS].sort(list(KEYS[VIDEOS])),
        },
        short_lineage=True,
    )


def staging_to_curated(ctx: ScriptContext) -> int:
    """Channel and video days, channel snapshots and videos, each archived before replaced."""
    rebuild = Rebuild(zones.read_staging, lambda inputs: publish(ctx, inputs))
    report = rebuild_when_changed(
        ctx, STAGING, CURATED, rebuild, "staging2curated", select=is_staged
    )
    return report.exit_code

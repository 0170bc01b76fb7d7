"""The Mailchimp cleaner steps, called by the cleaner scripts and, in-process, by tests.

Campaign figures keep moving for weeks after a send and the current month's growth until it
ends, so every extraction is kept in raw and staging folds them oldest first: the newest wins
per campaign, per audience and month, and per audience and snapshot day.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import polars as pl

from common.cleaning import Rebuild, process_each_new_file, rebuild_when_changed
from common.curated import publish_tables
from common.script import ScriptContext
from common.series import EXTRACTED_AT, extracted_at
from common.zones import (
    CURATED,
    LANDING,
    RAW,
    STAGING,
    service_zone,
    timestamp_from_name,
    zone_name_for,
)
from mailchimp import tables
from mailchimp.reports import read_landed
from mailchimp.settings import (
    CURATED_AUDIENCE,
    CURATED_CAMPAIGNS,
    CURATED_GROWTH,
    RAW_SUFFIX,
    SERVICE,
    STAGING_AUDIENCE,
    STAGING_CAMPAIGNS,
    STAGING_GROWTH,
)

STAGING_NAMES = {
    tables.CAMPAIGNS: STAGING_CAMPAIGNS,
    tables.GROWTH: STAGING_GROWTH,
    tables.AUDIENCE: STAGING_AUDIENCE,
}
CURATED_NAMES = {
    tables.CAMPAIGNS: CURATED_CAMPAIGNS,
    tables.GROWTH: CURATED_GROWTH,
    tables.AUDIENCE: CURATED_AUDIENCE,
}
CURATED_ORDER = {
    tables.CAMPAIGNS: ("send_time", "campaign_id"),
    tables.GROWTH: ("list_id", "month"),
    tables.AUDIENCE: ("list_id", "snapshot_date"),
}


def landing_to_raw(ctx: ScriptContext) -> int:
    """Each new API response checked, its records kept as JSON in 2_raw."""
    report = process_each_new_file(
        ctx, LANDING, RAW, lambda path: landed_to_raw(ctx, path), "landing2raw"
    )
    return report.exit_code


def landed_to_raw(ctx: ScriptContext, landing_file: Path) -> list[Path]:
    pulled = extracted_at(landing_file)
    landed = read_landed(landing_file, pulled.date())
    if landed.empty:
        ctx.log.info("%s holds no campaign, audience or month yet.", landing_file.name)
    target = service_zone(ctx.lake, RAW, SERVICE) / zone_name_for(SERVICE, landing_file, "json")
    return [tables.write_raw(target, landed, pulled, ctx.lake.relative(landing_file))]


def is_raw_extraction(path: Path) -> bool:
    return path.suffix == RAW_SUFFIX


def _oldest_first(item: tuple[Path, tables.Extraction]) -> tuple[datetime, str]:
    return timestamp_from_name(item[0].name) or item[1].extracted, item[0].name


def write_staging(ctx: ScriptContext, inputs: list[tuple[Path, tables.Extraction]]) -> list[Path]:
    extractions = [extraction for _, extraction in sorted(inputs, key=_oldest_first)]
    folder = service_zone(ctx.lake, STAGING, SERVICE)
    return tables.write_staging(folder, tables.fold(extractions), STAGING_NAMES)


def raw_to_staging(ctx: ScriptContext) -> int:
    """Every extraction folded, oldest first; the newest wins per key."""
    rebuild = Rebuild(tables.read_raw, lambda inputs: write_staging(ctx, inputs))
    report = rebuild_when_changed(
        ctx, RAW, STAGING, rebuild, "raw2staging", select=is_raw_extraction
    )
    return report.exit_code


def _dataset_of(path: Path) -> str:
    return next(dataset for dataset, name in STAGING_NAMES.items() if name == path.name)


def is_staged(path: Path) -> bool:
    return path.name in STAGING_NAMES.values()


def read_staged(path: Path) -> pl.DataFrame:
    return tables.read_staging(path, _dataset_of(path))


def publish(ctx: ScriptContext, inputs: list[tuple[Path, pl.DataFrame]]) -> list[Path]:
    staged = {_dataset_of(path): frame for path, frame in inputs}
    missing = [STAGING_NAMES[d] for d in tables.DATASETS if d not in staged]
    if missing:
        ctx.log.warning("3_staging/%s lacks %s.", SERVICE, ", ".join(missing))
        return []
    curated = {
        CURATED_NAMES[d]: staged[d].drop(EXTRACTED_AT).sort(CURATED_ORDER[d], nulls_last=True)
        for d in tables.DATASETS
    }
    return publish_tables(ctx.lake, ctx.log, curated, short_lineage=True)


def staging_to_curated(ctx: ScriptContext) -> int:
    """Campaigns, audience growth per month and audience size, the previous versions archived."""
    rebuild = Rebuild(read_staged, lambda inputs: publish(ctx, inputs))
    report = rebuild_when_changed(
        ctx, STAGING, CURATED, rebuild, "staging2curated", select=is_staged
    )
    return report.exit_code

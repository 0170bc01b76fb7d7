"""The Instagram cleaner steps, called by the cleaner scripts and, in-process, by tests.

Pulls overlap (each re-asks a trailing window Instagram still revises) and Business Suite
exports cover any range, so staging keeps every day seen and the newest extraction wins. Staging
also files the rows of exports, which name no account, under the account the pulls name.
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
from instagram import accounts, history
from instagram.accounts import AccountChoice
from instagram.landing import read_landed
from instagram.raw import Extraction, read_raw, write_raw
from instagram.settings import (
    CURATED_DAILY,
    CURATED_MEDIA,
    CURATED_MEDIA_DAILY,
    RAW_SUFFIX,
    SERVICE,
    STAGING_DAILY,
    STAGING_MEDIA,
    load_settings,
)


def landing_to_raw(ctx: ScriptContext) -> int:
    """Each new API pull or Business Suite export checked, kept as NDJSON records."""
    report = process_each_new_file(
        ctx, LANDING, RAW, lambda path: landed_to_raw(ctx, path), "landing2raw"
    )
    return report.exit_code


def landed_to_raw(ctx: ScriptContext, landing_file: Path) -> list[Path]:
    landed = read_landed(landing_file)
    source = ctx.lake.relative(landing_file)
    for note in dict.fromkeys(landed.notes):
        ctx.log.info("%s", note)
    target = service_zone(ctx.lake, RAW, SERVICE) / zone_name_for(SERVICE, landing_file, "ndjson")
    return [write_raw(target, landed, extracted_at(landing_file), source)]


def is_raw_extraction(path: Path) -> bool:
    return path.suffix == RAW_SUFFIX


def extraction_time(item: tuple[Path, Extraction]) -> tuple[datetime, str]:
    """Raw names carry the extraction's timestamp (landing name or mtime): sort on it."""
    return timestamp_from_name(item[0].name) or datetime.min, item[0].name


def account_for_unnamed(ctx: ScriptContext, extractions: list[Extraction]) -> AccountChoice:
    """config/instagram.json's account, else the one the pulls name (see instagram.accounts)."""
    return accounts.choose_account(
        load_settings(ctx.lake).account,
        accounts.pulled_accounts(extractions),
        accounts.configured_user_id(ctx.lake),
    )


def write_staging(ctx: ScriptContext, inputs: list[tuple[Path, Extraction]]) -> list[Path]:
    folder = service_zone(ctx.lake, STAGING, SERVICE)
    oldest_first = [extraction for _, extraction in sorted(inputs, key=extraction_time)]
    if accounts.has_unnamed(oldest_first):
        choice = account_for_unnamed(ctx, oldest_first)
        if choice.doubt:
            ctx.log.warning("%s", choice.doubt)
        oldest_first = accounts.file_unnamed(oldest_first, choice.account)
    daily, media = history.fold(oldest_first)
    return [
        history.write_table(folder / STAGING_DAILY, daily),
        history.write_table(folder / STAGING_MEDIA, media),
    ]


def raw_to_staging(ctx: ScriptContext) -> int:
    """Every extraction folded, oldest first; the newest wins per day and metric."""
    rebuild = Rebuild(read_raw, lambda inputs: write_staging(ctx, inputs))
    report = rebuild_when_changed(
        ctx, RAW, STAGING, rebuild, "raw2staging", select=is_raw_extraction
    )
    return report.exit_code


def is_staged(path: Path) -> bool:
    return path.name in (STAGING_DAILY, STAGING_MEDIA)


def read_staged(path: Path) -> pl.DataFrame:
    return history.read_media(path) if path.name == STAGING_MEDIA else history.read_daily(path)


def publish(ctx: ScriptContext, inputs: list[tuple[Path, pl.DataFrame]]) -> list[Path]:
    staged = {path.name: frame for path, frame in inputs}
    daily, media = staged.get(STAGING_DAILY), staged.get(STAGING_MEDIA)
    if daily is None or media is None:
        ctx.log.warning("3_staging/%s lacks its daily or media file.", SERVICE)
        return []
    tables = {
        CURATED_DAILY: history.daily_table(daily),
        CURATED_MEDIA: history.media_table(media),
        CURATED_MEDIA_DAILY: history.media_daily_table(media),
    }
    return publish_tables(ctx.lake, ctx.log, tables)


def staging_to_curated(ctx: ScriptContext) -> int:
    """Daily account metrics, media, and media metrics per day, archived first."""
    rebuild = Rebuild(read_staged, lambda inputs: publish(ctx, inputs))
    report = rebuild_when_changed(
        ctx, STAGING, CURATED, rebuild, "staging2curated", select=is_staged
    )
    return report.exit_code

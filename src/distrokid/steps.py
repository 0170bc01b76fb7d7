"""DistroKid's three cleaning steps, called by its cleaner scripts and, in-process, by tests.

Bank details ("See Excruciating Detail" exports) become `dk_bank_details.csv`; the stats pages
become DistroKid's rows of the shared `tidy_daily_streams.csv`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from common import daily_streams
from common.cleaning import Rebuild, process_each_new_file, rebuild_when_changed
from common.curated import curated_path, shortest_decimals
from common.lineage import with_source_ids
from common.quarantine import RejectedFile
from common.script import ScriptContext
from common.series import extracted_at
from common.zones import (
    CURATED,
    LANDING,
    RAW,
    STAGING,
    archive_then_replace,
    service_zone,
    timestamp_from_name,
    zone_name_for,
)
from distrokid import bank_details, stats_pages
from distrokid.service import SERVICE
from distrokid.settings import SERVICE as NAME

if TYPE_CHECKING:
    import polars as pl

BANK_STAGING = "bank_details"
STATS_PAGE_SUFFIXES = (".html", ".htm")


def land_file(ctx: ScriptContext, landing_file: Path) -> list[Path]:
    """One landed file into raw: a bank export as a validated UTF-8 copy, a stats page as NDJSON
    daily points; anything else is refused so it goes to quarantine with the reason."""
    raw = service_zone(ctx.lake, RAW, NAME)
    suffix = landing_file.suffix.lower()
    if suffix in bank_details.BANK_SUFFIXES:
        target = raw / zone_name_for(NAME, landing_file, suffix.lstrip("."))
        return [bank_details.landing_to_raw(landing_file, target)]
    if suffix in STATS_PAGE_SUFFIXES:
        platform, points = stats_pages.read_page(landing_file)
        frame = daily_streams.points_frame(
            points,
            platform,
            extracted_at(landing_file),
            ctx.lake.relative(landing_file),
            landing_file.name,
        )
        target = raw / zone_name_for(NAME, landing_file, "ndjson")
        return [daily_streams.write_raw(target, [frame])]
    raise RejectedFile(
        f"{landing_file.name} is not a file DistroKid gives us (bank details .tsv/.csv or a "
        "stats page .html).",
        rule="unknown-format",
    )


def landing_to_raw(ctx: ScriptContext) -> int:
    """Every new landing file into raw, each bad one quarantined with its reason."""
    report = process_each_new_file(
        ctx, LANDING, RAW, lambda path: land_file(ctx, path), "landing2raw"
    )
    return report.exit_code


def is_bank_export(path: Path) -> bool:
    return path.suffix.lower() in bank_details.BANK_SUFFIXES


def is_daily_points(path: Path) -> bool:
    return path.suffix == ".ndjson"


def stage_bank_export(ctx: ScriptContext, raw_file: Path) -> list[Path]:
    """One raw export typed and validated into its own parquet (one partition per export)."""
    target = service_zone(ctx.lake, STAGING, NAME) / BANK_STAGING / f"{raw_file.stem}.parquet"
    return [bank_details.stage_export(raw_file, ctx.lake.relative(raw_file), target)]


def rebuild_daily_streams(
    ctx: ScriptContext, inputs: list[tuple[Path, pl.DataFrame]]
) -> list[Path]:
    """DistroKid's charts show 0 for days not filled in yet: a newer 0 never replaces a count."""
    frames = [frame for _, frame in inputs]
    return [daily_streams.rebuild_staging(ctx.lake, NAME, frames, zero_is_a_gap=True)]


def raw_to_staging(ctx: ScriptContext) -> int:
    """Bank exports typed per export; the daily points folded into the daily-streams history."""
    bank = process_each_new_file(
        ctx,
        RAW,
        STAGING,
        lambda path: stage_bank_export(ctx, path),
        "raw2staging bank details",
        select=is_bank_export,
    )
    streams = rebuild_when_changed(
        ctx,
        RAW,
        STAGING,
        Rebuild(daily_streams.read_raw, lambda inputs: rebuild_daily_streams(ctx, inputs)),
        "raw2staging daily streams",
        select=is_daily_points,
    )
    return max(bank.exit_code, streams.exit_code)


def is_staged_bank_export(path: Path) -> bool:
    return path.suffix == ".parquet"


def is_daily_streams(path: Path) -> bool:
    return path.name == daily_streams.STAGING_NAME


def scan_staged_export(path: Path) -> pl.LazyFrame:
    """A staged export, its money as shortest exact text; an export staged by an older version
    (money as decimals) reads the same, so both concatenate into one curated file."""
    import polars as pl

    return shortest_decimals(pl.scan_parquet(path))


def publish_bank_details(ctx: ScriptContext, inputs: list[tuple[Path, pl.LazyFrame]]) -> list[Path]:
    """Exports ordered by their extraction time, so the newest owns each (reporting date, sale
    month).

    Streamed from the staged parquet into the CSV; money as its shortest exact text, and each
    row's raw export named by a short id (common.lineage) rather than its path.
    """
    ordered = sorted(
        inputs,
        key=lambda item: (
            timestamp_from_name(item[0].name) is None,
            timestamp_from_name(item[0].name),
            item[0].name,
        ),
    )
    items = bank_details.newest_per_partition([frame for _, frame in ordered])
    # The file the service declares, so the warehouse loader reads the one written here.
    target = curated_path(ctx.lake, SERVICE.dataset("bank_details").file)
    curated = with_source_ids(items, target)
    archived = archive_then_replace(ctx.lake, target, lambda temp: curated.sink_csv(temp))
    if archived is not None:
        ctx.log.info("Archived the previous %s as %s.", target.name, archived.name)
    return [target]


def publish_daily_streams(ctx: ScriptContext, staging: pl.DataFrame) -> list[Path]:
    daily_streams.publish(ctx.lake, NAME, staging, unfilled_tail=True)
    return [curated_path(ctx.lake, daily_streams.TIDY_DAILY_STREAMS)]


def staging_to_curated(ctx: ScriptContext) -> int:
    """The curated bank details and DistroKid's rows of tidy_daily_streams.csv, each rebuilt
    only when its staging inputs changed."""
    bank = rebuild_when_changed(
        ctx,
        STAGING,
        CURATED,
        Rebuild(scan_staged_export, lambda inputs: publish_bank_details(ctx, inputs)),
        "staging2curated bank details",
        select=is_staged_bank_export,
    )
    streams = rebuild_when_changed(
        ctx,
        STAGING,
        CURATED,
        Rebuild(
            daily_streams.read_staging, lambda inputs: publish_daily_streams(ctx, inputs[0][1])
        ),
        "staging2curated daily streams",
        select=is_daily_streams,
    )
    return max(bank.exit_code, streams.exit_code)

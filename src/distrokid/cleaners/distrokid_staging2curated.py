"""DistroKid staging → curated: dk_bank_details.csv and its rows of tidy_daily_streams.csv."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from common import daily_streams
from common.cleaning import Rebuild, rebuild_when_changed
from common.curated import curated_path
from common.script import ScriptContext, run_script
from common.zones import STAGING, archive_then_replace, timestamp_from_name
from distrokid import bank_details

if TYPE_CHECKING:
    import polars as pl

SERVICE = "distrokid"
BANK_CURATED = "dk_bank_details.csv"


def is_staged_bank_export(path: Path) -> bool:
    return path.suffix == ".parquet"


def is_daily_streams(path: Path) -> bool:
    return path.name == daily_streams.STAGING_NAME


def read_staged_export(path: Path) -> pl.DataFrame:
    import polars as pl

    return pl.read_parquet(path)


def publish_bank_details(ctx: ScriptContext, inputs: list[tuple[Path, pl.DataFrame]]) -> list[Path]:
    """Exports ordered by their extraction time, so the newest owns each reporting date."""
    ordered = sorted(
        inputs,
        key=lambda item: (
            timestamp_from_name(item[0].name) is None,
            timestamp_from_name(item[0].name),
            item[0].name,
        ),
    )
    items = bank_details.newest_per_reporting_date([frame for _, frame in ordered])
    target = curated_path(ctx.lake, BANK_CURATED)
    archived = archive_then_replace(ctx.lake, target, lambda temp: items.write_csv(temp))
    if archived is not None:
        ctx.log.info("Archived the previous %s as %s.", target.name, archived.name)
    return [target]


def publish_daily_streams(ctx: ScriptContext, staging: pl.DataFrame) -> list[Path]:
    daily_streams.publish(ctx.lake, SERVICE, staging)
    return [curated_path(ctx.lake, daily_streams.TIDY_DAILY_STREAMS)]


def main(ctx: ScriptContext) -> int:
    bank = rebuild_when_changed(
        ctx,
        STAGING,
        "4_curated",
        Rebuild(read_staged_export, lambda inputs: publish_bank_details(ctx, inputs)),
        "staging2curated bank details",
        select=is_staged_bank_export,
    )
    streams = rebuild_when_changed(
        ctx,
        STAGING,
        "4_curated",
        Rebuild(
            daily_streams.read_staging, lambda inputs: publish_daily_streams(ctx, inputs[0][1])
        ),
        "staging2curated daily streams",
        select=is_daily_streams,
    )
    return max(bank.exit_code, streams.exit_code)


if __name__ == "__main__":
    raise SystemExit(run_script(SERVICE, main))

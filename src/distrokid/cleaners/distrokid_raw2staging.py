"""DistroKid raw → staging: typed, validated bank line items per export; daily-streams history."""

from __future__ import annotations

from pathlib import Path

from common import daily_streams
from common.cleaning import Rebuild, process_each_new_file, rebuild_when_changed
from common.script import ScriptContext, run_script
from common.zones import RAW, STAGING, atomic_write_with, service_zone
from distrokid import bank_details

SERVICE = "distrokid"
BANK_STAGING = "bank_details"


def is_bank_export(path: Path) -> bool:
    return path.suffix.lower() in bank_details.BANK_SUFFIXES


def is_daily_points(path: Path) -> bool:
    return path.suffix == ".ndjson"


def stage_bank_export(ctx: ScriptContext, raw_file: Path) -> list[Path]:
    items = bank_details.read_raw(
        raw_file, raw_file.resolve().relative_to(ctx.lake.root).as_posix()
    )
    target = service_zone(ctx.lake, STAGING, SERVICE) / BANK_STAGING / f"{raw_file.stem}.parquet"
    return [atomic_write_with(target, lambda temp: items.write_parquet(temp, compression="lz4"))]


def main(ctx: ScriptContext) -> int:
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
        Rebuild(
            daily_streams.read_raw,
            lambda inputs: [
                daily_streams.rebuild_staging(
                    ctx.lake, SERVICE, [frame for _, frame in inputs], zero_is_a_gap=True
                )
            ],
        ),
        "raw2staging daily streams",
        select=is_daily_points,
    )
    return max(bank.exit_code, streams.exit_code)


if __name__ == "__main__":
    raise SystemExit(run_script(SERVICE, main))

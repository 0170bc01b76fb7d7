"""DistroKid landing → raw: bank exports as validated UTF-8 copies, stats pages as NDJSON points."""

from __future__ import annotations

from pathlib import Path

from common.cleaning import process_each_new_file
from common.daily_streams import points_frame, write_raw
from common.quarantine import RejectedFile
from common.script import ScriptContext, run_script
from common.series import extracted_at
from common.zones import LANDING, RAW, service_zone, zone_name_for
from distrokid import bank_details, stats_pages

SERVICE = "distrokid"


def landing_to_raw(ctx: ScriptContext, landing_file: Path) -> list[Path]:
    raw = service_zone(ctx.lake, RAW, SERVICE)
    suffix = landing_file.suffix.lower()
    if suffix in bank_details.BANK_SUFFIXES:
        target = raw / zone_name_for(SERVICE, landing_file, suffix.lstrip("."))
        return [bank_details.landing_to_raw(landing_file, target)]
    if suffix in (".html", ".htm"):
        platform, points = stats_pages.read_page(landing_file)
        source = landing_file.resolve().relative_to(ctx.lake.root).as_posix()
        frame = points_frame(
            points, platform, extracted_at(landing_file), source, landing_file.name
        )
        return [write_raw(raw / zone_name_for(SERVICE, landing_file, "ndjson"), [frame])]
    raise RejectedFile(
        f"{landing_file.name} is not a file DistroKid gives us (bank details .tsv/.csv or a "
        "stats page .html).",
        rule="unknown-format",
    )


def main(ctx: ScriptContext) -> int:
    report = process_each_new_file(
        ctx, LANDING, RAW, lambda path: landing_to_raw(ctx, path), "landing2raw"
    )
    return report.exit_code


if __name__ == "__main__":
    raise SystemExit(run_script(SERVICE, main))

"""Meta Ads landing → raw: each API response or Ads Manager export checked, kept as NDJSON rows."""

from __future__ import annotations

from pathlib import Path

from common.cleaning import process_each_new_file
from common.script import ScriptContext, run_script
from common.series import extracted_at
from common.zones import LANDING, RAW, service_zone, zone_name_for
from metaads.landing import read_landed
from metaads.raw import write_raw
from metaads.settings import SERVICE


def landing_to_raw(ctx: ScriptContext, landing_file: Path) -> list[Path]:
    landed = read_landed(landing_file)
    source_file = landing_file.resolve().relative_to(ctx.lake.root).as_posix()
    target = service_zone(ctx.lake, RAW, SERVICE) / zone_name_for(SERVICE, landing_file, "ndjson")
    return [write_raw(target, landed.rows, extracted_at(landing_file), source_file)]


def main(ctx: ScriptContext) -> int:
    report = process_each_new_file(
        ctx, LANDING, RAW, lambda path: landing_to_raw(ctx, path), "landing2raw"
    )
    return report.exit_code


if __name__ == "__main__":
    raise SystemExit(run_script(SERVICE, main))

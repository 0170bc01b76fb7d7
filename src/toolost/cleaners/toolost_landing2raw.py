"""TooLost landing → raw: each portal analytics JSON as one NDJSON of typed daily points."""

from __future__ import annotations

from pathlib import Path

from common.cleaning import process_each_new_file
from common.daily_streams import points_frame, write_raw
from common.script import ScriptContext, run_script
from common.series import extracted_at
from common.zones import LANDING, RAW, service_zone, zone_name_for
from toolost.analytics import read_daily_series

SERVICE = "toolost"


def landing_to_raw(ctx: ScriptContext, landing_file: Path) -> list[Path]:
    series = read_daily_series(landing_file)
    source_file = landing_file.resolve().relative_to(ctx.lake.root).as_posix()
    frame = points_frame(
        series.points, series.platform, extracted_at(landing_file), source_file, landing_file.name
    )
    target = service_zone(ctx.lake, RAW, SERVICE) / zone_name_for(SERVICE, landing_file, "ndjson")
    return [write_raw(target, [frame])]


def main(ctx: ScriptContext) -> int:
    report = process_each_new_file(
        ctx, LANDING, RAW, lambda path: landing_to_raw(ctx, path), "landing2raw"
    )
    return report.exit_code


if __name__ == "__main__":
    raise SystemExit(run_script(SERVICE, main))

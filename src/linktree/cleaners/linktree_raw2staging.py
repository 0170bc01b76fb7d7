"""Linktree raw → staging: every capture folded, oldest extraction first, into six tables.

See linktree.history for the rules: daily rows upserted (newest extraction wins, history kept),
window totals kept as one snapshot per capture day.
"""

from __future__ import annotations

from pathlib import Path

from common.cleaning import Rebuild, rebuild_when_changed
from common.script import ScriptContext, run_script
from common.zones import RAW, STAGING, atomic_write_with, service_zone
from linktree.history import fold, staging_file_name
from linktree.payloads import CaptureTables, read_raw
from linktree.settings import RAW_SUFFIX, SERVICE


def is_raw_capture(path: Path) -> bool:
    return path.suffix == RAW_SUFFIX


def write_staging(ctx: ScriptContext, inputs: list[tuple[Path, CaptureTables]]) -> list[Path]:
    folder = service_zone(ctx.lake, STAGING, SERVICE)
    written = []
    for table, rows in fold([capture for _, capture in inputs]).items():
        target = folder / staging_file_name(table)
        written.append(atomic_write_with(target, rows.write_csv))
    return written


def main(ctx: ScriptContext) -> int:
    rebuild = Rebuild(read_raw, lambda inputs: write_staging(ctx, inputs))
    report = rebuild_when_changed(ctx, RAW, STAGING, rebuild, "raw2staging", select=is_raw_capture)
    return report.exit_code


if __name__ == "__main__":
    raise SystemExit(run_script(SERVICE, main))

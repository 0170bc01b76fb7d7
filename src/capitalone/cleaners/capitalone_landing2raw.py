"""Capital One landing → raw: each dropped export checked, card numbers cut, kept as UTF-8 CSV."""

from __future__ import annotations

from pathlib import Path

from capitalone import transactions
from common.cleaning import process_each_new_file
from common.script import ScriptContext, run_script
from common.zones import LANDING, RAW, service_zone, zone_name_for

SERVICE = "capitalone"


def landing_to_raw(ctx: ScriptContext, landing_file: Path) -> list[Path]:
    """Raw is rewritten, not copied: a full card number must not leave 1_landing."""
    rows = transactions.read_export(landing_file)
    target = service_zone(ctx.lake, RAW, SERVICE) / zone_name_for(SERVICE, landing_file, "csv")
    return [transactions.write_raw(rows, target)]


def main(ctx: ScriptContext) -> int:
    report = process_each_new_file(
        ctx, LANDING, RAW, lambda path: landing_to_raw(ctx, path), "landing2raw"
    )
    return report.exit_code


if __name__ == "__main__":
    raise SystemExit(run_script(SERVICE, main))

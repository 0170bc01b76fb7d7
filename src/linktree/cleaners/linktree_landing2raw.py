"""Linktree landing → raw: each GraphQL capture's analytics payloads, validated, as NDJSON."""

from __future__ import annotations

from pathlib import Path

from common.cleaning import process_each_new_file
from common.script import ScriptContext, run_script
from common.series import extracted_at
from common.zones import LANDING, RAW, service_zone, zone_name_for
from linktree.captures import read_capture
from linktree.payloads import capture_tables, ctrs_above_one, write_raw
from linktree.settings import SERVICE
from linktree.tables import Extraction

# How many unusual values one warning line names; the count covers them all.
MAX_NAMED = 5


def landing_to_raw(ctx: ScriptContext, landing_file: Path) -> list[Path]:
    capture = read_capture(landing_file)
    source = landing_file.resolve().relative_to(ctx.lake.root).as_posix()
    extraction = Extraction(extracted_at(landing_file), source, landing_file.name)
    # Typed once here, so a bad value quarantines the capture in landing before raw is written.
    unusual = ctrs_above_one(capture_tables(capture, extraction))
    if unusual:
        ctx.log.warning(
            "%s: %d CTR value(s) above 1 kept as reported (more clicks than views): %s.",
            source,
            len(unusual),
            "; ".join(unusual[:MAX_NAMED]) + ("; …" if len(unusual) > MAX_NAMED else ""),
        )
    for ignored in capture.ignored:
        ctx.log.info("%s: ignored %s: %s.", source, ignored.describe(), ignored.reason)
    for payload in capture.payloads:
        if payload.errors:
            ctx.log.warning(
                "%s: %s came with GraphQL errors (%s); its sections that answered are kept.",
                source,
                payload.describe(),
                "; ".join(payload.errors),
            )
    target = service_zone(ctx.lake, RAW, SERVICE) / zone_name_for(SERVICE, landing_file, "ndjson")
    return [write_raw(target, capture, extraction)]


def main(ctx: ScriptContext) -> int:
    report = process_each_new_file(
        ctx, LANDING, RAW, lambda path: landing_to_raw(ctx, path), "landing2raw"
    )
    return report.exit_code


if __name__ == "__main__":
    raise SystemExit(run_script(SERVICE, main))

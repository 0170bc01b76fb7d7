"""Capital One staging → curated: capitalone_transactions.csv, the previous version archived."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from capitalone import statements, transactions
from common.cleaning import Rebuild, rebuild_when_changed
from common.curated import curated_path
from common.script import ScriptContext, run_script
from common.zones import CURATED, STAGING, archive_then_replace

SERVICE = "capitalone"


def is_ledger(path: Path) -> bool:
    return path.name == statements.STAGING_NAME


def publish(ctx: ScriptContext, inputs: list[tuple[Path, pl.DataFrame]]) -> list[Path]:
    ledger = inputs[0][1] if inputs else transactions.empty_typed()
    rows = statements.curated_transactions(ledger)
    target = curated_path(ctx.lake, statements.CURATED_NAME)
    archived = archive_then_replace(ctx.lake, target, lambda temp: rows.write_csv(temp))
    if archived is not None:
        ctx.log.info("Archived the previous %s as %s.", target.name, archived.name)
    return [target]


def main(ctx: ScriptContext) -> int:
    rebuild = Rebuild(transactions.read_typed_csv, lambda inputs: publish(ctx, inputs))
    report = rebuild_when_changed(
        ctx, STAGING, CURATED, rebuild, "staging2curated", select=is_ledger
    )
    return report.exit_code


if __name__ == "__main__":
    raise SystemExit(run_script(SERVICE, main))

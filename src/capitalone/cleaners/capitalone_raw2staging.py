"""Capital One raw → staging: every statement typed and validated, folded into one ledger."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from capitalone import statements, transactions
from common.cleaning import Rebuild, rebuild_when_changed
from common.script import ScriptContext, run_script
from common.zones import RAW, STAGING, atomic_write_with, service_zone

SERVICE = "capitalone"


def read_statement(ctx: ScriptContext, raw_file: Path) -> pl.DataFrame:
    """The raw copy's typed rows; `source_file` is its lake-relative path, as for every service."""
    source_file = raw_file.resolve().relative_to(ctx.lake.root).as_posix()
    return transactions.typed(transactions.read_export(raw_file), source_file)


def write_ledger(ctx: ScriptContext, inputs: list[tuple[Path, pl.DataFrame]]) -> list[Path]:
    """Overlapping statements never double or lose a row: see capitalone.statements."""
    ledger = statements.merge_statements(statements.oldest_first(inputs))
    target = service_zone(ctx.lake, STAGING, SERVICE) / statements.STAGING_NAME
    return [atomic_write_with(target, lambda temp: ledger.write_csv(temp))]


def main(ctx: ScriptContext) -> int:
    rebuild = Rebuild(
        lambda raw_file: read_statement(ctx, raw_file), lambda inputs: write_ledger(ctx, inputs)
    )
    return rebuild_when_changed(ctx, RAW, STAGING, rebuild, "raw2staging").exit_code


if __name__ == "__main__":
    raise SystemExit(run_script(SERVICE, main))

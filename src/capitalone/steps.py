"""Capital One's three cleaning steps, called by its cleaner scripts and, in-process, by tests.

Each dropped export is checked and its card numbers cut in raw; every statement is typed and
folded into one ledger in staging; the ledger is published as the curated transactions file.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from capitalone import statements, transactions
from capitalone.service import SERVICE
from capitalone.settings import SERVICE as NAME
from common.cleaning import Rebuild, process_each_new_file, rebuild_when_changed
from common.curated import publish_tables
from common.script import ScriptContext
from common.zones import (
    CURATED,
    LANDING,
    RAW,
    STAGING,
    atomic_write_with,
    service_zone,
    zone_name_for,
)


def land_file(ctx: ScriptContext, landing_file: Path) -> list[Path]:
    """Raw is rewritten, not copied: a full card number must not leave 1_landing."""
    rows = transactions.read_export(landing_file)
    target = service_zone(ctx.lake, RAW, NAME) / zone_name_for(NAME, landing_file, "csv")
    return [transactions.write_raw(rows, target)]


def landing_to_raw(ctx: ScriptContext) -> int:
    """Every new landing file into raw, each bad one quarantined with its reason."""
    report = process_each_new_file(
        ctx, LANDING, RAW, lambda path: land_file(ctx, path), "landing2raw"
    )
    return report.exit_code


def read_statement(ctx: ScriptContext, raw_file: Path) -> pl.DataFrame:
    """The raw copy's typed rows; `source_file` is its lake-relative path, as for every service."""
    source_file = ctx.lake.relative(raw_file)
    return transactions.typed(transactions.read_export(raw_file), source_file)


def write_ledger(ctx: ScriptContext, inputs: list[tuple[Path, pl.DataFrame]]) -> list[Path]:
    """Overlapping statements never double or lose a row: see capitalone.statements."""
    ledger = statements.merge_statements(statements.oldest_first(inputs))
    target = service_zone(ctx.lake, STAGING, NAME) / statements.STAGING_NAME
    return [atomic_write_with(target, lambda temp: ledger.write_csv(temp))]


def raw_to_staging(ctx: ScriptContext) -> int:
    """Every statement typed and validated, folded into one ledger."""
    rebuild = Rebuild(
        lambda raw_file: read_statement(ctx, raw_file), lambda inputs: write_ledger(ctx, inputs)
    )
    return rebuild_when_changed(ctx, RAW, STAGING, rebuild, "raw2staging").exit_code


def is_ledger(path: Path) -> bool:
    return path.name == statements.STAGING_NAME


def publish(ctx: ScriptContext, inputs: list[tuple[Path, pl.DataFrame]]) -> list[Path]:
    """The ledger's curated rows, the previous curated file archived first."""
    ledger = inputs[0][1] if inputs else transactions.empty_typed()
    rows = statements.curated_transactions(ledger)
    # The file the service declares, so the warehouse loader reads the one written here; each
    # row names its statement by a short id (common.lineage), which the loader maps back.
    name = SERVICE.dataset("transactions").file
    return publish_tables(ctx.lake, ctx.log, {name: rows}, short_lineage=True)


def staging_to_curated(ctx: ScriptContext) -> int:
    """capitalone_transactions.csv, rebuilt only when the staged ledger changed."""
    rebuild = Rebuild(transactions.read_typed_csv, lambda inputs: publish(ctx, inputs))
    report = rebuild_when_changed(
        ctx, STAGING, CURATED, rebuild, "staging2curated", select=is_ledger
    )
    return report.exit_code

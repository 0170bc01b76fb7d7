"""`bedrot reconcile`: expected against actual royalties per sale month and store, as a table."""

from __future__ import annotations

import os
from datetime import date
from typing import TextIO

from common.config_files import ConfigFileError
from common.lake import Lake
from common.money.analytics_settings import MoneyConfigError, load_money_rules
from common.money.reconcile import MISSING, UNDER_REPORTED, ExpectedActual, status_counts
from common.money.refresh import refresh_money_tables
from common.warehouse.database import DEFAULT_SQLITE, make_engine, migrate, warehouse_url

EXIT_OK, EXIT_PROBLEM = 0, 1
STATUS_STYLE = {"open": "cyan", "reconciled": "green", UNDER_REPORTED: "yellow", MISSING: "red"}


def _money(value: object) -> str:
    return "—" if value is None else f"{value:,.2f}"


def _table_rows(rows: list[ExpectedActual]) -> list[tuple[str, ...]]:
    return [
        (
            row.sale_month,
            row.store,
            f"{row.distributor_streams:,}",
            row.rate.text if row.rate else "—",
            _money(row.expected),
            _money(row.actual.royalty),
            row.judged_from.isoformat(),
            row.status,
        )
        for row in rows
    ]


def print_expected_actual(rows: list[ExpectedActual], stream: TextIO | None = None) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(file=stream, width=140)
    if not rows:
        console.print(
            "No expected-against-actual figures yet: they need the distributors' daily streams "
            "(DistroKid stats, TooLost) and DistroKid bank details in the warehouse."
        )
        return
    grid = Table(title="Expected against actual royalties (USD)")
    for heading in (
        "Sale month", "Store", "Distributor streams", "Trailing rate", "Expected", "Actual",
        "Judged from", "Status",
    ):  # fmt: skip
        grid.add_column(heading, justify="left" if heading in ("Store", "Status") else "right")
    for values, row in zip(_table_rows(rows), rows):
        style = STATUS_STYLE.get(row.status, "")
        grid.add_row(*values[:-1], f"[{style}]{values[-1]}[/{style}]" if style else values[-1])
    console.print(grid)
    counts = ", ".join(f"{n} {status}" for status, n in status_counts(rows).items())
    console.print(f"{len(rows)} store-months: {counts}.")


def reconcile_command(
    lake: Lake, months: int | None = None, today: date | None = None, stream: TextIO | None = None
) -> int:
    """Refresh the money tables and print the last `months` sale months (all when None).
    Exit 1 only when it cannot: no warehouse yet, or config/money.json is wrong."""
    from rich.console import Console

    console = Console(file=stream, width=140)
    if "WAREHOUSE_URL" not in os.environ and not (lake.root / DEFAULT_SQLITE).is_file():
        console.print(
            "There is no warehouse yet: load it first with `bedrot etl` (or `bedrot run`)."
        )
        return EXIT_PROBLEM
    try:
        rules = load_money_rules(lake)
    except (MoneyConfigError, ConfigFileError) as problem:
        console.print(str(problem))
        return EXIT_PROBLEM
    engine = make_engine(warehouse_url(lake))
    try:
        migrate(engine)
        with engine.begin() as connection:
            analytics = refresh_money_tables(connection, rules, today or date.today())
    finally:
        engine.dispose()
    rows = analytics.expected
    if months is not None:
        shown = sorted({row.sale_month for row in rows})[-months:] if months > 0 else []
        rows = [row for row in rows if row.sale_month in shown]
    print_expected_actual(rows, stream)
    return EXIT_OK

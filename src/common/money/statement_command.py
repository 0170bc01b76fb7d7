"""The body of `bedrot statements --period P [--payee NAME] [--issue]` and the demo's statements
table: open the lake's warehouse, make or rewrite the period, print what each payee is owed."""

from __future__ import annotations

import csv
import io
from datetime import date

from rich.console import Console
from rich.table import Table
from sqlalchemy import Engine, func, select

from common.lake import Lake
from common.money.splits import SplitsConfigError
from common.money.statement_periods import Period, PeriodError, parse_period, period_of
from common.money.statement_runs import StatementRun, run_statements
from common.money.statement_store import SUMMARY_FILE
from common.money.statements import StatementError
from common.warehouse.database import make_engine, migrate, warehouse_url
from common.warehouse.models import RoyaltyLine
from common.warehouse.statement_tables import create_statement_tables

EXIT_OK = 0
EXIT_UNUSABLE = 2


def _open_warehouse(lake: Lake) -> Engine:
    engine = make_engine(warehouse_url(lake))
    migrate(engine)
    with engine.begin() as connection:
        create_statement_tables(connection)
    return engine


def make_statements(lake: Lake, period: Period, issue: bool, today: date) -> StatementRun:
    """Statements of `period` in this lake's warehouse, in one transaction."""
    engine = _open_warehouse(lake)
    try:
        with engine.begin() as connection:
            return run_statements(lake, connection, period, issue, today)
    finally:
        engine.dispose()


def summary_rows(
    run: StatementRun, payee: str | None = None
) -> tuple[str, list[str], list[list[str]]]:
    """The title, columns and rows of `summary_table`."""
    rows = list(csv.DictReader(io.StringIO(run.files[SUMMARY_FILE])))
    title = f"Statements {run.period.name} ({run.status}, USD)"
    keys = ("payee", "royalty_usd", "costs_usd", "closing_usd", "payable_usd")
    picked = [
        [row[key] for key in keys]
        for row in rows
        if payee is None or row["payee"] in (payee, "total royalties")
    ]
    return title, ["payee", "royalty", "costs", "closing", "payable"], picked


def summary_table(run: StatementRun, payee: str | None = None) -> Table:
    """Each payee's royalty, costs, closing and payable, then the label's share and the total,
    read from the period's summary.csv (so a closed period prints what was issued)."""
    title, columns, rows = summary_rows(run, payee)
    table = Table(title=title, title_justify="left")
    for index, name in enumerate(columns):
        table.add_column(name, justify="left" if index == 0 else "right")
    for row in rows:
        table.add_row(*row)
    return table


def statements_command(
    lake: Lake,
    period: str,
    payee: str | None = None,
    issue: bool = False,
    today: date | None = None,
) -> int:
    """Make (or, for a closed period, write again) a period's statements and print them;
    0 when done, 2 with one sentence per problem when the period or config/splits.json is
    unusable."""
    console = Console()
    try:
        chosen = parse_period(period)
        run = make_statements(lake, chosen, issue, today or date.today())
        if payee is not None and f"{payee}," not in run.files[SUMMARY_FILE].replace('"', ""):
            raise StatementError(f"{payee!r} has no statement for {chosen.name}.")
    except SplitsConfigError as error:
        for problem in error.problems:
            console.print(f"[red]config/splits.json:[/red] {problem}", markup=True, highlight=False)
        return EXIT_UNUSABLE
    except (PeriodError, StatementError) as error:
        console.print(str(error), markup=False, highlight=False)
        return EXIT_UNUSABLE
    for warning in run.warnings:
        console.print(f"[yellow]Warning:[/yellow] {warning}", markup=True, highlight=False)
    console.print(summary_table(run, payee))
    if run.status == "closed":
        console.print(f"{chosen.name} is closed: its issued files were written again unchanged.")
    elif run.status == "draft":
        console.print(f"DRAFT: {chosen.name} is not issued; add --issue once it is final.")
    console.print(f"Files: {run.folder}", markup=False, highlight=False)
    return EXIT_OK


def latest_complete_quarter(lake: Lake, today: date) -> Period | None:
    """The quarter of the newest royalty line, if it has ended before `today`."""
    engine = _open_warehouse(lake)
    try:
        with engine.connect() as connection:
            newest = connection.execute(select(func.max(RoyaltyLine.reporting_date))).scalar()
    finally:
        engine.dispose()
    if newest is None:
        return None
    quarter = period_of(newest, quarterly=True)
    return quarter if quarter.end < today else None

"""SQL pieces every page family shares: months on either database, exact money sums, the
latest day a table reports, and whether an optional table (a service not built yet) exists."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, func, inspect, select

from common.warehouse.money_sql import SQLITE, exact_sum, exact_total


def month_of(day: Any, dialect: str) -> ColumnElement[str]:
    """'YYYY-MM' of a date column on SQLite (ISO text) and PostgreSQL (DATE)."""
    if dialect == SQLITE:
        return func.substr(day, 1, 7)
    return func.to_char(day, "YYYY-MM")


def money_sums(column: Any, connection: Connection) -> tuple[ColumnElement[Any], ...]:
    """The SUM expressions of a picodollar column that `exact_total` makes exact dollars of."""
    return exact_sum(column, connection.dialect.name)


def total_of(connection: Connection, query: Select[Any]) -> Decimal:
    """One exact amount from a query selecting only `money_sums(...)`."""
    return exact_total(tuple(connection.execute(query).one()))


def grouped_totals(
    connection: Connection, query: Select[Any], label_count: int = 1
) -> list[tuple[tuple[Any, ...], Decimal]]:
    """(labels, exact amount) per row of a query selecting labels first, then `money_sums`."""
    return [
        (tuple(row[:label_count]), exact_total(tuple(row[label_count:])))
        for row in connection.execute(query)
    ]


def latest_day(connection: Connection, column: Any, until: date | None = None) -> date | None:
    """The last day a fact table reports (not after `until`): the dashboard's "now" for it, so
    a lake whose newest export is a few days old still shows its last 30 days, not zeros."""
    query = select(func.max(column))
    if until is not None:
        query = query.where(column <= until)
    found = connection.execute(query).scalar()
    if found is None:
        return None
    return found if isinstance(found, date) else date.fromisoformat(str(found)[:10])


def has_tables(connection: Connection, names: Sequence[str]) -> bool:
    inspector = inspect(connection)
    return all(inspector.has_table(name) for name in names)

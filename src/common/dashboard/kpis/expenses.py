"""Expenses: what the Capital One card cost by category and month (debits less refunds; the
card's payments are not costs)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, func, select

from common.dashboard.kpis.figures import Kpi, PageData, empty_page, money_kpi, table, usd
from common.dashboard.kpis.filters import Filters, period_text
from common.dashboard.kpis.queries import money_sums, month_of
from common.warehouse.models import Expense, card_spending, is_card_payment
from common.warehouse.money_sql import exact_total

EXPENSES = "Capital One card debits less refunds (all artists: a card charge has no artist)"
UNCATEGORIZED = "(no category)"


def by_category_and_month(connection: Connection, filters: Filters) -> list[dict[str, Any]]:
    """(month, category, exact debits less refunds) in the range, months in order."""
    month = month_of(Expense.transaction_date, connection.dialect.name)
    category = func.coalesce(Expense.category, UNCATEGORIZED)
    query = (
        select(month, category, *money_sums(card_spending(), connection))
        .where(~is_card_payment())
        .group_by(month, category)
        .order_by(month, category)
    )
    if filters.start is not None:
        query = query.where(Expense.transaction_date >= filters.start)
    if filters.end is not None:
        query = query.where(Expense.transaction_date <= filters.end)
    return [
        {"month": row[0], "category": row[1], "spent": exact_total(tuple(row[2:]))}
        for row in connection.execute(query)
    ]


def expense_kpis(rows: list[dict[str, Any]], filters: Filters) -> list[Kpi]:
    period = period_text(filters.start, filters.end)
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows:
        totals[row["category"]] += row["spent"]
    total = sum(totals.values(), Decimal(0)) if rows else None
    top = max(totals.items(), key=lambda item: item[1]) if totals else None
    return [
        money_kpi("expenses_total", "Expenses", total, EXPENSES, period),
        Kpi(
            "expenses_top_category",
            "Largest category",
            top[0] if top else None,
            f"{top[0]}: {usd(top[1])}" if top else "no data yet",
            EXPENSES,
            period,
        ),
    ]


def expenses_page(connection: Connection, filters: Filters) -> PageData:
    page = empty_page()
    rows = by_category_and_month(connection, filters)
    page["kpis"] = [k.as_json() for k in expense_kpis(rows, filters)]
    months = sorted({row["month"] for row in rows})
    categories = sorted({row["category"] for row in rows})
    amounts = {(row["month"], row["category"]): row["spent"] for row in rows}
    page["charts"]["expenses-monthly"] = {
        "data": [
            {
                "type": "bar",
                "name": category,
                "x": months,
                "y": [float(amounts.get((m, category), 0)) for m in months],
            }
            for category in categories
        ],
        "layout": {"title": {"text": "Expenses by category and month (USD)"}, "barmode": "stack"},
    }
    page["tables"]["expenses"] = table(
        ["month", "category", "spent"],
        [[row["month"], row["category"], usd(row["spent"])] for row in rows],
    )
    return page

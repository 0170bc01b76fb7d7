"""Exact money in SQL on every database, and the SQL that makes it readable.

On SQLite a money column holds whole picodollars (10^-12 USD) in an INTEGER, and one SUM of
them overflows past about 9.2 million USD. `exact_sum` splits every amount into dollars,
microdollars and picodollars (each part's SUM stays far inside 64 bits for billions of rows) and
`exact_total` puts the three sums back together in Python, exactly. On PostgreSQL the column is
NUMERIC, whose SUM is exact already. The `*_sql` helpers write the SQLite view expressions that
any SQL tool reads as dollars (a REAL) and as the exact decimal text beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, func, literal, type_coerce

from common.warehouse.types import MONEY_SCALE, from_units

PICO = 10**MONEY_SCALE
MICRO = 10**6


def exact_sum(column: ColumnElement[Any], dialect: str) -> tuple[ColumnElement[Any], ...]:
    """The SUM expressions whose values `exact_total` turns into one exact Decimal.

    SQLite divides integers by truncating toward zero and `%` keeps the dividend's sign, so for
    every stored amount x: x = (x / 10^12)·10^12 + ((x / 10^6) % 10^6)·10^6 + x % 10^6.
    """
    if dialect != "sqlite":
        return (func.sum(column),)
    raw = type_coerce(column, BigInteger)
    dollars = raw.op("/")(literal(PICO))
    micros = raw.op("/")(literal(MICRO)).op("%")(literal(MICRO))
    picos = raw.op("%")(literal(MICRO))
    return (func.sum(dollars), func.sum(micros), func.sum(picos))


def exact_total(parts: Sequence[Any]) -> Decimal:
    """One exact amount from the values of `exact_sum`'s expressions (None, no rows, is 0)."""
    if len(parts) == 1:
        value = parts[0]
        return Decimal(0) if value is None else Decimal(value)
    dollars, micros, picos = (int(part or 0) for part in parts)
    return from_units(dollars * PICO + micros * MICRO + picos)


def dollars_sql(picodollars: str) -> str:
    """SQLite: an amount in dollars as a REAL, which every tool shows and sums as dollars."""
    return f"({picodollars} / 1e{MONEY_SCALE})"


def decimal_text_sql(picodollars: str) -> str:
    """SQLite: the exact amount as decimal text with 12 decimals ('-0.011400720000')."""
    return (
        f"(CASE WHEN {picodollars} < 0 THEN '-' ELSE '' END"
        f" || (abs({picodollars}) / {PICO})"
        f" || '.' || substr('{'0' * MONEY_SCALE}' || (abs({picodollars}) % {PICO}), "
        f"-{MONEY_SCALE}))"
    )

"""Exact money in SQL on every database, and the SQL that makes it readable.

A money column holds whole picodollars (10^-12 USD): an INTEGER on SQLite, NUMERIC(38, 0) on
PostgreSQL. On SQLite one SUM of them overflows past about 9.2 million USD, so `exact_sum`
splits every amount into dollars, microdollars and picodollars (each part's SUM stays far inside
64 bits for billions of rows) and `exact_total` puts the three sums back together in Python,
exactly. On PostgreSQL NUMERIC's SUM is exact already. The `*_sql` helpers write the view
expressions that any SQL tool reads as dollars, and as the exact decimal text beside them.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, Numeric, func, literal, type_coerce
from sqlalchemy.orm import QueryableAttribute

from common.warehouse.types import MONEY_SCALE, from_units

PICO = 10**MONEY_SCALE
MICRO = 10**6
SQLITE = "sqlite"
PICO_FACTOR = "0." + "0" * (MONEY_SCALE - 1) + "1"  # 10^-12 as an exact NUMERIC literal


def exact_sum(
    column: ColumnElement[Any] | QueryableAttribute[Any], dialect: str
) -> tuple[ColumnElement[Any], ...]:
    """The SUM expressions (of a money column, in picodollars) whose values `exact_total` turns
    into one exact Decimal of dollars.

    SQLite divides integers by truncating toward zero and `%` keeps the dividend's sign, so for
    every stored amount x: x = (x / 10^12)·10^12 + ((x / 10^6) % 10^6)·10^6 + x % 10^6.
    """
    if dialect != SQLITE:
        return (type_coerce(func.sum(type_coerce(column, Numeric(38, 0))), Numeric(38, 0)),)
    raw = type_coerce(column, BigInteger)
    dollars = raw.op("/")(literal(PICO))
    micros = raw.op("/")(literal(MICRO)).op("%")(literal(MICRO))
    picos = raw.op("%")(literal(MICRO))
    return (func.sum(dollars), func.sum(micros), func.sum(picos))


def exact_total(parts: Sequence[Any]) -> Decimal:
    """One exact amount in dollars from the values of `exact_sum`'s expressions (None, no rows,
    is 0)."""
    if len(parts) == 1:
        value = parts[0]
        return from_units(0 if value is None else int(value))
    dollars, micros, picos = (int(part or 0) for part in parts)
    return from_units(dollars * PICO + micros * MICRO + picos)


def dollars_sql(picodollars: str, dialect: str = SQLITE) -> str:
    """An amount in dollars that every tool shows and sums as dollars: a REAL on SQLite (exact
    to far below the cent), an exact NUMERIC with 12 decimals on PostgreSQL."""
    if dialect != SQLITE:
        return f"({picodollars} * {PICO_FACTOR})"
    return f"({picodollars} / 1e{MONEY_SCALE})"


def decimal_text_sql(picodollars: str, dialect: str = SQLITE) -> str:
    """The exact amount as decimal text with 12 decimals ('-0.011400720000')."""
    if dialect != SQLITE:
        return f"CAST({picodollars} * {PICO_FACTOR} AS TEXT)"
    return (
        f"(CASE WHEN {picodollars} < 0 THEN '-' ELSE '' END"
        f" || (abs({picodollars}) / {PICO})"
        f" || '.' || substr('{'0' * MONEY_SCALE}' || (abs({picodollars}) % {PICO}), "
        f"-{MONEY_SCALE}))"
    )


def readable_sql(picodollars: str, name: str, dialect: str, with_picousd: bool = False) -> str:
    """The select-list of one money column in a readable view: `<name>_usd` (dollars as a
    number any tool sums), `<name>_exact` (the exact decimal text) and, when asked,
    `<name>_picousd` (the stored whole picodollars, for code)."""
    readable = (
        f"{dollars_sql(picodollars, dialect)} AS {name}_usd, "
        f"{decimal_text_sql(picodollars, dialect)} AS {name}_exact"
    )
    return f"{picodollars} AS {name}_picousd, {readable}" if with_picousd else readable


def split_sums_sql(picodollars: str) -> tuple[str, str, str]:
    """SQLite: the three SUMs of `exact_sum` as SQL text (dollars, microdollars, picodollars),
    for a view that totals money exactly (see `split_total_sql`)."""
    return (
        f"SUM({picodollars} / {PICO})",
        f"SUM(({picodollars} / {MICRO}) % {MICRO})",
        f"SUM({picodollars} % {MICRO})",
    )


def _floor_mod(value: str) -> str:
    return f"((({value}) % {MICRO} + {MICRO}) % {MICRO})"


def _carry(value: str) -> str:
    return f"((({value}) - {_floor_mod(value)}) / {MICRO})"


def split_total_sql(dollars: str, micros: str, picos: str) -> tuple[str, str]:
    """SQLite: from the three split sums (columns of an inner query), the total in dollars as a
    REAL and as exact decimal text, without ever forming the 64-bit-overflowing picodollar sum.

    The parts are carried upward with floor division, so the total is whole + fraction with
    0 <= fraction < 10^12 picodollars; a negative total is written as its absolute value."""
    micros_carried = f"({micros} + {_carry(picos)})"
    whole = f"({dollars} + {_carry(micros_carried)})"
    fraction = f"({_floor_mod(micros_carried)} * {MICRO} + {_floor_mod(picos)})"
    zeros = "0" * MONEY_SCALE
    real = f"({whole} + {fraction} / 1e{MONEY_SCALE})"
    text = (
        f"(CASE WHEN {whole} >= 0 THEN {whole} || '.' || substr('{zeros}' || {fraction}, "
        f"-{MONEY_SCALE}) WHEN {fraction} = 0 THEN '-' || (-{whole}) || '.{zeros}' "
        f"ELSE '-' || (-{whole} - 1) || '.' || substr('{zeros}' || ({PICO} - {fraction}), "
        f"-{MONEY_SCALE}) END)"
    )
    return real, text

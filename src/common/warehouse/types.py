"""Column types that keep money exact on every database."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Numeric
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

MONEY_SCALE = 12
UNITS = Decimal(10) ** MONEY_SCALE


class Money(TypeDecorator[Decimal]):
    """USD with 12 decimals, exactly.

    PostgreSQL stores NUMERIC(38, 12). SQLite has no exact decimal type (NUMERIC affinity turns
    text into floats), so it stores whole units of 10^-12 USD in an INTEGER: sums stay exact in
    SQL, and SQLite raises an error rather than overflow past 9.2 million USD in one SUM.
    """

    impl = Numeric(38, MONEY_SCALE)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(38, MONEY_SCALE, asdecimal=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if dialect.name == "sqlite":
            return to_units(Decimal(value))
        return Decimal(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if dialect.name == "sqlite":
            return from_units(int(value))
        return Decimal(value)


def to_units(value: Decimal) -> int:
    units = value * UNITS
    if units != units.to_integral_value():
        raise ValueError(f"{value} has more than {MONEY_SCALE} decimals")
    return int(units)


def from_units(units: int) -> Decimal:
    return (Decimal(units) / UNITS).quantize(Decimal(1).scaleb(-MONEY_SCALE))

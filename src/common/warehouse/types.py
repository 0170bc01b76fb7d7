"""Column types that keep money exact on every database and readable by any tool."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Numeric
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine, UserDefinedType

MONEY_SCALE = 12
UNITS = Decimal(10) ** MONEY_SCALE
PERCENT_PRECISION = 9
PERCENT_SCALE = 4


class Money(TypeDecorator[Decimal]):
    """USD with 12 decimals, exactly, stored as whole picodollars (10^-12 USD).

    The database column is named `<name>_picousd` so that nobody reads it as dollars. SQLite
    has no exact decimal type (NUMERIC affinity turns text into floats), so it keeps an
    INTEGER; PostgreSQL keeps NUMERIC(38, 0), the same unit, so a query or a view reads both
    alike. Sums stay exact in SQL; `money_sql.exact_sum` keeps SQLite's past 9.2 million USD.
    """

    impl = Numeric(38, 0)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(38, 0, asdecimal=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        return to_units(Decimal(value))

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return from_units(int(value))


class _SqliteNumeric(UserDefinedType[Any]):
    """A column declared NUMERIC on SQLite, values passed through as the driver gives them."""

    cache_ok = True

    def get_col_spec(self, **_: Any) -> str:
        return "NUMERIC"


class Percent(TypeDecorator[Decimal]):
    """A percentage as the number itself (50 is 50, 33.5 is 33.5), exact, on every database.

    SQLite stores it with NUMERIC affinity (50 as an INTEGER, 33.5 as a REAL) so any tool
    reads the number; it reads back as the Decimal written. PostgreSQL keeps NUMERIC(9, 4).
    """

    impl = Numeric(PERCENT_PRECISION, PERCENT_SCALE)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(_SqliteNumeric())
        return dialect.type_descriptor(Numeric(PERCENT_PRECISION, PERCENT_SCALE, asdecimal=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        number = Decimal(value)
        return format(number, "f") if dialect.name == "sqlite" else number

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return Decimal(str(value))


def to_units(value: Decimal) -> int:
    """Whole picodollars; an amount finer than 10^-12 USD is refused rather than rounded."""
    units = value * UNITS
    if units != units.to_integral_value():
        raise ValueError(f"{value} has more than {MONEY_SCALE} decimals")
    return int(units)


def from_units(units: int) -> Decimal:
    return (Decimal(units) / UNITS).quantize(Decimal(1).scaleb(-MONEY_SCALE))

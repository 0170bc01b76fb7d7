"""Shared column conversions for loaders: exact money per dialect, ids from dimension maps."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from common.warehouse.types import MONEY_SCALE, PERCENT_SCALE


def read_curated(path: object) -> pl.DataFrame:
    """A curated CSV with every column as text (types are decided by each loader)."""
    return pl.read_csv(path, infer_schema=False)  # type: ignore[arg-type]


def money(column: str, dialect: str) -> pl.Expr:
    """Exact money for the driver, in whole picodollars (10^-12 USD) as the `Money` type stores
    it: an INTEGER on SQLite, integer text for PostgreSQL's NUMERIC(38, 0) (no 64-bit limit)."""
    units = pl.col(column).str.to_decimal(scale=MONEY_SCALE).to_physical()
    if dialect == "sqlite":
        return units.cast(pl.Int64, strict=True).alias(column)
    return units.cast(pl.String).alias(column)


def percent(column: str) -> pl.Expr:
    """A percentage as decimal text ("50.0000"): SQLite's NUMERIC column keeps the number 50,
    PostgreSQL's NUMERIC(9, 4) the exact value."""
    return pl.col(column).str.to_decimal(scale=PERCENT_SCALE).cast(pl.String).alias(column)


def ids(column: str, mapping: Mapping[str, int], alias: str, upper: bool = False) -> pl.Expr:
    """Map a text column to dimension ids (null stays null)."""
    text = pl.col(column).str.to_uppercase() if upper else pl.col(column)
    return text.replace_strict(dict(mapping), default=None, return_dtype=pl.Int64).alias(alias)


def integer(column: str) -> pl.Expr:
    return pl.col(column).cast(pl.Int64, strict=True)


def check_columns(frame: pl.DataFrame, required: tuple[str, ...], name: str) -> None:
    missing = [column for column in required if column not in frame.columns]
    if missing:
        raise ValueError(f"{name} lacks the column(s) {', '.join(missing)}")

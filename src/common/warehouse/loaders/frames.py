"""Shared column conversions for loaders: exact money per dialect, ids from dimension maps."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from common.warehouse.types import MONEY_SCALE


def read_curated(path: object) -> pl.DataFrame:
    """A curated CSV with every column as text (types are decided by each loader)."""
    return pl.read_csv(path, infer_schema=False)  # type: ignore[arg-type]


def money(column: str, dialect: str) -> pl.Expr:
    """Exact money for the driver: whole 10^-12 units on SQLite, decimal text elsewhere."""
    parsed = pl.col(column).str.to_decimal(scale=MONEY_SCALE)
    if dialect == "sqlite":
        return parsed.to_physical().cast(pl.Int64, strict=True).alias(column)
    return parsed.cast(pl.String).alias(column)


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

"""Shared column conversions for loaders: exact money per dialect, ids from dimension maps."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import polars as pl

from common.warehouse.types import MONEY_SCALE, PERCENT_SCALE


def read_curated(path: object) -> pl.DataFrame:
    """A curated CSV with every column as text (types are decided by each loader)."""
    return pl.read_csv(path, infer_schema=False)  # type: ignore[arg-type]


CHUNK_BYTES = 8 << 20


def curated_batches(path: Path, chunk_bytes: int = CHUNK_BYTES) -> Iterator[pl.DataFrame]:
    """A curated CSV a few megabytes at a time, every column text: memory stays flat whatever
    the file's size (polars' own scan holds the whole file). A chunk ends at a line break
    outside quotes, so a quoted value holding a line break stays whole. The next chunk is
    parsed on a second thread while the caller writes this one (polars parses without holding
    the interpreter's lock, the database writes without it too)."""
    with ThreadPoolExecutor(max_workers=1) as parser:
        pending: Future[pl.DataFrame] | None = None
        for block, columns in _record_blocks(path, chunk_bytes):
            parsing = parser.submit(_parse, block, columns)
            if pending is not None:
                yield pending.result()
            pending = parsing
        if pending is not None:
            yield pending.result()


def _record_blocks(path: Path, chunk_bytes: int) -> Iterator[tuple[bytes, list[str]]]:
    """The file's records a few megabytes at a time, each block ending at a record's end."""
    with path.open("rb") as stream:
        header = stream.readline()
        columns = pl.read_csv(header, infer_schema=False).columns
        rest = b""
        while block := stream.read(chunk_bytes):
            rest += block
            cut = _last_record_end(rest)
            if cut > 0:
                yield rest[:cut], columns
                rest = rest[cut:]
        if rest.strip():
            yield rest, columns


def _last_record_end(data: bytes) -> int:
    """Just past the last line break that ends a record (an even number of quotes before it)."""
    end = data.rfind(b"\n")
    while end >= 0 and data.count(b'"', 0, end) % 2:
        end = data.rfind(b"\n", 0, end)
    return end + 1


def _parse(data: bytes, columns: list[str]) -> pl.DataFrame:
    return pl.read_csv(data, has_header=False, new_columns=columns, infer_schema=False)


def require_numbers(frame: pl.DataFrame, columns: Sequence[str], file_name: str) -> None:
    """Refuse the file when a money or percent cell holds text that is not a number: the
    conversion would make it empty (NULL), and an expense would cost nothing."""
    for column in (c for c in columns if c in frame.columns):
        text = pl.col(column)
        bad = frame.filter(text.is_not_null() & text.str.to_decimal(scale=MONEY_SCALE).is_null())
        if bad.height:
            where = f"on row {bad['source_row'][0]}" if "source_row" in bad.columns else "in a row"
            raise ValueError(
                f"{file_name}: {column} is {bad[column][0]!r} {where}, not a number; the file "
                "is not loaded (its earlier rows stay)."
            )


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


def check_columns(frame: pl.DataFrame | pl.LazyFrame, required: tuple[str, ...], name: str) -> None:
    present = frame.collect_schema().names()
    missing = [column for column in required if column not in present]
    if missing:
        raise ValueError(f"{name} lacks the column(s) {', '.join(missing)}")

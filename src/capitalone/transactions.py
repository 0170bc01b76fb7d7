"""The Capital One card transactions CSV: header by names, checks on the text, exact typed rows.

Card numbers are cut to their last 4 digits while the file is read, so nothing written after
landing (raw copy, staging, curated, failure tables) ever holds a full card number.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pandera.polars as pa
import polars as pl
from pandera.polars import PolarsData

from common.export_dates import export_day
from common.quarantine import RejectedFile
from common.readers import (
    check_complete_last_line,
    first_line,
    header_fields,
    read_head,
    reject_html_or_empty,
    sniff_encoding,
)
from common.tabular import checked_rows
from common.validation import validate_frame
from common.zones import atomic_write_with

# The export's columns as Capital One spells them (raw keeps these), and our names for them.
EXPORT_COLUMNS = {
    "Transaction Date": "transaction_date",
    "Posted Date": "posted_date",
    "Card No.": "card_last4",
    "Description": "description",
    "Category": "category",
    "Debit": "debit_usd",
    "Credit": "credit_usd",
}
EXPORT_SUFFIXES = (".csv",)
DELIMITER = ","
FIRST_DATA_ROW = 2  # rows are numbered with the header as row 1
MONEY = pl.Decimal(38, 2)

# Whole dollars or at most 2 decimals (Excel writes 20.00 as "20" and 1234.50 as "1234.5");
# thousands may be grouped with commas ("1,249.00").
AMOUNT_TEXT = r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{1,2})?$"
CARD_LAST4_TEXT = r"^\d{4}$"
# A card number as exports show it: full, masked (XXXX-…, ****…, •••• …) or only its last 4.
_CARD_NUMBER = re.compile(r"^[0-9Xx*#•\s-]*?([0-9]{4})$")
# Excel reads the last-4 column as a number, so 0421 comes back as 421.
_LEADING_ZEROS_DROPPED = re.compile(r"^[0-9]{1,3}$")
_DIGIT_BEFORE_LAST4 = re.compile(r"\d(?=(?:\D*\d){4})")

TYPED_COLUMNS: dict[str, pl.DataType] = {
    "transaction_date": pl.Date(),
    "posted_date": pl.Date(),
    "card_last4": pl.String(),
    "description": pl.String(),
    "category": pl.String(),
    "debit_usd": MONEY,
    "credit_usd": MONEY,
    "source_file": pl.String(),
    "source_row": pl.Int64(),
}


def normalise_name(name: str) -> str:
    """A header name compared without case, BOM, surrounding or repeated spaces, or final dot."""
    return " ".join(name.replace("\ufeff", "").split()).casefold().rstrip(".")


_BY_NORMAL_NAME = {normalise_name(name): name for name in EXPORT_COLUMNS}


def export_names(fields: Sequence[str], file_name: str) -> list[str]:
    """The export's column name for each header field, found by name (any order), or a rejection."""
    normal = [normalise_name(field) for field in fields]
    missing = [name for key, name in _BY_NORMAL_NAME.items() if key not in normal]
    unexpected = [field for field, key in zip(fields, normal) if key not in _BY_NORMAL_NAME]
    repeated = sorted({field for field, key in zip(fields, normal) if normal.count(key) > 1})
    if missing or unexpected or repeated:
        problems = [
            f"{label} {', '.join(repr(name) for name in names)}"
            for label, names in (
                ("lacks", missing),
                ("has unexpected", unexpected),
                ("repeats", repeated),
            )
            if names
        ]
        raise RejectedFile(
            f"{file_name} is not a Capital One card transactions export: its header "
            f"{'; '.join(problems)} (expected {', '.join(EXPORT_COLUMNS)}).",
            rule="header",
            location="line 1",
            details={"header": list(fields), "expected": list(EXPORT_COLUMNS)},
        )
    return [_BY_NORMAL_NAME[key] for key in normal]


def card_last4(cell: str) -> str:
    """The last 4 digits of a full, masked or already-cut card number.

    A 1–3 digit cell is the last 4 with its leading zeros dropped by Excel and is padded back.
    Anything else (a number Excel turned into 4.1E+15, text around the digits) keeps only its last
    4 digits visible, so it fails the schema check without a full number being shown anywhere.
    """
    if _LEADING_ZEROS_DROPPED.match(cell):
        return cell.zfill(4)
    match = _CARD_NUMBER.match(cell)
    if match:
        return match[1]
    return _DIGIT_BEFORE_LAST4.sub("*", cell)


def inspect_export(path: Path) -> tuple[str, list[str]]:
    """(encoding, column names) of an export, or a rejection: HTML, empty, wrong header, cut off."""
    if path.suffix.lower() not in EXPORT_SUFFIXES:
        raise RejectedFile(
            f"{path.name} is not a CSV file; Capital One's transactions download is a .csv.",
            rule="unknown-format",
        )
    encoding = sniff_encoding(path)
    head = read_head(path, encoding)
    reject_html_or_empty(path, head)
    names = export_names(header_fields(first_line(head), DELIMITER), path.name)
    check_complete_last_line(path, encoding, DELIMITER, len(names))
    return encoding, names


def _text_rows(path: Path, encoding: str, names: list[str]) -> list[dict[str, str | None]]:
    """Each data row by export column name: cells stripped, empty as None, card cut to last 4."""
    rows: list[dict[str, str | None]] = []
    with path.open(encoding=encoding, newline="") as stream:
        for line_num, cells in checked_rows(stream, path.name, len(names), DELIMITER):
            row: dict[str, str | None] = {
                name: cell.strip() or None for name, cell in zip(names, cells)
            }
            card = row["Card No."]
            row["Card No."] = None if card is None else card_last4(card)
            rows.append(row)
    return rows


def read_export(path: Path) -> pl.DataFrame:
    """The export's rows as validated text, columns in Capital One's order and spelling."""
    encoding, names = inspect_export(path)
    rows = _text_rows(path, encoding, names)
    frame = pl.DataFrame(rows, schema={name: pl.String() for name in EXPORT_COLUMNS})
    return validate_frame(frame, TEXT_SCHEMA, path.name, row_offset=FIRST_DATA_ROW)


def write_raw(text: pl.DataFrame, target: Path) -> Path:
    """The validated rows as a UTF-8, LF-ended CSV with the export's header (card already cut)."""
    return atomic_write_with(target, lambda temp: text.write_csv(temp, line_terminator="\n"))


def typed(text: pl.DataFrame, source_file: str) -> pl.DataFrame:
    """Typed rows: dates, money as Decimal(38, 2) (never float), source file and row.

    `source_file` is the lake-relative path of the raw copy the rows were read from.
    """
    amounts = [
        pl.col(column).str.replace_all(",", "").str.to_decimal(scale=2).cast(MONEY)
        for column in ("debit_usd", "credit_usd")
    ]
    frame = (
        text.rename(EXPORT_COLUMNS)
        .with_columns(
            export_day(pl.col("transaction_date")),
            export_day(pl.col("posted_date")),
            pl.col("description").str.replace_all(r"\s+", " "),
            *amounts,
            pl.lit(source_file).alias("source_file"),
            (pl.int_range(pl.len(), dtype=pl.Int64) + FIRST_DATA_ROW).alias("source_row"),
        )
        .select(list(TYPED_COLUMNS))
    )
    return validate_frame(frame, TYPED_SCHEMA, source_file, row_offset=FIRST_DATA_ROW)


def empty_typed() -> pl.DataFrame:
    return pl.DataFrame(schema=TYPED_COLUMNS)


def read_typed_csv(path: Path) -> pl.DataFrame:
    """Typed rows written by `typed` and saved as CSV (staging), checked again on the way in."""
    frame = pl.read_csv(path, schema=TYPED_COLUMNS)
    return validate_frame(frame, TYPED_SCHEMA, path.name, row_offset=FIRST_DATA_ROW)


def _is_export_date(data: PolarsData) -> pl.LazyFrame:
    text = pl.col(data.key)
    return data.lazyframe.select(text.is_null() | export_day(text).is_not_null())


def _one_amount(debit: str, credit: str) -> pa.Check:
    def check(data: PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col(debit).is_null() ^ pl.col(credit).is_null())

    return pa.Check(check, name="one_amount", error=f"exactly one of {debit} and {credit} filled")


def _text_schema() -> pa.DataFrameSchema:
    date = pa.Column(
        str,
        pa.Check(
            _is_export_date, name="export_date", error="a calendar date (YYYY-MM-DD or M/D/YYYY)"
        ),
    )
    amount = pa.Column(
        str,
        pa.Check.str_matches(AMOUNT_TEXT, error="an amount like 1234.56 (at most 2 decimals)"),
        nullable=True,
    )
    return pa.DataFrameSchema(
        {
            "Transaction Date": date,
            "Posted Date": date,
            "Card No.": pa.Column(
                str, pa.Check.str_matches(CARD_LAST4_TEXT, error="a card's last 4 digits")
            ),
            "Description": pa.Column(str),
            "Category": pa.Column(str, nullable=True),
            "Debit": amount,
            "Credit": amount,
        },
        checks=[_one_amount("Debit", "Credit")],
        strict=True,
        ordered=True,
    )


def _typed_schema() -> pa.DataFrameSchema:
    money = pa.Column(MONEY, pa.Check.ge(0), nullable=True)
    return pa.DataFrameSchema(
        {
            "transaction_date": pa.Column(pl.Date),
            "posted_date": pa.Column(pl.Date),
            "card_last4": pa.Column(pl.String, pa.Check.str_matches(CARD_LAST4_TEXT)),
            "description": pa.Column(pl.String, pa.Check.str_length(min_value=1)),
            "category": pa.Column(pl.String, nullable=True),
            "debit_usd": money,
            "credit_usd": money,
            "source_file": pa.Column(pl.String),
            "source_row": pa.Column(pl.Int64, pa.Check.ge(FIRST_DATA_ROW)),
        },
        checks=[_one_amount("debit_usd", "credit_usd")],
        strict=True,
        ordered=True,
    )


TEXT_SCHEMA = _text_schema()
TYPED_SCHEMA = _typed_schema()

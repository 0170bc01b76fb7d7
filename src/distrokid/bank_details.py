"""DistroKid bank details ("See Excruciating Detail"): both export schemas into one curated table.

Every row is a line item and is kept: negative earnings are royalty adjustments, and rows that
differ only in earnings are separate items. Money stays exact (Decimal, never float).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from common.lineage import SOURCE_FILE, SOURCE_ID
from common.quarantine import RejectedFile
from common.readers import (
    check_complete_last_line,
    copy_as_utf8,
    first_line,
    header_fields,
    read_head,
    reject_html_or_empty,
    sniff_delimiter,
    sniff_head_encoding,
    sniff_line_end,
)
from common.validation import Parse, TextRule, checks_of, sink_checked
from common.zones import atomic_write_with

if TYPE_CHECKING:
    import polars as pl

MONEY_SCALE = 12
PERCENT_SCALE = 4
SOURCE_ROW = "source_row"
# A decimal already in its shortest exact form: no sign but "-", no leading or padding zeros.
SHORTEST_DECIMAL = r"^(0|-?(0\.\d*[1-9]|[1-9]\d*(\.\d*[1-9])?))$"
DATE = "%Y-%m-%d"
_COMMON = {
    "reporting date": "reporting_date",
    "sale month": "sale_month",
    "store": "store",
    "artist": "artist",
    "title": "title",
    "isrc": "isrc",
    "upc": "upc",
    "quantity": "quantity",
    "team percentage": "team_percentage",
    "country of sale": "country",
    "earnings (usd)": "earnings_usd",
}
LEGACY_COLUMNS = {
    **_COMMON,
    "song/album": "item_type",
    "songwriter royalties withheld": "songwriter_royalties_withheld_usd",
}
NEWER_COLUMNS = {
    **_COMMON,
    "date inserted": "date_inserted",
    "source type": "item_type",
    "songwriter royalties withheld (usd)": "songwriter_royalties_withheld_usd",
    "recoup (usd)": "recoup_usd",
}
# A staged export carries the path of its raw copy; the curated file names it by a short id
# (common.lineage), keeping the same column position.
STAGED_COLUMNS = (
    "reporting_date",
    "sale_month",
    "store",
    "artist",
    "title",
    "isrc",
    "upc",
    "quantity",
    "team_percentage",
    "item_type",
    "country",
    "songwriter_royalties_withheld_usd",
    "earnings_usd",
    "recoup_usd",
    "source_file",
    "source_row",
)
CURATED_COLUMNS = tuple(SOURCE_ID if c == SOURCE_FILE else c for c in STAGED_COLUMNS)
REQUIRED_COLUMNS = ("reporting_date", "sale_month", "store", "quantity", "earnings_usd")
MONEY_COLUMNS = ("songwriter_royalties_withheld_usd", "earnings_usd", "recoup_usd")
BANK_SUFFIXES = (".tsv", ".csv", ".txt")


@dataclass(frozen=True)
class Layout:
    """What the header says about a bank export."""

    version: str
    columns: dict[str, str]
    delimiter: str
    header: tuple[str, ...]

    @property
    def quoted(self) -> bool:
        return self.version == "2025"


def _normalise(name: str) -> str:
    return " ".join(name.replace("\ufeff", "").strip().lower().split())


def detect_layout(fields: Sequence[str], delimiter: str, file_name: str) -> Layout:
    """Tell the two schemas apart by their header names (never by position)."""
    names = [_normalise(name) for name in fields]
    for version, columns in (("legacy", LEGACY_COLUMNS), ("2025", NEWER_COLUMNS)):
        if sorted(names) == sorted(columns):
            return Layout(version, columns, delimiter, tuple(fields))
    nearest = min((LEGACY_COLUMNS, NEWER_COLUMNS), key=lambda c: len(set(c) ^ set(names)))
    missing = sorted(set(nearest) - set(names))
    unexpected = sorted(set(names) - set(nearest))
    raise RejectedFile(
        f"{file_name} does not have a DistroKid bank-details header: missing {missing or 'none'}, "
        f"unexpected {unexpected or 'none'}.",
        rule="header",
        location="line 1",
        details={"header": list(fields), "missing": missing, "unexpected": unexpected},
    )


def inspect_export(path: Path) -> tuple[str, Layout]:
    """(encoding, layout) of a landed export, or a rejection: HTML, empty, wrong header, cut off."""
    encoding = sniff_head_encoding(path)
    head = read_head(path, encoding)
    reject_html_or_empty(path, head)
    header = first_line(head)
    delimiter = sniff_delimiter(header)
    layout = detect_layout(header_fields(header, delimiter), delimiter, path.name)
    check_complete_last_line(path, encoding, delimiter, len(layout.header), layout.quoted)
    return encoding, layout


def landing_to_raw(landing_file: Path, raw_file: Path) -> Path:
    """A validated UTF-8 copy of the export (delimiter and values untouched)."""
    inspect_export(landing_file)
    return copy_as_utf8(landing_file, raw_file)


def _parses() -> list[Parse]:
    import polars as pl

    def money(column: str) -> Parse:
        return Parse(column, "parses as a decimal", lambda c: c.str.to_decimal(scale=MONEY_SCALE))

    return [
        Parse(
            "reporting_date", "parses as YYYY-MM-DD", lambda c: c.str.to_date(DATE, strict=False)
        ),
        Parse("date_inserted", "parses as YYYY-MM-DD", lambda c: c.str.to_date(DATE, strict=False)),
        Parse("quantity", "parses as a whole number", lambda c: c.str.to_integer(strict=False)),
        Parse(
            "team_percentage",
            "parses as a decimal",
            lambda c: c.str.to_decimal(scale=PERCENT_SCALE),
        ),
        *[money(column) for column in MONEY_COLUMNS],
        Parse("upc", "is digits", lambda c: pl.when(c.str.contains(r"^\d+$")).then(c)),
    ]


def _text_rules() -> list[TextRule]:
    # Polars would round a 13th decimal away silently: refuse it instead.
    too_precise = r"\.\d{%d,}" % (MONEY_SCALE + 1)
    return [
        TextRule(c, f"at most {MONEY_SCALE} decimals", lambda e: ~e.str.contains(too_precise))
        for c in MONEY_COLUMNS
    ] + [TextRule("sale_month", "is YYYY-MM", lambda e: e.str.contains(r"^\d{4}-\d{2}$"))]


def _typed_rules(columns: Sequence[str]) -> list[TextRule]:
    """What the typed values must hold, as polars expressions (pandera took longer than reading
    the file): required columns filled, a two-letter country, a named store."""
    rules = [
        TextRule(name, "is not empty", lambda e: e.is_not_null())
        for name in REQUIRED_COLUMNS
        if name in columns
    ]
    return rules + [
        TextRule("country", "has 2 letters", lambda e: e.str.len_chars() == 2),
        TextRule("store", "is not empty", lambda e: e.str.len_chars() >= 1),
    ]


def decimal_text(column: str, scale: int) -> pl.Expr:
    """A decimal column's text in its shortest exact form ("0.5", "0", "-2500", "1.25").

    An export's amounts are nearly all written that way already and are kept as they are, so
    two million rows are not turned into decimals and back; the other spellings ("0.50",
    "+1", ".5", "-0", "007") go through the exact decimal, never a float. A text that is not
    a number becomes null (the checks have refused the file by then).
    """
    import polars as pl

    text = pl.col(column)
    exact = (
        text.str.to_decimal(scale=scale)
        .cast(pl.String)
        .str.strip_chars_end("0")
        .str.strip_chars_end(".")
    )
    return pl.when(text.str.contains(SHORTEST_DECIMAL)).then(text).otherwise(exact).alias(column)


def _scan(raw_file: Path, layout: Layout, line_end: str) -> pl.LazyFrame:
    """Every column of the export as text under its curated name, with its file line number."""
    import polars as pl

    strings = pl.scan_csv(
        raw_file,
        separator=layout.delimiter,
        quote_char='"' if layout.quoted else None,
        eol_char=line_end,
        infer_schema=False,
        # A quoted empty field ("") is as empty as an unquoted one.
        null_values=[""],
        new_columns=[layout.columns[_normalise(name)] for name in layout.header],
    ).with_row_index(SOURCE_ROW, offset=2)
    # An empty line (an editor or Excel may end the file with a few) is no line item.
    strings = strings.filter(pl.any_horizontal(pl.exclude(SOURCE_ROW).is_not_null()))
    if "recoup_usd" not in layout.columns.values():
        strings = strings.with_columns(pl.lit(None, pl.String).alias("recoup_usd"))
    return strings


def _staged(strings: pl.LazyFrame, source_file: str) -> pl.LazyFrame:
    """The staged columns: dates and quantities typed, money and percentages as their
    shortest exact text (what the curated file writes), the raw export's path and line."""
    import polars as pl

    typed = {p.column: p.parse(pl.col(p.column)).alias(p.column) for p in _parses()}
    for column in MONEY_COLUMNS:
        typed[column] = decimal_text(column, MONEY_SCALE)
    typed["team_percentage"] = decimal_text("team_percentage", PERCENT_SCALE)
    return strings.select(
        *[typed.get(column, pl.col(column)) for column in STAGED_COLUMNS[:-2]],
        pl.lit(source_file).alias(SOURCE_FILE),
        pl.col(SOURCE_ROW).cast(pl.Int64),
    )


def stage_export(raw_file: Path, source_file: str, target: Path) -> Path:
    """A raw export typed and checked into the parquet `target`, streamed in one pass (memory
    stays flat at any size); a file with failure cases is refused with all of them listed."""
    head = read_head(raw_file, "utf-8")
    header = first_line(head)
    delimiter = sniff_delimiter(header)
    layout = detect_layout(header_fields(header, delimiter), delimiter, raw_file.name)
    strings = _scan(raw_file, layout, sniff_line_end(head))
    columns = list(layout.columns.values())
    parses = [p for p in _parses() if p.column in columns]
    checks = checks_of(parses, _text_rules(), _typed_rules(columns))

    def write(temp: Path) -> None:
        def sink(frame: pl.LazyFrame) -> pl.LazyFrame:
            # Uncompressed, without statistics: a third of the writing time; read once, locally.
            return _staged(frame, source_file).sink_parquet(
                temp, compression="uncompressed", statistics=False, lazy=True
            )

        sink_checked(strings, SOURCE_ROW, checks, sink, raw_file.name)

    return atomic_write_with(target, write)


PARTITION = ("reporting_date", "sale_month")


def newest_per_partition(exports: list[pl.LazyFrame]) -> pl.LazyFrame:
    """Exports oldest first; each (reporting date, sale month) keeps the rows of the newest
    export holding it.

    So a newer export replaces exactly the partitions it covers: nothing is doubled, nothing
    older than its window is lost, and an export chosen by "Sale Date" (some sale months of a
    reporting date) leaves the older export's other months of that date in place. Rows keep
    their export's order. Lazy, so the curated file can be streamed from staging without
    holding every export in memory.
    """
    import polars as pl

    key = pl.concat_str(
        pl.col("reporting_date").cast(pl.String).fill_null(""),
        pl.col("sale_month").cast(pl.String).fill_null(""),
        separator="|",
    )
    # The distinct pairs first (a hash of two columns), their keys made from those few rows.
    parts = [
        set(frame.select(PARTITION).unique().select(key).collect().to_series()) for frame in exports
    ]
    owner: dict[str, int] = {}
    for rank, covered in enumerate(parts):
        for part in covered:
            owner[part] = rank
    kept = []
    for rank, frame in enumerate(exports):
        owned = [part for part, holder in owner.items() if holder == rank]
        if len(owned) == len(parts[rank]):
            kept.append(frame)
        elif owned:
            kept.append(frame.filter(key.is_in(owned)))
    return pl.concat(kept) if kept else exports[0].clear()

"""One Studio CSV checked, typed and dated: header by names, values as text first, then years.

Every file is UTF-8 with a BOM and every field quoted. Columns are found by name (variants reorder
them or add some: extra columns are kept as text), `undefined` is a missing value, and negative
counts are kept. Bad files are refused with the reason, through the shared readers and checks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from common.quarantine import RejectedFile
from common.readers import (
    check_complete_last_line,
    first_line,
    header_fields,
    last_line,
    read_head,
    reject_html_or_empty,
    sniff_encoding,
)
from common.tabular import checked_rows
from common.validation import Parse, TextRule, type_and_validate
from tiktok.dates import (
    FULL_DATE_CODE,
    SLACK,
    DatingError,
    day_code,
    on_or_before,
    posted_day,
    resolve_days,
)
from tiktok.settings import Column, ColumnKind, Dataset
from tiktok.values import is_missing, parse_count, parse_fraction

if TYPE_CHECKING:
    import pandera.polars as pa

DELIMITER = ","
# A post's id ends its link: /video/<id>, or /photo/<id> for a photo (carousel) post.
VIDEO_ID = r"/(?:video|photo)/(\d+)"
DAY_TEXT = "a month and day such as 'January 1' or '1 janvier' (English, French, ...)"
KIND_DTYPES: dict[ColumnKind, pl.DataType] = {
    "day": pl.Date(),
    "posted": pl.Date(),
    "count": pl.Int64(),
    "hour": pl.Int64(),
    "fraction": pl.Float64(),
    "text": pl.String(),
    "link": pl.String(),
}
Extras = list[dict[str, str]]


@dataclass(frozen=True)
class Anchors:
    """The dates a file's years are counted from (see tiktok.dates)."""

    window_start: date | None
    export_day: date | None


def row_dtypes(dataset: Dataset) -> dict[str, pl.DataType]:
    """The typed columns of one dated row (content rows also carry the video id)."""
    dtypes = {c.name: KIND_DTYPES[c.kind] for c in dataset.columns}
    dtypes = {"date": pl.Date(), **dtypes}
    if any(c.kind == "link" for c in dataset.columns):
        dtypes["video_id"] = pl.String()
    return dtypes


def _normal(name: str) -> str:
    return " ".join(name.replace("\ufeff", "").split()).casefold()


def header_columns(fields: list[str], dataset: Dataset, file_name: str) -> list[Column | None]:
    """The dataset's column under each header field (None for an extra column), or a rejection."""
    by_name = {_normal(c.export_name): c for c in dataset.columns}
    normal = [_normal(f) for f in fields]
    missing = [
        c.export_name
        for c in dataset.columns
        if c.required and _normal(c.export_name) not in normal
    ]
    repeated = sorted({f for f, n in zip(fields, normal) if n in by_name and normal.count(n) > 1})
    if missing or repeated:
        listed = ", ".join(repr(name) for name in missing or repeated)
        problem = f"lacks {listed}" if missing else f"repeats {listed}"
        expected = ", ".join(c.export_name for c in dataset.columns)
        raise RejectedFile(
            f"{file_name} is not TikTok's {dataset.member} export: its header {problem} "
            f"(expected {expected}).",
            rule="header",
            location="line 1",
            details={"header": fields, "expected": [c.export_name for c in dataset.columns]},
        )
    return [by_name.get(n) for n in normal]


def inspect_csv(path: Path, dataset: Dataset) -> tuple[str, list[str], list[Column | None]]:
    """(encoding, header, columns) of a CSV, or a rejection: empty, HTML, encoding, header, cut."""
    encoding = sniff_encoding(path)
    head = read_head(path, encoding)
    reject_html_or_empty(path, head)
    header = first_line(head)
    fields = header_fields(header, DELIMITER)
    columns = header_columns(fields, dataset, path.name)
    check_complete_last_line(path, encoding, DELIMITER, len(fields))
    # Studio quotes every field: a quoted file whose last line lacks its closing quote was cut.
    if header.startswith('"') and not last_line(path, encoding).rstrip().endswith('"'):
        raise RejectedFile(
            f"{path.name} ends inside a quoted value: the download was cut off.",
            rule="truncated",
            location="last line",
        )
    return encoding, fields, columns


def text_rows(path: Path, dataset: Dataset) -> tuple[pl.DataFrame, Extras, list[int]]:
    """All-text frame by our column names (missing values as null), extras, line numbers."""
    encoding, fields, columns = inspect_csv(path, dataset)
    texts: dict[str, list[str | None]] = {c.name: [] for c in dataset.columns}
    extras: Extras = []
    lines: list[int] = []
    with path.open(encoding=encoding, newline="") as stream:
        for line_num, cells in checked_rows(stream, path.name, len(fields), DELIMITER):
            row = {c.name: None for c in dataset.columns} | {
                column.name: None if is_missing(cell) else cell.strip()
                for column, cell in zip(columns, cells)
                if column is not None
            }
            for name, value in row.items():
                texts[name].append(value)
            extras.append({f: cell for f, c, cell in zip(fields, columns, cells) if c is None})
            lines.append(line_num)
    # A header alone is Studio saying it has nothing to show (no posts in the window, no
    # demographics for a small account): no rows, not a broken file (an empty file is refused).
    return pl.DataFrame(texts, schema={name: pl.String() for name in texts}), extras, lines


def _mapped(function: Callable[[str], object], dtype: pl.DataType) -> Callable[[pl.Expr], pl.Expr]:
    return lambda column: column.map_elements(function, return_dtype=dtype)


def _parses(dataset: Dataset) -> list[Parse]:
    parses = {
        "day": ("is " + DAY_TEXT, _mapped(day_code, pl.Int64())),
        "posted": ("is " + DAY_TEXT, _mapped(day_code, pl.Int64())),
        "count": ("is a whole number (1234, -1, 18,400, 1.2K)", _mapped(parse_count, pl.Int64())),
        "hour": ("is an hour from 0 to 23", _mapped(parse_count, pl.Int64())),
        "fraction": ("is a fraction (0.51 or 51%)", _mapped(parse_fraction, pl.Float64())),
    }
    return [Parse(c.name, *parses[c.kind]) for c in dataset.columns if c.kind in parses]


def _rules(dataset: Dataset) -> list[TextRule]:
    return [
        TextRule(c.name, "is a TikTok video or photo link", lambda e: e.str.contains(VIDEO_ID))
        for c in dataset.columns
        if c.kind == "link"
    ]


def _schema(dataset: Dataset) -> pa.DataFrameSchema:
    import pandera.polars as pa

    checks: dict[ColumnKind, list[pa.Check]] = {
        "hour": [pa.Check.in_range(0, 23)],
        "fraction": [pa.Check.in_range(0, 1)],
    }
    coded = {"day": pl.Int64(), "posted": pl.Int64()}
    columns = {
        c.name: pa.Column(
            coded.get(c.kind, KIND_DTYPES[c.kind]),
            checks=checks.get(c.kind, []) + ([pa.Check.ge(0)] if c.name == "followers" else []),
            nullable=c.kind in ("count", "fraction") or not c.required,
        )
        for c in dataset.columns
    }
    return pa.DataFrameSchema(columns, strict=True)


def _on_or_before(code: int, limit: date, index: int) -> date:
    """A content row's day: its own year if it has one, else the latest such day by `limit`."""
    if code >= FULL_DATE_CODE:
        return date(code // FULL_DATE_CODE, code // 100 % 100, code % 100)
    return on_or_before(code, limit, index)


def _dated(typed: pl.DataFrame, dataset: Dataset, anchors: Anchors) -> pl.DataFrame:
    """The coded days as dates, counted from the file's anchors (DatingError when impossible)."""
    if dataset.dating == "snapshot":
        assert anchors.export_day is not None
        return typed.with_columns(pl.lit(anchors.export_day).alias("date"))
    codes: list[int] = typed["date"].to_list()
    if dataset.dating == "window":
        days = resolve_days(codes, anchors.window_start, anchors.export_day)
    elif "posted_on" not in typed.columns:
        days = resolve_days(codes, None, anchors.export_day)
    else:
        assert anchors.export_day is not None
        # Content rows are sorted by anything: each "Time" is the export day on its own, and
        # a video was posted on or before it.
        latest = anchors.export_day + SLACK
        days = [_on_or_before(code, latest, index) for index, code in enumerate(codes)]
        # The video id dates a post older than a year that "Post time" alone puts a year late.
        video_ids = typed["video_link"].str.extract(VIDEO_ID).to_list()
        posted = [
            posted_day(code, video_id, day, index)
            for index, (code, video_id, day) in enumerate(
                zip(typed["posted_on"].to_list(), video_ids, days)
            )
        ]
        typed = typed.with_columns(pl.Series("posted_on", posted, pl.Date()))
    return typed.with_columns(pl.Series("date", days, pl.Date()))


def read_export_csv(path: Path, dataset: Dataset, anchors: Anchors) -> tuple[pl.DataFrame, Extras]:
    """Typed, dated rows of one CSV (plus each row's extra columns), or a RejectedFile."""
    strings, extras, lines = text_rows(path, dataset)
    typed = type_and_validate(
        strings, _parses(dataset), _rules(dataset), _schema(dataset), path.name
    )
    try:
        dated = _dated(typed, dataset, anchors)
    except DatingError as error:
        where = "" if error.index is None else f"line {lines[error.index]} "
        raise RejectedFile(
            f"{path.name} cannot be dated: {where}{error}.",
            rule="date",
            location=where.strip(),
            details={"window_start": anchors.window_start, "export_day": anchors.export_day},
        ) from None
    if "video_link" in dated.columns:
        dated = dated.with_columns(pl.col("video_link").str.extract(VIDEO_ID).alias("video_id"))
    dated = dated.with_columns(pl.Series("source_row", lines, pl.Int64()))
    repeated = dated.filter(pl.struct(list(dataset.keys)).is_duplicated())
    if not repeated.is_empty():
        first = repeated.row(0, named=True)
        raise RejectedFile(
            f"{path.name} lists {', '.join(f'{k} {first[k]}' for k in dataset.keys)} twice "
            f"(line {first['source_row']}).",
            rule="unique",
            location=f"line {first['source_row']}",
        )
    return dated.select(*row_dtypes(dataset), "source_row"), extras

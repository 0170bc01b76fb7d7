"""Meta Business Suite's Instagram export, one file per metric: UTF-16LE with a BOM, a `sep=,`
line, the metric's title (`"Views"`), then `"Date","Primary"` and rows such as
`"2025-01-01T00:00:00","8226"`. The title says which metric it is; dates are the account's days.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

from common.quarantine import RejectedFile
from common.sniffing import TEXT_ENCODINGS, require_text, sniff_bytes
from common.tabular import readable_rows
from instagram.insights import count
from instagram.records import DailyValue
from instagram.settings import BUSINESS_SUITE_HEADER, BUSINESS_SUITE_TITLES

SEPARATOR_LINE = "sep="
PLATFORM_PREFIX = "instagram "


def metric_of_title(title: str) -> str | None:
    """The curated column a title names: 'Views', 'Instagram reach', 'Profile visits' ..."""
    words = " ".join(title.lower().split())
    if words.startswith(PLATFORM_PREFIX):
        words = words[len(PLATFORM_PREFIX) :]
    return BUSINESS_SUITE_TITLES.get(words)


def _lines(path: Path) -> list[tuple[int, list[str]]]:
    content = path.read_bytes()
    encoding = require_text(
        sniff_bytes(path.name, content, TEXT_ENCODINGS),
        f"{path.name} is not readable as UTF-16 or UTF-8 text.",
    )
    text = content.decode(encoding).lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = readable_rows(reader, path.name)
    return [(reader.line_num, row) for row in rows if any(cell.strip() for cell in row)]


def _export_date(text: str, file_name: str, line: int) -> date:
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        raise RejectedFile(
            f"{file_name} line {line} has {text!r} as its date, not a day such as "
            "2025-01-01T00:00:00.",
            rule="date",
            location=f"line {line}",
        ) from None


def _title_and_rows(path: Path) -> tuple[str, list[tuple[int, list[str]]]]:
    lines = _lines(path)
    if lines and lines[0][1][0].strip().lower().startswith(SEPARATOR_LINE):
        lines = lines[1:]
    header_at = next(
        (
            i
            for i, (_, row) in enumerate(lines)
            if tuple(c.strip() for c in row[:2]) == BUSINESS_SUITE_HEADER
        ),
        None,
    )
    if header_at is None or header_at != 1:
        raise RejectedFile(
            f"{path.name} is not a Meta Business Suite export: it needs a title line, then "
            '"Date","Primary".',
            rule="header",
            location="line 1",
        )
    return lines[0][1][0].strip(), lines[2:]


def read_export(path: Path) -> list[DailyValue]:
    """The daily values of one export; the export does not name its account (None)."""
    title, rows = _title_and_rows(path)
    metric = metric_of_title(title)
    if metric is None:
        known = ", ".join(sorted({t.capitalize() for t in BUSINESS_SUITE_TITLES}))
        raise RejectedFile(
            f"{path.name} is the Business Suite export of {title!r}, a metric this lake does not "
            f"curate (it reads: {known}).",
            rule="unknown-metric",
            location="line 2",
        )
    values = []
    for line, cells in rows:
        if len(cells) < len(BUSINESS_SUITE_HEADER):
            raise RejectedFile(
                f"{path.name} line {line} has {len(cells)} field(s) where the export has a date "
                "and a value (the download was cut off or the file edited).",
                rule="row-width",
                location=f"line {line}",
            )
        day = _export_date(cells[0], path.name, line)
        text = cells[1].replace(",", "").strip()
        value = count(text or None, path.name, f"line {line}")
        values.append(DailyValue(None, day, metric, value))
    if not values:
        raise RejectedFile(f"{path.name} holds a title and header but no days.", rule="not-empty")
    return values

"""Calendar dates as exports write them (2025-01-31) and as a US Excel writes them back when a
user opens an export and saves it again (1/31/2025: month first, the label's own locale).

A day-first date (31/01/2025) is not read: 01/02/2025 could be either day, and a wrong day is
worse than a file refused with a sentence saying why.
"""

from __future__ import annotations

import polars as pl

ISO_DAY_FORMAT = "%Y-%m-%d"
US_EXCEL_DAY_FORMAT = "%m/%d/%Y"
DAY_TEXT = r"^(?:\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})$"
DAY_RULE = "is a calendar date (YYYY-MM-DD, or M/D/YYYY as Excel saves it)"


def export_day(text: pl.Expr) -> pl.Expr:
    """The day `text` names (2025-01-31 or 1/31/2025); null when it names none."""
    return pl.when(text.str.contains(DAY_TEXT)).then(
        pl.coalesce(
            text.str.to_date(ISO_DAY_FORMAT, strict=False),
            text.str.to_date(US_EXCEL_DAY_FORMAT, strict=False),
        )
    )

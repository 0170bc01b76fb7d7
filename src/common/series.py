"""Daily series that accumulate: upsert by key keeping the newest extraction, never losing days.

Exports cover a moving window (365 days, year to date), so history lives in staging and each new
extraction only replaces the days it covers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from common.zones import file_timestamp

if TYPE_CHECKING:
    import polars as pl

EXTRACTED_AT = "extracted_at"


def upsert_newest(
    history: pl.DataFrame | None,
    update: pl.DataFrame,
    keys: Sequence[str],
    value: str | None = None,
) -> pl.DataFrame:
    """One row per key: the row with the newest `extracted_at`.

    With `value` given, a zero never replaces a non-zero: a newer page that shows 0 for a day
    an older page counted is a display gap, not a revision (the earlier system lost days so).
    """
    import polars as pl

    frames = [update] if history is None or history.is_empty() else [history, update]
    combined = pl.concat(frames, how="diagonal_relaxed")
    order = [*keys]
    if value is not None:
        combined = combined.with_columns((pl.col(value) != 0).alias("_nonzero"))
        order.append("_nonzero")
    order.append(EXTRACTED_AT)
    # Stable: on equal extraction times the later frame (the update) wins.
    newest = combined.sort(order, maintain_order=True).unique(
        subset=list(keys), keep="last", maintain_order=True
    )
    return newest.drop("_nonzero", strict=False).sort(list(keys))


def extracted_at(path: Path) -> datetime:
    """When a landed file was extracted: the timestamp its name carries, else its mtime."""
    return file_timestamp(path)

"""Raw and staging files of YouTube: NDJSON records per landed file, one CSV per dataset.

Every value stays text between zones (exact decimals, ISO days), so nothing passes through a
float. Staging folds every extraction oldest first and keeps, per key and column, the newest
value given: the Analytics API revises its newest 2–3 days on the next pull, and a Studio export
that has only views never erases the minutes an API pull gave the same day.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from common.series import EXTRACTED_AT
from common.zones import atomic_write_text, atomic_write_with
from youtube.records import KEYS, VALUES, Record

if TYPE_CHECKING:
    import polars as pl

SOURCE_FILE = "source_file"
SOURCE_ROW = "source_row"
DATASET = "dataset"


def write_raw(
    target: Path, records: Sequence[Record], extracted_at: datetime, source_file: str
) -> Path:
    lines = [
        json.dumps(
            {EXTRACTED_AT: extracted_at.isoformat(), SOURCE_FILE: source_file, **r.as_json()},
            ensure_ascii=False,
        )
        + "\n"
        for r in records
    ]
    return atomic_write_text(target, "".join(lines))


def columns(dataset: str) -> list[str]:
    return [*KEYS[dataset], *VALUES[dataset], EXTRACTED_AT, SOURCE_FILE]


def empty(dataset: str) -> pl.DataFrame:
    import polars as pl

    return pl.DataFrame(schema={name: pl.String() for name in columns(dataset)})


def read_raw(path: Path) -> dict[str, pl.DataFrame]:
    """The records of one raw file, by dataset, every column text."""
    import polars as pl

    rows: dict[str, list[dict[str, str | None]]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            dataset = record[DATASET]
            rows.setdefault(dataset, []).append({c: record.get(c) for c in columns(dataset)})
    return {
        dataset: pl.DataFrame(found, schema={c: pl.String() for c in columns(dataset)})
        for dataset, found in rows.items()
    }


def fold(dataset: str, extractions: Sequence[pl.DataFrame]) -> pl.DataFrame:
    """One row per key; each value the newest extraction gave (given oldest first)."""
    import polars as pl

    frames = [frame for frame in extractions if not frame.is_empty()]
    if not frames:
        return empty(dataset)
    keys = list(KEYS[dataset])
    stacked = pl.concat(frames, how="vertical").with_row_index("_order")
    ordered = stacked.sort([pl.col(EXTRACTED_AT).str.to_datetime(), "_order"])
    newest = [pl.col(c).drop_nulls().last().alias(c) for c in (*VALUES[dataset], SOURCE_FILE)]
    folded = ordered.group_by(keys, maintain_order=True).agg(*newest, pl.col(EXTRACTED_AT).last())
    return folded.select(columns(dataset)).sort(keys)


def write_staging(target: Path, rows: pl.DataFrame) -> Path:
    return atomic_write_with(target, lambda temp: rows.write_csv(temp))


def read_staging(path: Path) -> pl.DataFrame:
    import polars as pl

    return pl.read_csv(path, infer_schema=False)

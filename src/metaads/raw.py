"""Raw Meta Ads files: one NDJSON object per checked insights row, typed again when read."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from common.series import EXTRACTED_AT
from common.zones import atomic_write_text
from metaads.insights import SOURCE_FILE, SOURCE_ROW, TEXT_FIELDS, Action, InsightRow, validated

if TYPE_CHECKING:
    import polars as pl


def write_raw(
    target: Path, rows: Sequence[InsightRow], extracted_at: datetime, source_file: str
) -> Path:
    """The checked rows as NDJSON, one object per row with its actions, extraction and origin."""
    lines = []
    for row in rows:
        record: dict[str, object] = {
            EXTRACTED_AT: extracted_at.isoformat(),
            SOURCE_FILE: source_file,
            SOURCE_ROW: row.source_row,
            **{name: row.fields.get(name) for name in TEXT_FIELDS},
            "actions": [{"action_type": a.action_type, "value": a.value} for a in row.actions],
        }
        lines.append(json.dumps(record, ensure_ascii=False) + "\n")
    return atomic_write_text(target, "".join(lines))


@dataclass(frozen=True)
class Extraction:
    """The typed rows of one raw file and when and where they were extracted."""

    insights: pl.DataFrame
    actions: pl.DataFrame


def read_raw(path: Path) -> Extraction:
    """A raw NDJSON file typed again with the checks it passed on landing."""
    import polars as pl

    rows: list[InsightRow] = []
    origin: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        listed = tuple(Action(a["action_type"], a["value"]) for a in record["actions"])
        rows.append(InsightRow(record[SOURCE_ROW], {n: record[n] for n in TEXT_FIELDS}, listed))
        origin.append((record[EXTRACTED_AT], record[SOURCE_FILE]))
    insights, actions = validated(rows, path.name, lambda row: f"record {row}")
    extracted = [datetime.fromisoformat(when) for when, _ in origin]
    source_file = origin[0][1] if origin else path.name
    return Extraction(
        insights.with_columns(
            pl.Series(EXTRACTED_AT, extracted, dtype=pl.Datetime("us")),
            pl.lit(source_file).alias(SOURCE_FILE),
        ),
        actions.with_columns(pl.lit(source_file).alias(SOURCE_FILE)),
    )

"""The Mailchimp tables through the zones: raw extractions, the staged fold and its schemas.

Raw keeps each landed file's checked records as JSON (one file per landing file); staging folds
every extraction, oldest first, so a newer pull of a campaign (opens and clicks keep coming for
weeks) or of a month (the current month grows until it ends) replaces the older one.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from common.series import EXTRACTED_AT, upsert_newest
from common.zones import atomic_write_text, atomic_write_with
from mailchimp.reports import (
    AUDIENCE_COUNTS,
    CAMPAIGN_COUNTS,
    CAMPAIGN_RATES,
    GROWTH_COUNTS,
    LandedReports,
    Record,
)

if TYPE_CHECKING:
    import polars as pl

SOURCE_FILE = "source_file"
CAMPAIGNS, GROWTH, AUDIENCE = "campaigns", "list_growth", "audience"
DATASETS = (CAMPAIGNS, GROWTH, AUDIENCE)
KEYS = {
    CAMPAIGNS: ("campaign_id",),
    GROWTH: ("list_id", "month"),
    AUDIENCE: ("list_id", "snapshot_date"),
}


def _columns(dataset: str) -> dict[str, pl.DataType]:
    """Each dataset's columns and types: ids and dates as text, counts whole, rates fractions."""
    import polars as pl

    text, whole, rate = pl.String(), pl.Int64(), pl.Float64()
    if dataset == CAMPAIGNS:
        head = ("campaign_id", "list_id", "list_name", "title", "subject_line", "campaign_type")
        return {
            **{name: text for name in (*head, "send_time", "send_date")},
            **{name: whole for name, _ in CAMPAIGN_COUNTS},
            "bounces": whole,
            **{name: rate for name, _ in CAMPAIGN_RATES},
        }
    if dataset == GROWTH:
        return {"list_id": text, "month": text, **{name: whole for name in GROWTH_COUNTS}}
    return {
        "list_id": text,
        "list_name": text,
        "snapshot_date": text,
        **{name: whole for name in AUDIENCE_COUNTS},
    }


def staged_columns(dataset: str) -> dict[str, pl.DataType]:
    import polars as pl

    return {**_columns(dataset), EXTRACTED_AT: pl.Datetime("us"), SOURCE_FILE: pl.String()}


def write_raw(target: Path, landed: LandedReports, extracted: datetime, source: str) -> Path:
    document = {
        EXTRACTED_AT: extracted.isoformat(),
        SOURCE_FILE: source,
        CAMPAIGNS: landed.campaigns,
        GROWTH: landed.growth,
        AUDIENCE: landed.audience,
    }
    return atomic_write_text(target, json.dumps(document, ensure_ascii=False, indent=1) + "\n")


@dataclass(frozen=True)
class Extraction:
    """One raw file's records per dataset, each row stamped with its extraction and origin."""

    extracted: datetime
    frames: dict[str, pl.DataFrame]


def _frame(
    dataset: str, records: Sequence[Record], extracted: datetime, source: str
) -> pl.DataFrame:
    import polars as pl

    rows = [{**record, EXTRACTED_AT: extracted, SOURCE_FILE: source} for record in records]
    return pl.DataFrame(rows, schema=staged_columns(dataset))


def read_raw(path: Path) -> Extraction:
    document = json.loads(path.read_text(encoding="utf-8"))
    extracted = datetime.fromisoformat(document[EXTRACTED_AT])
    source = str(document[SOURCE_FILE])
    frames = {d: _frame(d, document[d], extracted, source) for d in DATASETS}
    return Extraction(extracted, frames)


def fold(extractions: Sequence[Extraction]) -> dict[str, pl.DataFrame]:
    """One row per key and dataset; of the extractions (oldest first) the newest wins."""
    import polars as pl

    folded: dict[str, pl.DataFrame] = {}
    for dataset in DATASETS:
        frames = [e.frames[dataset] for e in extractions if e.frames[dataset].height]
        if not frames:
            folded[dataset] = pl.DataFrame(schema=staged_columns(dataset))
            continue
        combined = pl.concat(frames, how="vertical")
        newest = upsert_newest(None, combined, keys=KEYS[dataset])
        folded[dataset] = newest.select(list(staged_columns(dataset)))
    return folded


def write_staging(
    folder: Path, folded: dict[str, pl.DataFrame], names: dict[str, str]
) -> list[Path]:
    return [atomic_write_with(folder / names[d], folded[d].write_csv) for d in DATASETS]


def read_staging(path: Path, dataset: str) -> pl.DataFrame:
    import polars as pl

    return pl.read_csv(path, schema=staged_columns(dataset))

"""Every extraction folded into one row per period, campaign, ad set and ad: the newest wins.

Meta keeps revising recent days while attribution settles, so extractors re-pull a trailing
window; a newer extraction replaces the rows it covers (and their actions, as a whole), and every
other row stays. A manual export has names but no ids: a name that belongs to exactly one id in
the other rows is given that id, so the export and the API's rows of one day are one row.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from common.series import EXTRACTED_AT, upsert_newest
from common.zones import atomic_write_with
from metaads.insights import (
    ROW_KEY,
    SOURCE_FILE,
    SOURCE_ROW,
    TEXT_FIELDS,
    entity_keys,
    typed_columns,
)
from metaads.raw import Extraction

if TYPE_CHECKING:
    import polars as pl

KEY_COLUMNS = ("campaign_key", "adset_key", "ad_key")
ROW_COLUMNS = (
    "date_start",
    "date_stop",
    "level",
    "campaign_id",
    "campaign_name",
    "adset_id",
    "adset_name",
    "ad_id",
    "ad_name",
)
PERFORMANCE_ORDER = (*ROW_COLUMNS, *(n for n in TEXT_FIELDS if n not in ROW_COLUMNS))


def performance_columns() -> dict[str, pl.DataType]:
    import polars as pl

    dtypes = typed_columns()
    return {
        **{name: dtypes[name] for name in PERFORMANCE_ORDER},
        EXTRACTED_AT: pl.Datetime("us"),
        SOURCE_FILE: pl.String(),
        SOURCE_ROW: pl.Int64(),
    }


def action_columns() -> dict[str, pl.DataType]:
    import polars as pl

    dtypes = typed_columns()
    return {
        **{name: dtypes[name] for name in ROW_COLUMNS},
        "action_type": pl.String(),
        "value": pl.Int64(),
        EXTRACTED_AT: pl.Datetime("us"),
        SOURCE_FILE: pl.String(),
    }


def _fill_ids(rows: pl.DataFrame, entity: str, parent: str | None) -> pl.DataFrame:
    """Give a row without `<entity>_id` the one id its name has elsewhere (within its parent)."""
    import polars as pl

    id_column, name_column = f"{entity}_id", f"{entity}_name"
    scope = [parent] if parent else []
    known = (
        rows.filter(pl.col(id_column).is_not_null() & pl.col(name_column).is_not_null())
        .group_by([*scope, name_column])
        .agg(pl.col(id_column).unique().alias("_ids"))
        .filter(pl.col("_ids").list.len() == 1)
        .select(*scope, name_column, pl.col("_ids").list.first().alias("_matched"))
    )
    return (
        rows.join(known, on=[*scope, name_column], how="left", nulls_equal=False)
        .with_columns(pl.coalesce(id_column, "_matched").alias(id_column))
        .drop("_matched")
    )


def fold(extractions: Sequence[Extraction], default_currency: str | None) -> Extraction:
    """The staged rows and their actions from extractions given oldest first."""
    import polars as pl

    if not extractions:
        return Extraction(
            pl.DataFrame(schema=performance_columns()), pl.DataFrame(schema=action_columns())
        )
    rows = pl.concat([e.insights for e in extractions], how="vertical_relaxed")
    rows = rows.with_columns(pl.col("currency").fill_null(pl.lit(default_currency, pl.String)))
    for entity, parent in (("campaign", None), ("adset", "campaign_id"), ("ad", "adset_id")):
        rows = _fill_ids(rows, entity, parent)
    keyed = rows.with_columns(entity_keys())
    newest = upsert_newest(None, keyed, keys=ROW_KEY).drop(KEY_COLUMNS)
    newest = newest.select(list(performance_columns()))
    actions = pl.concat([e.actions for e in extractions], how="vertical_relaxed")
    kept = newest.select(*ROW_COLUMNS, EXTRACTED_AT, SOURCE_FILE, SOURCE_ROW).join(
        actions, on=[SOURCE_FILE, SOURCE_ROW], how="inner"
    )
    return Extraction(
        newest.sort(ROW_COLUMNS, nulls_last=True),
        kept.select(list(action_columns())).sort([*ROW_COLUMNS, "action_type"], nulls_last=True),
    )


def write_staging(folder: Path, staged: Extraction, names: tuple[str, str]) -> list[Path]:
    performance, actions = (folder / name for name in names)
    return [
        atomic_write_with(performance, lambda temp: staged.insights.write_csv(temp)),
        atomic_write_with(actions, lambda temp: staged.actions.write_csv(temp)),
    ]


def read_performance(path: Path) -> pl.DataFrame:
    import polars as pl

    return pl.read_csv(path, schema=performance_columns())


def read_actions(path: Path) -> pl.DataFrame:
    import polars as pl

    return pl.read_csv(path, schema=action_columns())

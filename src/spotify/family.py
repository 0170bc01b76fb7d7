"""One export family: its header variants, how its text becomes typed rows, its staging key."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandera.polars as pa
import polars as pl
from pandera.polars import PolarsData

from common.export_dates import DAY_RULE, export_day
from common.series import EXTRACTED_AT, upsert_newest
from common.validation import Parse, TextRule, type_and_validate
from spotify.file_names import ArtistMatch
from spotify.settings import NULL_MARKERS

# Whole numbers, thousands optionally grouped as Excel re-saves them: 1234, 1,234, 1 234.
COUNT_TEXT = r"^(?:\d+|\d{1,3}(?:[,\u00a0\u202f ]\d{3})+)$"
THOUSANDS = r"[,\u00a0\u202f ]"
# Columns every staging row carries besides the export's own.
LINEAGE_TYPES: dict[str, pl.DataType] = {
    EXTRACTED_AT: pl.Datetime("us"),
    "source_file": pl.String(),
    "source_row": pl.Int64(),
}

NameFields = Callable[[Path, ArtistMatch], dict[str, str | None]]
Transform = Callable[[pl.DataFrame], pl.DataFrame]


def count(column: str) -> Parse:
    """A count: a whole number ≥ 0, thousands separators allowed; anything else fails."""
    return Parse(
        column,
        "is a whole number (0 or more)",
        lambda text: pl.when(text.str.contains(COUNT_TEXT)).then(
            text.str.replace_all(THOUSANDS, "").str.to_integer(strict=False)
        ),
    )


def day(column: str) -> Parse:
    return Parse(
        column,
        DAY_RULE,
        export_day,
    )


def count_column() -> pa.Column:
    """Counts may be empty (not reported), never negative."""
    return pa.Column(pl.Int64, pa.Check.ge(0), nullable=True)


def once_per_file(what: str, along: Sequence[str] = ()) -> pa.Check:
    """A column check: a value occurs once per file (with `along`, once per combination of the
    value and those columns); each repeat (not the first) fails, reported at this column."""

    def check(data: PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.struct(data.key, *along).is_first_distinct())

    return pa.Check(check, name=f"one row per {what}")


def once_per_file_together(columns: Sequence[str], what: str) -> pa.Check:
    """A frame check: a combination of `columns` occurs once per file; repeats fail."""

    def check(data: PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.struct(list(columns)).is_first_distinct())

    return pa.Check(check, name=f"one row per {what}", error=f"one row per {what}")


def no_name_fields(path: Path, match: ArtistMatch) -> dict[str, str | None]:
    return {}


def unchanged(frame: pl.DataFrame) -> pl.DataFrame:
    return frame


@dataclass(frozen=True)
class Family:
    """What the cleaners need to know about one kind of export, from landing to curated."""

    kind: str
    variants: Mapping[str, tuple[str, ...]]
    # Every export column of the family, in the order staging and raw keep them.
    columns: tuple[str, ...]
    parses: tuple[Parse, ...]
    schema: pa.DataFrameSchema
    keys: tuple[str, ...]
    staging_types: Mapping[str, pl.DataType]
    curate: Transform
    curated_name: Callable[[pl.DataFrame], str]
    rules: tuple[TextRule, ...] = ()
    # Fields the file name carries (the songs window, the timeline's song).
    name_columns: tuple[str, ...] = ()
    name_fields: NameFields = no_name_fields
    # True when the file is named after a song, so only its folder or a prefix names the artist.
    named_after_song: bool = False
    # A family's own adjustment of typed rows on their way into staging.
    stage: Transform = unchanged

    def typed(self, text: pl.DataFrame, file_name: str, row_offset: int = 2) -> pl.DataFrame:
        """The export columns typed (a variant's missing columns null), or a RejectedFile
        listing every failure case with its row: frame index + `row_offset` (2 for a CSV's
        line after its header)."""
        strings = text.with_columns(
            pl.lit(None, pl.String).alias(column)
            for column in self.columns
            if column not in text.columns
        )
        strings = strings.with_columns(
            pl.when(~pl.col(column).is_in(list(markers))).then(pl.col(column)).alias(column)
            for column, markers in NULL_MARKERS.items()
            if column in self.columns
        )
        return type_and_validate(
            strings.select(self.columns),
            self.parses,
            self.rules,
            self.schema,
            file_name,
            row_offset,
        )

    def staging_rows(self, raw: pl.DataFrame, file_name: str) -> pl.DataFrame:
        """Typed staging rows of one raw file (all text, as raw keeps it)."""
        exported = [column for column in self.columns if column in raw.columns]
        typed = self.typed(raw.select(exported), file_name)
        lineage = raw.select(
            "artist",
            *self.name_columns,
            pl.col(EXTRACTED_AT).str.to_datetime(time_unit="us"),
            "source_file",
            pl.col("source_row").cast(pl.Int64),
        )
        return self.stage(pl.concat([lineage, typed], how="horizontal")).select(
            list(self.staging_types)
        )

    def fold(self, extractions: Sequence[pl.DataFrame]) -> pl.DataFrame:
        """One row per natural key, the newest extraction winning; every other row kept."""
        history = upsert_newest(None, pl.concat(extractions, how="diagonal_relaxed"), self.keys)
        return history.select(list(self.staging_types)).sort(list(self.keys))

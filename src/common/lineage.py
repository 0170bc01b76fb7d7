"""Lineage of curated rows by a short file id: `source_id` on every row, and one small sidecar
table beside the curated file mapping each id to the lake-relative path it came from.

Repeating a long `source_file` path on two million rows nearly doubled a curated file; an id of
a few digits keeps the same lineage. The sidecar `_<curated stem>.sources.csv` starts with an
underscore, so no zone scan (`common.zones.data_files`) and no warehouse glob (every declared
pattern starts with its service's name) takes it for data. Ids are never reused or renumbered:
the sidecar only grows, so it is written before the curated file and resolves the current
version, an older one kept in 5_archive, and a run killed between the two writes alike.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from common.zones import atomic_write_text

if TYPE_CHECKING:
    import polars as pl

    Frame = TypeVar("Frame", pl.DataFrame, pl.LazyFrame)

SOURCE_FILE = "source_file"
SOURCE_ID = "source_id"
SIDECAR_SUFFIX = ".sources.csv"
SIDECAR_HEADER = (SOURCE_ID, SOURCE_FILE)


class LineageError(Exception):
    """A curated file's lineage cannot be resolved (sidecar missing, damaged or incomplete)."""


def sources_path(curated: Path) -> Path:
    """The sidecar of a curated file: `4_curated/_dk_bank_details.sources.csv`."""
    return curated.with_name(f"_{curated.stem}{SIDECAR_SUFFIX}")


def read_sources(curated: Path) -> dict[int, str]:
    """id -> lake-relative path of every file that ever contributed to `curated` ({} if none)."""
    sidecar = sources_path(curated)
    if not sidecar.is_file():
        return {}
    with sidecar.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    if not rows or tuple(rows[0]) != SIDECAR_HEADER:
        raise LineageError(
            f"{sidecar.name} is not a lineage table (expected the header "
            f"{','.join(SIDECAR_HEADER)}): rebuild {curated.name} by re-running its cleaners."
        )
    try:
        return {int(row[0]): row[1] for row in rows[1:]}
    except (ValueError, IndexError):
        raise LineageError(
            f"{sidecar.name} has a damaged line: rebuild {curated.name} by re-running its cleaners."
        ) from None


def _sidecar_text(sources: Mapping[int, str]) -> str:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(SIDECAR_HEADER)
    writer.writerows(sorted(sources.items()))
    return text.getvalue()


def assign_source_ids(curated: Path, paths: Iterable[str]) -> dict[str, int]:
    """path -> id for `paths`, keeping every id already given and numbering new paths after
    the highest; the sidecar is rewritten atomically only when a path is new."""
    known = read_sources(curated)
    ids = {path: number for number, path in known.items()}
    fresh = sorted(set(paths) - set(ids))
    for number, path in enumerate(fresh, start=max(known, default=0) + 1):
        ids[path] = number
        known[number] = path
    if fresh:
        atomic_write_text(sources_path(curated), _sidecar_text(known))
    return ids


def with_source_ids(frame: Frame, curated: Path) -> Frame:
    """`frame` with its `source_file` column replaced, in place, by `source_id`: the one call a
    service makes before writing `curated` (the sidecar is up to date when it returns)."""
    import polars as pl

    paths = frame.lazy().select(pl.col(SOURCE_FILE).unique()).collect()[SOURCE_FILE]
    ids = assign_source_ids(curated, paths.drop_nulls().to_list())
    as_id = _id_of_path({path: ids[path] for path in paths.drop_nulls().to_list()})
    columns = [
        as_id.alias(SOURCE_ID) if name == SOURCE_FILE else pl.col(name)
        for name in frame.collect_schema().names()
    ]
    return frame.select(columns)


def _id_of_path(ids: Mapping[str, int]) -> pl.Expr:
    """`source_file` -> its id, element by element, so a lazy frame still streams (polars'
    `replace_strict` gathers the whole column first: 4.5 GB for 20 M rows)."""
    import polars as pl

    column = pl.col(SOURCE_FILE)
    if not ids:
        return pl.lit(None, pl.Int32)
    ordered = sorted(ids, key=ids.__getitem__)
    first = ids[ordered[0]]
    if [ids[path] for path in ordered] == list(range(first, first + len(ordered))):
        # Consecutive ids (one rebuild's new files): the id is the path's place in the list.
        place = column.cast(pl.Enum(ordered)).to_physical().cast(pl.Int32)
        return place + first
    return pl.coalesce(
        [pl.when(column == path).then(pl.lit(ids[path], pl.Int32)) for path in ordered]
    )


def with_source_files(frame: pl.DataFrame, curated: Path) -> pl.DataFrame:
    """`frame` (read from `curated`, every column as text) with `source_file` paths: mapped
    from `source_id` through the sidecar, or as they are in an older file that has paths."""
    import polars as pl

    if SOURCE_ID not in frame.columns:
        return frame
    sources = read_sources(curated)
    ids = frame[SOURCE_ID].drop_nulls().unique().to_list()
    unknown = sorted(i for i in ids if not i.isdigit() or int(i) not in sources)
    if unknown:
        raise LineageError(
            f"{curated.name} names source id(s) {', '.join(unknown[:5])} that "
            f"{sources_path(curated).name} does not list: re-run its cleaners to rebuild both."
        )
    mapping = {i: sources[int(i)] for i in ids}
    path = pl.col(SOURCE_ID).replace_strict(mapping, default=None, return_dtype=pl.String)
    return frame.with_columns(path.alias(SOURCE_FILE))

"""Curated rows read back as a user's tools see them: each `source_id` resolved to its path
through the sidecar (common.lineage), so tests keep asserting where a row came from."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, insert, select

from common.lineage import SOURCE_FILE, SOURCE_ID, read_sources
from common.warehouse.models import Expense, OriginFile, RoyaltyLine


def with_source_paths(rows: list[dict[str, str]], curated: Path) -> list[dict[str, str]]:
    """`rows` of `curated` with `source_id` turned back into `source_file`, in its place."""
    if not rows or SOURCE_ID not in rows[0]:
        return rows
    sources = read_sources(curated)

    def path(text: str) -> str:
        return sources[int(text)] if text else ""

    return [
        {
            (SOURCE_FILE if k == SOURCE_ID else k): (path(v) if k == SOURCE_ID else v)
            for k, v in row.items()
        }
        for row in rows
    ]


def compact_header(columns: list[str] | tuple[str, ...]) -> list[str]:
    """A curated header as written: `source_file` stored as `source_id`."""
    return [SOURCE_ID if c == SOURCE_FILE else c for c in columns]


def origin_id(connection: Connection, path: str) -> int:
    """The `origin_files` id of a raw export's path, made on first use (as a load does)."""
    found = connection.execute(select(OriginFile.id).where(OriginFile.path == path)).scalar()
    if found is None:
        made = insert(OriginFile).values(path=path).returning(OriginFile.id)
        found = connection.execute(made).scalar_one()
    return int(found)


def origin_paths(connection: Connection, model: type[RoyaltyLine] | type[Expense]) -> set[str]:
    """The raw exports the warehouse's royalty lines (or expenses) name."""
    query = select(OriginFile.path).join(model, model.origin_file_id == OriginFile.id).distinct()
    return set(connection.execute(query).scalars())

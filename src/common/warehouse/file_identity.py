"""Which loaded files are unchanged, told from the file system instead of by hashing them again.

The ETL wrote its curated files itself, so (as landing does for its own files) a file whose
path, size and modification time are those recorded when it was last loaded is unchanged: an
ETL with nothing new costs a `stat` per file, whatever the files' sizes. Only a file whose stat
changed is hashed; when its content is still the same, the new stat is recorded and nothing loads.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from sqlalchemy import BigInteger, Connection, Integer, column, inspect, select
from sqlalchemy import table as sql_table
from sqlalchemy import text, update

# source_files with the two columns migration 10 adds (the SourceFile model predates them).
SOURCE_FILES = sql_table(
    "source_files",
    column("id", Integer),
    column("path"),
    column("sha256"),
    column("size_bytes", BigInteger),
    column("mtime_ns", BigInteger),
)


@dataclass(frozen=True)
class LoadedFile:
    """What source_files remembers of one loaded file."""

    id: int
    sha256: str
    size_bytes: int | None
    mtime_ns: int | None

    def same_stat(self, stat: os.stat_result) -> bool:
        return (self.size_bytes, self.mtime_ns) == (stat.st_size, stat.st_mtime_ns)


def loaded_files(connection: Connection) -> dict[str, LoadedFile]:
    """Every loaded file by its lake-relative path, in one query."""
    files = SOURCE_FILES.c
    rows = connection.execute(
        select(files.path, files.id, files.sha256, files.size_bytes, files.mtime_ns)
    )
    return {row[0]: LoadedFile(row[1], row[2], row[3], row[4]) for row in rows}


def remember_stat(connection: Connection, file_id: int, stat: os.stat_result) -> None:
    """Record the size and modification time that go with the content just loaded or checked."""
    connection.execute(
        update(SOURCE_FILES)
        .where(SOURCE_FILES.c.id == file_id)
        .values(size_bytes=stat.st_size, mtime_ns=stat.st_mtime_ns)
    )


def add_file_identity(connection: Connection) -> None:
    """Migration 10: source_files gains size_bytes and mtime_ns (empty until a file's next load
    or check, which hashes it once more and fills them)."""
    present = {c["name"] for c in inspect(connection).get_columns("source_files")}
    for name in ("size_bytes", "mtime_ns"):
        if name not in present:
            connection.execute(text(f"ALTER TABLE source_files ADD COLUMN {name} BIGINT"))

"""Loading curated files: one transaction per file, skipped when its content is unchanged,
replacing exactly the rows that file loaded before. Batched inserts through the driver."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import polars as pl
from sqlalchemy import Connection, Engine, Table, delete, insert, select, update

from common.artists import ArtistDirectory
from common.hashing import sha256_file
from common.lake import Lake
from common.warehouse.dimensions import Dimensions
from common.warehouse.models import SourceFile, database_columns
from common.zones import CURATED

BATCH_ROWS = 100_000
REBUILD_INDEXES_FROM = 50_000


@dataclass(frozen=True)
class LoadContext:
    """What a loader gets: the open transaction, dimensions, and its source file row."""

    connection: Connection
    dimensions: Dimensions
    source_file_id: int
    path: Path

    @property
    def dialect(self) -> str:
        return self.connection.dialect.name


Loader = Callable[[LoadContext], int]


@dataclass(frozen=True)
class Source:
    """A curated dataset: which files (a glob in 4_curated), which fact tables, how to load."""

    dataset: str
    pattern: str
    facts: tuple[Table, ...]
    load: Loader


@dataclass
class Outcome:
    dataset: str
    path: str
    status: str  # loaded | unchanged | failed | missing
    rows: int = 0
    message: str = ""


@dataclass
class LoadReport:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "failed"]


def bulk_insert(
    connection: Connection, table: Table, columns: Sequence[str], rows: pl.DataFrame
) -> int:
    """executemany through the driver in batches, inside the caller's transaction.

    `columns` are the model's attribute names; a money attribute is written to its own database
    column (`earnings_usd` -> `earnings_picousd`). On SQLite a large load drops the table's plain
    indexes first and rebuilds them after, in the same transaction: one sorted build is far
    cheaper than two million B-tree updates.
    """
    rebuild = (
        [index for index in table.indexes if not index.unique]
        if connection.dialect.name == "sqlite" and rows.height >= REBUILD_INDEXES_FROM
        else []
    )
    for index in rebuild:
        index.drop(connection)
    marker = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    names = database_columns(table)
    sql = (
        f"INSERT INTO {table.name} ({', '.join(names.get(c, c) for c in columns)}) "
        f"VALUES ({', '.join(marker for _ in columns)})"
    )
    cursor = connection.connection.cursor()
    try:
        for offset in range(0, rows.height, BATCH_ROWS):
            cursor.executemany(sql, rows.slice(offset, BATCH_ROWS).rows())
    finally:
        cursor.close()
    for index in rebuild:
        index.create(connection)
    return rows.height


def _retire_gone_files(connection: Connection, lake: Lake, source: Source) -> None:
    """Rows of a dataset's files that left 4_curated (archived dated versions) are removed."""
    for file_id, path in connection.execute(
        select(SourceFile.id, SourceFile.path).where(SourceFile.dataset == source.dataset)
    ):
        if not (lake.root / path).exists():
            for table in source.facts:
                connection.execute(delete(table).where(table.c.source_file_id == file_id))
            connection.execute(delete(SourceFile).where(SourceFile.id == file_id))


def _load_file(
    engine: Engine, lake: Lake, source: Source, path: Path, artists: ArtistDirectory
) -> Outcome:
    relative = path.relative_to(lake.root).as_posix()
    digest = sha256_file(path)
    with engine.connect() as connection:
        with _trusted_keys(connection), connection.begin():
            return _replace_rows(connection, lake, source, path, relative, digest, artists)


@contextmanager
def _trusted_keys(connection: Connection) -> Iterator[None]:
    """On SQLite, skip the per-row foreign-key lookups while a file loads: every id a loader
    writes comes from the dimension rows of the same transaction."""
    if connection.dialect.name != "sqlite":
        yield
        return
    # A PRAGMA outside a transaction: end SQLAlchemy's autobegun one right after it.
    connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    connection.commit()
    try:
        yield
    finally:
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        connection.commit()


def _replace_rows(
    connection: Connection,
    lake: Lake,
    source: Source,
    path: Path,
    relative: str,
    digest: str,
    artists: ArtistDirectory,
) -> Outcome:
    _retire_gone_files(connection, lake, source)
    known = connection.execute(
        select(SourceFile.id, SourceFile.sha256).where(SourceFile.path == relative)
    ).first()
    if known is not None and known.sha256 == digest:
        return Outcome(source.dataset, relative, "unchanged")
    if known is None:
        file_id = connection.execute(
            insert(SourceFile).returning(SourceFile.id),
            {"path": relative, "dataset": source.dataset, "sha256": digest,
             "row_count": 0, "loaded_at": datetime.now()},  # fmt: skip
        ).scalar_one()
    else:
        file_id = known.id
        for table in source.facts:
            connection.execute(delete(table).where(table.c.source_file_id == file_id))
    rows = source.load(LoadContext(connection, Dimensions(connection, artists), file_id, path))
    connection.execute(
        update(SourceFile)
        .where(SourceFile.id == file_id)
        .values(sha256=digest, row_count=rows, loaded_at=datetime.now())
    )
    return Outcome(source.dataset, relative, "loaded", rows)


def load_sources(
    engine: Engine, lake: Lake, sources: Sequence[Source], log: logging.Logger
) -> LoadReport:
    """Load every curated file of `sources`; a file that fails is rolled back and reported, and
    every other file still loads."""
    report = LoadReport()
    artists = ArtistDirectory.load(lake)
    for source in sources:
        paths = sorted(lake.zone(CURATED).glob(source.pattern))
        if not paths:
            log.info("%s: no curated %s yet: nothing to load.", source.dataset, source.pattern)
            report.outcomes.append(Outcome(source.dataset, source.pattern, "missing"))
            continue
        for path in paths:
            try:
                outcome = _load_file(engine, lake, source, path, artists)
            except Exception as error:  # one file's failure never stops the others
                relative = path.relative_to(lake.root).as_posix()
                log.error(
                    "Could not load %s into %s: %s: %s (nothing of it was loaded)",
                    relative, source.dataset, type(error).__name__, error,
                )  # fmt: skip
                outcome = Outcome(source.dataset, relative, "failed", message=str(error))
            else:
                if outcome.status == "unchanged":
                    log.info(
                        "%s: %s is unchanged since its last load.", source.dataset, outcome.path
                    )
                else:
                    log.info(
                        "%s: loaded %d rows from %s.", source.dataset, outcome.rows, outcome.path
                    )
            report.outcomes.append(outcome)
    return report

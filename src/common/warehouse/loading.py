"""Loading curated files: one transaction per file, skipped when it is unchanged, replacing
exactly the rows that file loaded before. Rows stream to the driver in batches: executemany on
SQLite, COPY on PostgreSQL."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import (
    Connection,
    Engine,
    Index,
    Table,
    delete,
    insert,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.engine.interfaces import (
    ReflectedForeignKeyConstraint,
    ReflectedPrimaryKeyConstraint,
)

from common.artists import ArtistDirectory
from common.hashing import sha256_file
from common.lake import Lake
from common.warehouse.database import WarehouseUnavailable
from common.warehouse.dimensions import Dimensions
from common.warehouse.file_identity import LoadedFile, loaded_files, remember_stat
from common.warehouse.models import SourceFile, database_columns
from common.zones import CURATED

BATCH_ROWS = 50_000
REBUILD_INDEXES_FROM = 50_000
# SQLite's page cache during a large load. An index rebuild sorts every key in that cache: a
# small one sorts in runs that fit the CPU's own cache and merges them, several times faster
# than one list the size of the connection's 256 MiB cache, and the load's memory stays low.
LOAD_CACHE_KIB = 16_384
Rows = pl.DataFrame | pl.LazyFrame | Iterable[pl.DataFrame]


@dataclass(frozen=True)
class LoadContext:
    """What a loader gets: the open transaction, dimensions, and its source file row."""

    connection: Connection
    dimensions: Dimensions
    source_file_id: int
    path: Path
    # What the loader wants the user to know about this file (one sentence each): logged as
    # warnings once the load is in.
    warnings: list[str] = field(default_factory=list)

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
    warnings: list[str] = field(default_factory=list)
    # The warehouse itself could not be written (held by another program, a full disk): the
    # files after this one are not tried, each would only wait the same time again.
    warehouse_unavailable: bool = False


@dataclass
class LoadReport:
    outcomes: list[Outcome] = field(default_factory=list)
    # Datasets whose gone files' rows were removed without any new file loading.
    retired: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    @property
    def changed(self) -> bool:
        """Whether any fact row was added or removed: derived tables need refreshing."""
        return bool(self.retired) or any(o.status == "loaded" for o in self.outcomes)


def bulk_insert(connection: Connection, table: Table, columns: Sequence[str], rows: Rows) -> int:
    """Insert `rows` (a frame, a lazy frame, or frames one after another, as a loader maps
    `curated_batches`: a large file never sits in memory whole) inside the caller's
    transaction; returns how many rows went in.

    `columns` are the model's attribute names; a money attribute is written to its own database
    column (`earnings_usd` -> `earnings_picousd`). PostgreSQL takes the rows through COPY, SQLite
    through executemany. A load large next to its table first sets the table's plain indexes
    aside (on PostgreSQL its foreign keys too, which it would otherwise check row by row, and its
    primary key unless another table refers to it) and restores them after, in the same
    transaction: one sorted build is far cheaper than millions of B-tree updates, and
    PostgreSQL's foreign keys come back NOT VALID (enforced for later writes; the copied rows'
    ids are the loader's own) instead of millions of key lookups.
    """
    names = database_columns(table)
    targets = [names.get(c, c) for c in columns]
    before = _row_estimate(connection, table)
    aside = _SetAside(connection, table)
    inserted = 0
    cursor = connection.connection.cursor()
    try:
        for batch in _batches(rows):
            inserted += batch.height
            if inserted >= max(REBUILD_INDEXES_FROM, before // 4):
                aside.drop()
            _write(connection, cursor, table.name, targets, batch)
        aside.restore()
    finally:
        cursor.close()
        aside.reset_cache()
    return inserted


def _write(
    connection: Connection, cursor: Any, name: str, targets: Sequence[str], batch: pl.DataFrame
) -> None:
    if connection.dialect.name == "postgresql":
        # polars writes a null as nothing and an empty text as "", as COPY's CSV tells them apart
        sql = f"COPY {name} ({', '.join(targets)}) FROM STDIN (FORMAT csv)"
        with cursor.copy(sql) as copy:
            copy.write(batch.write_csv(include_header=False))
        return
    marker = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    shared = _shared_literals(batch) if connection.dialect.name == "sqlite" else {}
    values = [shared.get(column, marker) for column in batch.columns]
    sql = f"INSERT INTO {name} ({', '.join(targets)}) VALUES ({', '.join(values)})"
    bound = [series.to_list() for series in batch.get_columns() if series.name not in shared]
    cursor.executemany(sql, zip(*bound) if bound else ((),) * batch.height)


def _shared_literals(batch: pl.DataFrame) -> dict[str, str]:
    """The columns holding one value on every row of `batch` (the source file, its raw path, a
    reporting date, nothing at all), as SQL literals: written once into the statement rather
    than made into a Python object and bound on each of its rows. Only text, integers and NULL,
    which a literal stores exactly as the driver binds them (a quoted literal is TEXT)."""
    shared: dict[str, str] = {}
    for series in batch.get_columns():
        if series.len() and series.null_count() == series.len():
            shared[series.name] = "NULL"  # a column the export leaves empty (recoup)
            continue
        literal = _literal(series[0]) if series.len() else None
        if literal is None or series[-1] != series[0] or series.null_count():
            continue
        if (series == series[0]).all():
            shared[series.name] = literal
    return shared


def _literal(value: object) -> str | None:
    """`value` as an SQLite literal, or None when a literal would not store it as binding does."""
    if isinstance(value, str) and "\x00" not in value:
        return "'" + value.replace("'", "''") + "'"
    if isinstance(value, int) and not isinstance(value, bool) and -(2**63) <= value < 2**63:
        return str(value)
    return None


def _batches(rows: Rows) -> Iterator[pl.DataFrame]:
    if isinstance(rows, pl.DataFrame):
        yield from rows.iter_slices(BATCH_ROWS)
    elif isinstance(rows, pl.LazyFrame):
        yield from rows.collect_batches(chunk_size=BATCH_ROWS)
    else:
        for frame in rows:
            yield from frame.iter_slices(BATCH_ROWS)


def _row_estimate(connection: Connection, table: Table) -> int:
    """About how many rows `table` holds, without counting them (a count reads them all)."""
    if connection.dialect.name == "sqlite":
        found = connection.exec_driver_sql(f"SELECT MAX(rowid) FROM {table.name}").scalar()
    elif connection.dialect.name == "postgresql":
        found = connection.execute(
            text("SELECT reltuples FROM pg_class WHERE relname = :name"), {"name": table.name}
        ).scalar()
    else:
        return 0
    return max(int(found or 0), 0)


class _SetAside:
    """A table's plain indexes (and, on PostgreSQL, its foreign keys and, when no other table
    refers to it, its primary key) dropped for a large load and recreated after it, inside the
    load's transaction."""

    def __init__(self, connection: Connection, table: Table) -> None:
        self.connection = connection
        self.table = table
        self.indexes: list[Index] = []
        self.foreign_keys: list[ReflectedForeignKeyConstraint] = []
        self.primary_key: ReflectedPrimaryKeyConstraint | None = None
        self.dropped = False
        self.cache: int | None = None

    def drop(self) -> None:
        if self.dropped:
            return
        self.dropped = True
        self.indexes = [index for index in self.table.indexes if not index.unique]
        for index in self.indexes:
            index.drop(self.connection)
        if self.connection.dialect.name == "sqlite":
            # A small page cache from here on: the table is written in order, and the rebuild
            # sorts in runs that fit the CPU's cache (peak memory stays low too).
            self.cache = int(self.connection.exec_driver_sql("PRAGMA cache_size").scalar() or 0)
            self.connection.exec_driver_sql(f"PRAGMA cache_size=-{LOAD_CACHE_KIB}")
        if self.connection.dialect.name == "postgresql":
            self.foreign_keys = inspect(self.connection).get_foreign_keys(self.table.name)
            for key in self.foreign_keys:
                self.connection.exec_driver_sql(
                    f"ALTER TABLE {self.table.name} DROP CONSTRAINT {key['name']}"
                )
            self._drop_primary_key()

    def _drop_primary_key(self) -> None:
        """COPY updates the primary key's B-tree row by row (~2 s of a 2 M-line load's ~6 s); one
        sorted build after it takes ~0.5 s. Kept when another table's foreign key refers to it."""
        referred = self.connection.execute(
            text(
                "SELECT 1 FROM pg_constraint"
                " WHERE contype = 'f' AND confrelid = CAST(:t AS regclass)"
            ),
            {"t": self.table.name},
        ).first()
        key = inspect(self.connection).get_pk_constraint(self.table.name)
        if referred is None and key.get("name") and key["constrained_columns"]:
            self.primary_key = key
            self.connection.exec_driver_sql(
                f"ALTER TABLE {self.table.name} DROP CONSTRAINT {key['name']}"
            )

    def restore(self) -> None:
        if self.primary_key is not None:
            columns = ", ".join(self.primary_key["constrained_columns"])
            self.connection.exec_driver_sql(
                f"ALTER TABLE {self.table.name} ADD CONSTRAINT {self.primary_key['name']} "
                f"PRIMARY KEY ({columns})"
            )
        for index in self.indexes:
            index.create(self.connection)
        for key in self.foreign_keys:
            # NOT VALID: enforced for every later write, but the rows just copied are not
            # scanned again (a join per key, 0.4 s each at 2 M lines): their ids are the
            # loader's own, from the dimension rows of this transaction, as SQLite loads with
            # its foreign keys off (`_trusted_keys`).
            on_delete = key["options"].get("ondelete")
            self.connection.exec_driver_sql(
                f"ALTER TABLE {self.table.name} ADD CONSTRAINT {key['name']} FOREIGN KEY "
                f"({', '.join(key['constrained_columns'])}) REFERENCES {key['referred_table']} "
                f"({', '.join(key['referred_columns'])})"
                + (f" ON DELETE {on_delete}" if on_delete else "")
                + " NOT VALID"
            )

    def reset_cache(self) -> None:
        """The connection's own page cache again (it goes back to the pool after the load)."""
        if self.cache is not None:
            self.connection.exec_driver_sql(f"PRAGMA cache_size={self.cache}")
            self.cache = None


def _gone_files(connection: Connection, lake: Lake, source: Source) -> list[int]:
    """Ids of a dataset's files that left 4_curated (archived dated versions)."""
    return [
        file_id
        for file_id, path in connection.execute(
            select(SourceFile.id, SourceFile.path).where(SourceFile.dataset == source.dataset)
        )
        if not (lake.root / path).exists()
    ]


def _retire_gone_files(connection: Connection, lake: Lake, source: Source) -> bool:
    """Rows of a dataset's files that left 4_curated are removed; True when there were any."""
    gone = _gone_files(connection, lake, source)
    for file_id in gone:
        for table in source.facts:
            connection.execute(delete(table).where(table.c.source_file_id == file_id))
        connection.execute(delete(SourceFile).where(SourceFile.id == file_id))
    return bool(gone)


def _load_file(
    engine: Engine,
    lake: Lake,
    source: Source,
    path: Path,
    artists: ArtistDirectory,
    known: LoadedFile | None,
) -> Outcome:
    """A file whose stat is the one recorded at its last load is unchanged without being read;
    any other is hashed, and loads only when its content differs from what was loaded."""
    relative = path.relative_to(lake.root).as_posix()
    stat = path.stat()
    if known is not None and known.same_stat(stat):
        return Outcome(source.dataset, relative, "unchanged")
    digest = sha256_file(path)
    with engine.connect() as connection:
        if known is not None and known.sha256 == digest:
            with connection.begin():  # touched, not changed: remember its new stat
                remember_stat(connection, known.id, stat)
            return Outcome(source.dataset, relative, "unchanged")
        with _trusted_keys(connection), connection.begin():
            outcome = _replace_rows(connection, lake, source, path, relative, digest, artists)
            remember_stat(connection, outcome.file_id, stat)
            return outcome


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


@dataclass
class _Loaded(Outcome):
    file_id: int = 0


def _replace_rows(
    connection: Connection,
    lake: Lake,
    source: Source,
    path: Path,
    relative: str,
    digest: str,
    artists: ArtistDirectory,
) -> _Loaded:
    _retire_gone_files(connection, lake, source)
    known = connection.execute(
        select(SourceFile.id, SourceFile.sha256).where(SourceFile.path == relative)
    ).first()
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
    context = LoadContext(connection, Dimensions(connection, artists), file_id, path)
    rows = source.load(context)
    connection.execute(
        update(SourceFile)
        .where(SourceFile.id == file_id)
        .values(sha256=digest, row_count=rows, loaded_at=datetime.now())
    )
    return _Loaded(
        source.dataset, relative, "loaded", rows, warnings=context.warnings, file_id=file_id
    )


def load_sources(
    engine: Engine, lake: Lake, sources: Sequence[Source], log: logging.Logger
) -> LoadReport:
    """Load every curated file of `sources`; a file that fails is rolled back and reported, and
    every other file still loads."""
    report = LoadReport()
    artists = ArtistDirectory.load(lake)
    with engine.connect() as connection:
        known = loaded_files(connection)
    unavailable = ""
    for source in sources:
        paths = sorted(lake.zone(CURATED).glob(source.pattern))
        if not paths:
            log.info("%s: no curated %s yet: nothing to load.", source.dataset, source.pattern)
            report.outcomes.append(Outcome(source.dataset, source.pattern, "missing"))
            # The dataset's last file left 4_curated (archived): its rows leave with it.
            if not unavailable and _retire_alone(engine, lake, source):
                log.info("%s: removed the rows of files no longer in 4_curated.", source.dataset)
                report.retired.append(source.dataset)
            continue
        outcomes: list[Outcome] = []
        for path in paths:
            if unavailable:
                relative = path.relative_to(lake.root).as_posix()
                outcomes.append(Outcome(source.dataset, relative, "failed", message=unavailable))
                continue
            outcomes.append(_load_logged(engine, lake, source, path, artists, known, log))
            if outcomes[-1].warehouse_unavailable:
                unavailable = f"not tried: {outcomes[-1].message}"
                log.error(
                    "The files after %s are not tried: the warehouse is unavailable.", path.name
                )
        report.outcomes += outcomes
        if unavailable:
            continue
        if all(o.status == "unchanged" for o in outcomes) and _retire_alone(engine, lake, source):
            log.info("%s: removed the rows of files no longer in 4_curated.", source.dataset)
            report.retired.append(source.dataset)
    return report


def _load_logged(
    engine: Engine,
    lake: Lake,
    source: Source,
    path: Path,
    artists: ArtistDirectory,
    known: dict[str, LoadedFile],
    log: logging.Logger,
) -> Outcome:
    relative = path.relative_to(lake.root).as_posix()
    try:
        outcome = _load_file(engine, lake, source, path, artists, known.get(relative))
    except Exception as error:  # one file's failure never stops the others
        log.error(
            "Could not load %s into %s: %s: %s (nothing of it was loaded)",
            relative, source.dataset, type(error).__name__, error,
        )  # fmt: skip
        return Outcome(
            source.dataset,
            relative,
            "failed",
            message=str(error),
            warehouse_unavailable=isinstance(error, WarehouseUnavailable),
        )
    if outcome.status == "unchanged":
        log.info("%s: %s is unchanged since its last load.", source.dataset, outcome.path)
    else:
        log.info("%s: loaded %d rows from %s.", source.dataset, outcome.rows, outcome.path)
    for warning in outcome.warnings:
        log.warning("%s: %s", outcome.path, warning)
    return outcome


def _retire_alone(engine: Engine, lake: Lake, source: Source) -> bool:
    """When every file of a dataset is unchanged, its gone files are retired on their own (a
    load retires them in its own transaction; a failed one keeps them, as it keeps its old rows)."""
    with engine.connect() as connection:
        gone = _gone_files(connection, lake, source)
        connection.rollback()  # end the read's own transaction before the write's
        if not gone:
            return False
        with _trusted_keys(connection), connection.begin():
            return _retire_gone_files(connection, lake, source)

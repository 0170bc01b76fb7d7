"""Bulk loads (streamed batches, COPY on PostgreSQL), the ETL with nothing new, and upkeep."""

from __future__ import annotations

import json
import logging
import os
from datetime import datetime, timedelta
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import (
    Column,
    Engine,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    func,
    inspect,
    select,
    text,
)
from sqlalchemy.exc import IntegrityError

from common.hashing import sha256_file
from common.lake import Lake
from common.script import ScriptContext
from common.settings import SettingsError
from common.warehouse import loading
from common.warehouse.database import make_engine, migrate
from common.warehouse.etl import run_groups
from common.warehouse.loaders.frames import curated_batches
from common.warehouse.loading import bulk_insert
from common.warehouse.models import OriginFile, Platform, RoyaltyLine, SourceFile, Territory
from common.warehouse.upkeep import (
    UpkeepSettings,
    load_upkeep_settings,
    upkeep,
    warehouse_upkeep,
)
from common.warehouse.upkeep_tables import UPKEEP_LOG
from tests.pgserver import PostgresServer
from tests.reports.conftest import make_run
from tests.warehouse.conftest import NoPostgres, Warehouse, etl, require_postgres

BANK = "dk_bank_details.csv"


def _royalty_lines(engine: Engine) -> list[tuple[object, ...]]:
    """Every royalty line as the analyst reads it: dates as text, money as exact Decimal."""
    query = (
        select(
            func.cast(RoyaltyLine.reporting_date, String),
            RoyaltyLine.sale_month,
            Platform.name,
            Territory.code,
            RoyaltyLine.title,
            RoyaltyLine.quantity,
            RoyaltyLine.earnings_usd,
            RoyaltyLine.recoup_usd,
            OriginFile.path,
            RoyaltyLine.origin_row,
        )
        .join(Platform, Platform.id == RoyaltyLine.platform_id)
        .outerjoin(Territory, Territory.id == RoyaltyLine.territory_id)
        .join(OriginFile, OriginFile.id == RoyaltyLine.origin_file_id)
        .order_by(OriginFile.path, RoyaltyLine.origin_row)
    )
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(query)]


def test_a_postgresql_load_through_copy_equals_the_sqlite_load_to_the_picodollar(
    curated_lake: Lake, postgres: PostgresServer | NoPostgres
) -> None:
    server = require_postgres(postgres)
    sqlite_url = f"sqlite:///{curated_lake.root / 'data_warehouse' / 'bedrot_analytics.db'}"
    postgres_url = server.create_database("copy_equals_sqlite")
    for url in (sqlite_url, postgres_url):
        done = etl(curated_lake, env={"WAREHOUSE_URL": url})
        assert done.returncode == 0, done.stderr

    on_sqlite = _royalty_lines(make_engine(sqlite_url))
    on_postgres = _royalty_lines(make_engine(postgres_url))

    assert len(on_sqlite) > 100
    assert on_postgres == on_sqlite
    total = sum(row[6] for row in on_postgres)  # type: ignore[misc]
    assert total == sum(row[6] for row in on_sqlite)  # type: ignore[misc]


NOTES = MetaData()
PARENTS = Table("bulk_parents", NOTES, Column("id", Integer, primary_key=True))
NOTE_TABLE = Table(
    "bulk_notes",
    NOTES,
    Column("id", Integer, primary_key=True),
    Column("n", Integer, index=True),
    Column("note", String(50)),
    Column("parent_id", Integer, ForeignKey("bulk_parents.id"), index=True),
)


def _notes_engine(name: str, tmp_path: Path, postgres: PostgresServer | NoPostgres) -> Engine:
    if name == "sqlite":
        return make_engine(f"sqlite:///{tmp_path / 'notes.db'}")
    return make_engine(require_postgres(postgres).create_database("bulk_notes"))


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_a_lazy_frame_streams_in_batches_and_keeps_empty_text_apart_from_missing(
    dialect: str,
    tmp_path: Path,
    postgres: PostgresServer | NoPostgres,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(loading, "BATCH_ROWS", 1_000)
    monkeypatch.setattr(loading, "REBUILD_INDEXES_FROM", 2_000)
    engine = _notes_engine(dialect, tmp_path, postgres)
    NOTES.create_all(engine)
    notes = [None, "", 'a "quoted", comma', "line\nbreak"]
    frame = pl.LazyFrame(
        {
            "n": range(5_000),
            "note": [notes[i % len(notes)] for i in range(5_000)],
            "parent_id": [1] * 5_000,
        }
    )

    with engine.begin() as connection:
        connection.execute(PARENTS.insert(), [{"id": 1}])
        inserted = bulk_insert(connection, NOTE_TABLE, ("n", "note", "parent_id"), frame)
    with engine.connect() as connection:
        back = connection.execute(select(NOTE_TABLE.c.n, NOTE_TABLE.c.note).order_by("n")).all()
        present = inspect(connection)
        indexes = {index["name"] for index in present.get_indexes("bulk_notes")}
        keys = [key["referred_table"] for key in present.get_foreign_keys("bulk_notes")]

    assert inserted == 5_000
    assert [tuple(row) for row in back] == [(i, notes[i % len(notes)]) for i in range(5_000)]
    # Set aside for the load and back after it: the indexes, and PostgreSQL's foreign key.
    assert indexes == {"ix_bulk_notes_n", "ix_bulk_notes_parent_id"}
    assert keys == ["bulk_parents"]
    if dialect == "postgresql":
        _assert_key_enforced_without_rescanning_the_load(engine)
        _assert_primary_keys_back(engine)


def _assert_key_enforced_without_rescanning_the_load(engine: Engine) -> None:
    """PostgreSQL's foreign key comes back NOT VALID (the copied rows are not joined again: their
    ids are the loader's own), the rows it holds satisfy it, and every later write is checked."""
    with engine.connect() as connection:
        validated = connection.execute(
            text(
                "SELECT convalidated FROM pg_constraint WHERE conname = 'bulk_notes_parent_id_fkey'"
            )
        ).scalar_one()
    assert validated is False
    with engine.begin() as connection:  # the loaded rows hold: validating them passes
        connection.execute(
            text("ALTER TABLE bulk_notes VALIDATE CONSTRAINT bulk_notes_parent_id_fkey")
        )
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(NOTE_TABLE.insert(), [{"n": -1, "note": "orphan", "parent_id": 99}])


def _assert_primary_keys_back(engine: Engine) -> None:
    """The notes' primary key, set aside for the COPY, is back and holds; the parents' one, which
    the notes refer to, stayed through a large load of its own (dropping it would fail)."""
    with engine.begin() as connection:
        more = pl.DataFrame({"id": range(2, 5_002)})
        assert bulk_insert(connection, PARENTS, ("id",), more) == 5_000
    with engine.connect() as connection:
        present = inspect(connection)
        keys = {name: present.get_pk_constraint(name) for name in ("bulk_notes", "bulk_parents")}
        ids = connection.execute(
            select(func.count(), func.count(NOTE_TABLE.c.id.distinct())).select_from(NOTE_TABLE)
        ).one()
    assert keys["bulk_notes"]["constrained_columns"] == ["id"]
    assert keys["bulk_parents"]["constrained_columns"] == ["id"]
    assert tuple(ids) == (5_000, 5_000)
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(
            NOTE_TABLE.insert(), [{"id": 1, "n": -1, "note": "again", "parent_id": 1}]
        )


def _context(lake: Lake) -> ScriptContext:
    return ScriptContext(lake, "warehouse", logging.getLogger("bedrot.test"))


def test_an_etl_with_nothing_new_reads_no_curated_file(
    curated_lake: Lake, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("WAREHOUSE_URL", raising=False)
    assert run_groups(_context(curated_lake), ["master", "financial"]) == 0
    engine = make_engine(
        f"sqlite:///{curated_lake.root / 'data_warehouse' / 'bedrot_analytics.db'}"
    )
    with engine.connect() as connection:
        first = connection.execute(select(SourceFile.path, SourceFile.loaded_at)).all()

    def no_reading(path: Path) -> str:
        raise AssertionError(f"{path} was hashed although nothing changed")

    monkeypatch.setattr(loading, "sha256_file", no_reading)
    monkeypatch.setattr(pl, "read_csv", no_reading)
    monkeypatch.setattr(pl, "scan_csv", no_reading)
    assert run_groups(_context(curated_lake), ["master", "financial"]) == 0
    with engine.connect() as connection:
        again = connection.execute(select(SourceFile.path, SourceFile.loaded_at)).all()
    assert again == first


def test_a_touched_file_is_hashed_once_and_a_changed_one_reloads(
    curated_lake: Lake, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("WAREHOUSE_URL", raising=False)
    assert run_groups(_context(curated_lake), ["financial"]) == 0
    bank = curated_lake.zone("4_curated") / BANK
    stat = bank.stat()
    os.utime(bank, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    hashed: list[Path] = []

    def counted(path: Path) -> str:
        hashed.append(path)
        return sha256_file(path)

    monkeypatch.setattr(loading, "sha256_file", counted)
    engine = make_engine(
        f"sqlite:///{curated_lake.root / 'data_warehouse' / 'bedrot_analytics.db'}"
    )

    run_groups(_context(curated_lake), ["financial"])
    run_groups(_context(curated_lake), ["financial"])
    assert hashed == [bank]  # the new stat was remembered after one hash

    lines = bank.read_text(encoding="utf-8").splitlines(keepends=True)
    bank.write_text("".join(lines[:-1]), encoding="utf-8")
    assert run_groups(_context(curated_lake), ["financial"]) == 0
    with engine.connect() as connection:
        count = connection.execute(select(func.count()).select_from(RoyaltyLine)).scalar_one()
    assert count == len(lines) - 2  # header and the dropped line


def test_upkeep_analyses_after_a_load_and_vacuums_on_its_schedule(
    warehouse: Warehouse, curated_lake: Lake
) -> None:
    done = etl(curated_lake, env=warehouse.env)
    assert done.returncode == 0, done.stderr
    engine = warehouse.engine()
    settings = UpkeepSettings(vacuum_every_days=30)
    now = datetime.now() + timedelta(minutes=1)

    first = upkeep(engine, settings, now)
    second = upkeep(engine, settings, now + timedelta(days=1))
    third = upkeep(engine, settings, now + timedelta(days=31))

    assert first.analyzed and first.vacuumed and not first.warnings
    assert first.bytes_before is not None and first.bytes_after is not None
    assert "VACUUM gave back" in first.sentence()
    assert not second.analyzed and not second.vacuumed
    assert second.sentence() == "Warehouse upkeep: nothing due."
    assert third.vacuumed and not third.analyzed
    with engine.connect() as connection:
        tasks = connection.execute(select(UPKEEP_LOG.c.task).order_by(UPKEEP_LOG.c.id)).scalars()
        assert list(tasks) == ["analyze", "vacuum", "vacuum"]
        if warehouse.name == "sqlite":
            stats = connection.execute(text("SELECT COUNT(*) FROM sqlite_stat1")).scalar_one()
            assert stats > 0


def test_vacuum_gives_back_the_space_of_deleted_rows_on_sqlite(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'w.db'}")
    migrate(engine)
    with engine.begin() as connection:
        connection.execute(
            SourceFile.__table__.insert(),  # type: ignore[attr-defined]
            [{"path": f"4_curated/f{i}.csv", "dataset": "d", "sha256": "x" * 64,
              "row_count": 0, "loaded_at": datetime.now()} for i in range(20_000)],
        )  # fmt: skip
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM source_files WHERE id > 1"))

    done = upkeep(engine, UpkeepSettings(), datetime.now() + timedelta(minutes=1))

    assert done.vacuumed and done.bytes_before and done.bytes_after
    assert done.bytes_after < done.bytes_before


def test_a_postgresql_role_that_may_not_vacuum_gets_no_failure(
    curated_lake: Lake, postgres: PostgresServer | NoPostgres
) -> None:
    server = require_postgres(postgres)
    url = server.create_database("upkeep_roles")
    assert etl(curated_lake, env={"WAREHOUSE_URL": url}).returncode == 0
    with make_engine(url).begin() as connection:
        connection.execute(text("CREATE ROLE visitor LOGIN"))
        connection.execute(text("GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA public TO visitor"))
        connection.execute(text("GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO visitor"))
    visitor = make_engine(url.replace("postgres@", "visitor@"))

    done = upkeep(visitor, UpkeepSettings(), datetime.now() + timedelta(minutes=1))

    assert done.analyzed and done.vacuumed  # tried; PostgreSQL skipped what it may not touch


def test_the_vacuum_schedule_is_read_from_config_and_checked(tmp_path: Path) -> None:
    lake = Lake(tmp_path)
    lake.config.mkdir(parents=True)
    assert load_upkeep_settings(lake) == UpkeepSettings(30)
    (lake.config / "warehouse.json").write_text(json.dumps({"vacuum_every_days": 7}))
    assert load_upkeep_settings(lake) == UpkeepSettings(7)
    (lake.config / "warehouse.json").write_text(json.dumps({"vacuum_every_days": "weekly"}))
    with pytest.raises(SettingsError, match="vacuum_every_days"):
        load_upkeep_settings(lake)


def test_the_upkeep_hook_creates_no_warehouse_and_fails_alone_on_a_bad_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("WAREHOUSE_URL", raising=False)
    lake = Lake(tmp_path)
    lake.config.mkdir(parents=True)

    nothing = warehouse_upkeep(make_run(lake))
    off = warehouse_upkeep(make_run(lake, warehouse=False))
    (lake.config / "warehouse.json").write_text("{not json", encoding="utf-8")
    broken = warehouse_upkeep(make_run(lake))

    assert "has not been loaded yet" in nothing.message and not nothing.failed
    assert not (tmp_path / "data_warehouse").exists()
    assert "off for this run" in off.message
    assert broken.failed and "warehouse.json" in broken.message


def test_a_warehouse_url_no_driver_can_open_fails_the_upkeep_hook_with_its_cause(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # e.g. a PostgreSQL URL on a machine without the driver: the hook fails, the run goes on
    monkeypatch.setenv("WAREHOUSE_URL", "nosuchdb://warehouse.example/bedrot")
    run = make_run(Lake(tmp_path))
    said: list[str] = []
    monkeypatch.setattr(run.log, "error", lambda *args: said.append(args[0] % args[1:]))

    outcome = warehouse_upkeep(run)

    assert outcome.failed and outcome.message.startswith("Warehouse upkeep stopped: it failed")
    assert "nosuchdb" in outcome.message
    assert "Traceback" in said[0]  # the whole story is in the run's log


def test_a_curated_file_read_in_chunks_keeps_every_row_and_quoted_line_breaks(
    tmp_path: Path,
) -> None:
    frame = pl.DataFrame(
        {
            "title": [
                f'Song {i}, "live"\nencore' if i % 7 == 0 else f"Song {i}" for i in range(500)
            ],
            "earnings_usd": [f"0.{i:04d}" for i in range(500)],
            "note": ["" if i % 5 == 0 else None for i in range(500)],
        }
    )
    path = tmp_path / "curated.csv"
    frame.write_csv(path)

    chunks = list(curated_batches(path, chunk_bytes=512))

    assert len(chunks) > 10  # the file really was read a little at a time
    assert pl.concat(chunks).equals(pl.read_csv(path, infer_schema=False))
    assert pl.concat(chunks)["title"].to_list() == frame["title"].to_list()


def test_the_upkeep_hook_runs_after_a_load_then_finds_nothing_due(
    curated_lake: Lake, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("WAREHOUSE_URL", raising=False)
    assert etl(curated_lake).returncode == 0

    after_load = warehouse_upkeep(make_run(curated_lake))
    next_run = warehouse_upkeep(make_run(curated_lake))

    assert not after_load.failed
    assert "statistics refreshed after the load" in after_load.message
    assert "VACUUM gave back" in after_load.message
    assert next_run.message == "Warehouse upkeep: nothing due."

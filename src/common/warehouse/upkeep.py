"""Step 6's warehouse upkeep: fresh planner statistics after a load, and VACUUM on a schedule.

A warehouse that is reloaded every day ages: the query planner's statistics describe last
month's tables, and the space of deleted rows (a reloaded file's old rows) is never given back.
After any load, SQLite gets a bounded `ANALYZE` (PostgreSQL `VACUUM ANALYZE`); every
`vacuum_every_days` (config/warehouse.json, default 30) SQLite is rebuilt by `VACUUM`, logged
with the bytes it gave back. Each is recorded in `warehouse_upkeep`. A run with nothing new and
nothing due reads that log (and the last load's time) with the standard library's sqlite3 and
never imports SQLAlchemy: step 6 of a daily run stays cheap.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from common.config_files import read_config_object
from common.lake import Lake, sqlite_warehouse_file
from common.settings import SettingsError

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

    from common.pipeline.hooks import HookOutcome
    from common.pipeline.run import PipelineRun

WAREHOUSE_CONFIG = "warehouse.json"
DEFAULT_VACUUM_EVERY_DAYS = 30
# Rows ANALYZE samples per index: statistics good enough for the planner in milliseconds
# rather than a full read of millions of royalty lines (SQLite's own advice for optimize).
ANALYSIS_LIMIT = 1000
PG_INSUFFICIENT_PRIVILEGE = "42501"


@dataclass(frozen=True)
class UpkeepSettings:
    vacuum_every_days: int = DEFAULT_VACUUM_EVERY_DAYS


def load_upkeep_settings(lake: Lake) -> UpkeepSettings:
    """`config/warehouse.json`, or the defaults when the lake has none."""
    config_file = lake.config / WAREHOUSE_CONFIG
    document = read_config_object(config_file, SettingsError)
    if document is None:
        return UpkeepSettings()
    days = document.get("vacuum_every_days", DEFAULT_VACUUM_EVERY_DAYS)
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise SettingsError(
            f"vacuum_every_days in {config_file} must be a whole number of days, at least 1."
        )
    return UpkeepSettings(days)


@dataclass
class UpkeepDone:
    """What one upkeep did; bytes are the database's size around a VACUUM."""

    analyzed: bool = False
    vacuumed: bool = False
    bytes_before: int | None = None
    bytes_after: int | None = None
    warnings: list[str] = field(default_factory=list)
    not_loaded: bool = False

    def sentence(self) -> str:
        if self.not_loaded:
            return "Warehouse upkeep: nothing to do, the warehouse has not been loaded yet."
        done = []
        if self.analyzed:
            done.append("statistics refreshed after the load")
        if self.vacuumed and self.bytes_before is not None and self.bytes_after is not None:
            freed = self.bytes_before - self.bytes_after
            done.append(
                f"VACUUM gave back {freed:,} bytes ({self.bytes_before:,} -> "
                f"{self.bytes_after:,})"
            )
        elif self.vacuumed:
            done.append("vacuumed")
        return "Warehouse upkeep: " + ("; ".join(done) if done else "nothing due") + "."


def what_is_due(
    last_load: datetime | None,
    analyzed: datetime | None,
    vacuumed: datetime | None,
    settings: UpkeepSettings,
    now: datetime,
) -> tuple[bool, bool]:
    """(analyze, vacuum): statistics after any load since the last ANALYZE; VACUUM when the
    last one is older than the schedule (or there was none). Nothing before a first load."""
    if last_load is None:
        return False, False
    analyze = analyzed is None or last_load > analyzed
    vacuum = vacuumed is None or now - vacuumed >= timedelta(days=settings.vacuum_every_days)
    return analyze, vacuum


def _last(connection: Connection, task: str) -> datetime | None:
    from sqlalchemy import func, select

    from common.warehouse.upkeep_tables import UPKEEP_LOG

    found = connection.execute(
        select(func.max(UPKEEP_LOG.c.done_at)).where(UPKEEP_LOG.c.task == task)
    ).scalar()
    return found if isinstance(found, datetime) else None


def _size(connection: Connection) -> int:
    from sqlalchemy import text

    if connection.dialect.name == "sqlite":
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar()
        page_size = connection.exec_driver_sql("PRAGMA page_size").scalar()
        return int(pages or 0) * int(page_size or 0)
    if connection.dialect.name == "postgresql":
        return int(
            connection.execute(text("SELECT pg_database_size(current_database())")).scalar() or 0
        )
    return 0


def upkeep(engine: Engine, settings: UpkeepSettings, now: datetime) -> UpkeepDone:
    """Analyse after a load and vacuum when due, recording each in `warehouse_upkeep`."""
    from sqlalchemy import func, insert, inspect, select

    from common.warehouse.models import SourceFile
    from common.warehouse.upkeep_tables import UPKEEP_LOG

    done = UpkeepDone()
    with engine.connect() as connection:
        if not inspect(connection).has_table(UPKEEP_LOG.name):
            done.not_loaded = True
            return done
        last_load = connection.execute(select(func.max(SourceFile.loaded_at))).scalar()
        analyzed, vacuumed = _last(connection, "analyze"), _last(connection, "vacuum")
    if last_load is None:
        done.not_loaded = True
        return done
    analyze_due, vacuum_due = what_is_due(last_load, analyzed, vacuumed, settings, now)
    if not (vacuum_due or analyze_due):
        return done
    autocommit = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
    with autocommit as connection:
        if connection.dialect.name == "postgresql":
            _vacuum_analyze_postgres(connection, done)
            done.analyzed = analyze_due
            done.vacuumed = vacuum_due
        elif connection.dialect.name == "sqlite":
            if analyze_due:
                connection.exec_driver_sql(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
                connection.exec_driver_sql("ANALYZE")
                done.analyzed = True
            if vacuum_due:
                done.bytes_before = _size(connection)
                connection.exec_driver_sql("VACUUM")
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                done.bytes_after = _size(connection)
                done.vacuumed = True
    with engine.begin() as connection:
        for task, happened in (("analyze", done.analyzed), ("vacuum", done.vacuumed)):
            if happened:
                connection.execute(
                    insert(UPKEEP_LOG).values(
                        task=task,
                        done_at=now,
                        bytes_before=done.bytes_before if task == "vacuum" else None,
                        bytes_after=done.bytes_after if task == "vacuum" else None,
                    )
                )
    return done


def _vacuum_analyze_postgres(connection: Connection, done: UpkeepDone) -> None:
    """`VACUUM ANALYZE` of the tables this role may maintain. PostgreSQL skips the others with
    a notice; a role refused outright is one warning, never a failed run."""
    from sqlalchemy.exc import DBAPIError

    done.bytes_before = _size(connection)
    try:
        connection.exec_driver_sql("VACUUM ANALYZE")
    except DBAPIError as error:
        code = getattr(error.orig, "sqlstate", None)
        if code != PG_INSUFFICIENT_PRIVILEGE:
            raise
        done.warnings.append(
            "The warehouse's PostgreSQL role may not VACUUM ANALYZE; ask its owner to run it "
            f"(or to grant MAINTAIN): {str(error.orig).strip()}"
        )
    done.bytes_after = _size(connection)


def _sqlite_nothing_due(database: Path, settings: UpkeepSettings, now: datetime) -> bool:
    """Whether a SQLite warehouse needs nothing, read without SQLAlchemy (and without
    writing: a read-only connection)."""
    try:
        with closing(
            sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
        ) as connection:
            last_load = connection.execute("SELECT MAX(loaded_at) FROM source_files").fetchone()
            done = dict(
                connection.execute(
                    "SELECT task, MAX(done_at) FROM warehouse_upkeep GROUP BY task"
                ).fetchall()
            )
    except sqlite3.Error:
        return False  # an older warehouse without the log: the full path finds out
    due = what_is_due(
        _moment(last_load[0]), _moment(done.get("analyze")), _moment(done.get("vacuum")),
        settings, now,
    )  # fmt: skip
    return due == (False, False)


def _moment(value: object) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else None


def warehouse_upkeep(run: PipelineRun) -> HookOutcome:
    """Step 6's upkeep hook: one sentence; a bad config/warehouse.json fails this hook only."""
    from common.pipeline.hooks import HookOutcome

    if not run.options.warehouse:
        return HookOutcome("Warehouse upkeep skipped: the warehouse load is off for this run.")
    try:
        settings = load_upkeep_settings(run.lake)
    except SettingsError as error:
        return HookOutcome(f"Warehouse upkeep not done: {error}", failed=True)
    now = datetime.now()
    database = sqlite_warehouse_file(run.lake)
    if database is not None and not database.is_file():
        return HookOutcome(UpkeepDone(not_loaded=True).sentence())
    if database is not None and _sqlite_nothing_due(database, settings, now):
        return HookOutcome(UpkeepDone().sentence())
    return _full_upkeep(run, settings, now)


def _full_upkeep(run: PipelineRun, settings: UpkeepSettings, now: datetime) -> HookOutcome:
    """The SQLAlchemy part, in the run's warm script host (`PipelineRun.call_heavy`)."""
    from common.pipeline.hooks import HookOutcome

    call = run.call_heavy(
        UPKEEP_TARGET,
        root=str(run.lake.root),
        now=now.isoformat(),
        vacuum_every_days=settings.vacuum_every_days,
    )
    if not call.ok or not isinstance(call.value, dict):
        return HookOutcome(f"Warehouse upkeep stopped: {call.problem()}.", failed=True)
    for warning in call.value["warnings"]:
        run.log.warning(warning)
    return HookOutcome(call.value["message"], failed=call.value["failed"])


UPKEEP_TARGET = "common.warehouse.upkeep:upkeep_in_host"


def upkeep_in_host(root: str, now: str, vacuum_every_days: int) -> dict[str, Any]:
    """Analyse and vacuum as due; the sentence, whether it failed and its warnings, as JSON."""
    from sqlalchemy.exc import DBAPIError

    from common.warehouse.database import (
        BusySettingError,
        WarehouseUnavailable,
        make_engine,
        warehouse_url,
    )

    def stopped(reason: str) -> dict[str, Any]:
        return {"message": f"Warehouse upkeep stopped: {reason}", "failed": True, "warnings": []}

    try:
        engine = make_engine(warehouse_url(Lake(Path(root))))
    except BusySettingError as error:
        return stopped(str(error))
    try:
        done = upkeep(engine, UpkeepSettings(vacuum_every_days), datetime.fromisoformat(now))
    except WarehouseUnavailable as error:  # held by another program, or a full disk
        return stopped(str(error))
    except DBAPIError as error:
        return stopped(f"{type(error.orig).__name__}: {error.orig}")
    finally:
        engine.dispose()
    return {"message": done.sentence(), "failed": False, "warnings": done.warnings}

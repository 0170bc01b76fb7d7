"""Which database (WAREHOUSE_URL, else SQLite under the lake), its settings and its migrations.

Migrations are a short ordered list kept in a `schema_migrations` table rather than Alembic:
the schema is young, every step is plain SQLAlchemy that runs the same on SQLite and
PostgreSQL, and the ETL applies what is missing before it loads anything.
"""

from __future__ import annotations

import errno
import math
import os
import sqlite3
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, make_url, text
from sqlalchemy.engine import ExceptionContext

# Where the warehouse is lives with the lake (the runner reads it without SQLAlchemy); the
# warehouse's users import it from here as well.
from common.lake import DEFAULT_SQLITE as DEFAULT_SQLITE  # noqa: F401
from common.lake import warehouse_url as warehouse_url  # noqa: F401
from common.warehouse.file_identity import add_file_identity
from common.warehouse.instagram_tables import create_instagram_tables
from common.warehouse.mailchimp_tables import create_mailchimp_tables
from common.warehouse.models import AdPerformancePeriod, Base, OriginFile, table
from common.warehouse.money_sql import PICO, decimal_text_sql
from common.warehouse.money_tables import create_money_tables
from common.warehouse.statement_tables import create_statement_tables
from common.warehouse.upkeep_tables import create_upkeep_log
from common.warehouse.views import create_ad_spend_view, create_readable_views
from common.warehouse.youtube_tables import create_youtube_tables

# How long a load waits for the warehouse while another program holds it (a long query in a
# spreadsheet or BI tool, a second load), before that load fails with a sentence saying so.
BUSY_SECONDS_ENV = "BEDROT_WAREHOUSE_BUSY_SECONDS"
DEFAULT_BUSY_SECONDS = 60.0
# SQLite's result codes (sqlite3.Error.sqlite_errorcode, low byte) and PostgreSQL's SQLSTATEs.
SQLITE_BUSY, SQLITE_LOCKED, SQLITE_FULL = 5, 6, 13
PG_LOCK_NOT_AVAILABLE, PG_DISK_FULL = "55P03", "53100"

V_STREAMS_DAILY_BY_PLATFORM = """
CREATE VIEW v_streams_daily_by_platform AS
SELECT s.stream_date AS stream_date, p.name AS platform, SUM(s.streams) AS streams
FROM daily_streams s JOIN platforms p ON p.id = s.platform_id
GROUP BY s.stream_date, p.name
"""
V_SPOTIFY_AUDIENCE = """
CREATE VIEW v_spotify_audience AS
SELECT a.audience_date AS audience_date, r.name AS artist, a.listeners, a.streams,
       a.followers, a.streams_28d
FROM spotify_audience_daily a JOIN artists r ON r.id = a.artist_id
"""


def _sqlite_settings(dbapi_connection: Any, _: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA cache_size=-262144")  # 256 MiB: big loads stay in memory
    cursor.execute("PRAGMA temp_store=MEMORY")
    cursor.execute("PRAGMA threads=2")  # index builds sort on both cores
    cursor.close()


class WarehouseUnavailable(Exception):
    """The warehouse could not take a write for a reason outside the data; the message says
    what to do."""


class WarehouseBusyError(WarehouseUnavailable):
    """Another program held the warehouse longer than the load would wait."""


class WarehouseDiskFullError(WarehouseUnavailable):
    """The disk under the warehouse is full."""


class BusySettingError(ValueError):
    """BEDROT_WAREHOUSE_BUSY_SECONDS is not a number of seconds."""


def busy_seconds() -> float:
    """How long a load waits for a warehouse another program holds (BEDROT_WAREHOUSE_BUSY_SECONDS,
    default 60)."""
    configured = os.environ.get(BUSY_SECONDS_ENV, "").strip()
    if not configured:
        return DEFAULT_BUSY_SECONDS
    try:
        seconds = float(configured)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < math.inf:
        raise BusySettingError(
            f"{BUSY_SECONDS_ENV} is {configured!r}; set it to a number of seconds (e.g. 60)."
        )
    return seconds


def describe_warehouse(url: str) -> str:
    """The warehouse as a user knows it: a SQLite file's path, a server without its password."""
    if url.startswith("sqlite"):
        return url.split(":///", 1)[-1] or url
    return url.split("@")[-1] if "@" in url else url


def _sqlite_code(error: BaseException | None) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def _is_disk_full(original: BaseException | None) -> bool:
    if isinstance(original, OSError) and original.errno in (
        errno.ENOSPC,
        getattr(errno, "EDQUOT", errno.ENOSPC),
    ):
        return True
    if _sqlite_code(original) == SQLITE_FULL:
        return True
    return getattr(original, "sqlstate", None) == PG_DISK_FULL


def _is_busy(original: BaseException | None) -> bool:
    if _sqlite_code(original) in (SQLITE_BUSY, SQLITE_LOCKED):
        return True
    return getattr(original, "sqlstate", None) == PG_LOCK_NOT_AVAILABLE


def _disk_full_sentence(where: str) -> str:
    return f"The disk is full while writing the warehouse {where}; free space and run again."


def _busy_sentence(where: str, seconds: float) -> str:
    return (
        f"The warehouse {where} is held by another program (a long query, a spreadsheet or a "
        f"second load) and was not free within {seconds:g} s; close that program or let it "
        f"finish, then run again ({BUSY_SECONDS_ENV} sets the wait)."
    )


def _plain_errors(where: str, seconds: float) -> Callable[[ExceptionContext], None]:
    """Turn the driver's "database is locked" and "disk is full" into the sentence a label
    owner acts on; the driver's error stays attached as the cause."""

    def translate(context: ExceptionContext) -> None:
        original = context.original_exception
        if _is_disk_full(original):
            raise WarehouseDiskFullError(_disk_full_sentence(where)) from original
        if _is_busy(original):
            raise WarehouseBusyError(_busy_sentence(where, seconds)) from original

    return translate


class SqliteWarehouseError(sqlite3.OperationalError):
    """SQLite's "disk is full" or "database is locked", said as the sentence a label owner acts
    on. Still an sqlite3.OperationalError (with its sqlite_errorcode), so code that catches the
    driver's errors, or loads rows through the driver's own cursor, is unchanged."""


def _sqlite_connection_class(where: str, seconds: float) -> type[sqlite3.Connection]:
    """A sqlite3 connection whose cursors raise SqliteWarehouseError for a full disk or a held
    database: fast loads write through the driver's cursor, where SQLAlchemy cannot see."""

    def plain(error: sqlite3.OperationalError) -> sqlite3.OperationalError:
        if _is_disk_full(error):
            sentence = _disk_full_sentence(where)
        elif _is_busy(error):
            sentence = _busy_sentence(where, seconds)
        else:
            return error
        translated = SqliteWarehouseError(sentence)
        translated.sqlite_errorcode = getattr(error, "sqlite_errorcode", 0)
        translated.sqlite_errorname = getattr(error, "sqlite_errorname", "")
        return translated

    class Cursor(sqlite3.Cursor):
        def execute(self, sql: str, parameters: Any = (), /) -> Cursor:
            try:
                return super().execute(sql, parameters)
            except sqlite3.OperationalError as error:
                raise plain(error) from error

        def executemany(self, sql: str, parameters: Any, /) -> Cursor:
            try:
                return super().executemany(sql, parameters)
            except sqlite3.OperationalError as error:
                raise plain(error) from error

    class Connection(sqlite3.Connection):
        def cursor(self, factory: Any = Cursor) -> Any:
            return super().cursor(factory)

        def commit(self) -> None:
            try:
                super().commit()
            except sqlite3.OperationalError as error:
                raise plain(error) from error

    return Connection


def make_engine(url: str, busy_timeout: float | None = None) -> Engine:
    """The engine of the warehouse at `url`. A write waits up to `busy_timeout` seconds
    (default: BEDROT_WAREHOUSE_BUSY_SECONDS, else 60) while another program holds the database,
    then fails with WarehouseBusyError; a full disk raises WarehouseDiskFullError."""
    seconds = busy_seconds() if busy_timeout is None else busy_timeout
    dialect = url.split(":", 1)[0].split("+", 1)[0]
    connect_args: dict[str, Any] = {}
    if dialect == "sqlite":
        connect_args["timeout"] = seconds  # the driver's busy handler: wait, then SQLITE_BUSY
        connect_args["factory"] = _sqlite_connection_class(describe_warehouse(url), seconds)
    elif dialect.startswith("postgres"):
        # At least 1 ms: PostgreSQL reads 0 as "wait for ever". The URL's own options are kept.
        wait = f"-c lock_timeout={max(1, round(seconds * 1000))}"
        own = make_url(url).query.get("options")
        own_text = " ".join(own) if isinstance(own, tuple) else own
        connect_args["options"] = f"{own_text} {wait}" if own_text else wait
    engine = create_engine(url, connect_args=connect_args)
    if engine.dialect.name == "sqlite":
        database = engine.url.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        event.listen(engine, "connect", _sqlite_settings)
    event.listen(engine, "handle_error", _plain_errors(describe_warehouse(url), seconds))
    return engine


def _create_schema(connection: Connection) -> None:
    Base.metadata.create_all(connection)


def _create_views(connection: Connection) -> None:
    for view in (V_STREAMS_DAILY_BY_PLATFORM, V_SPOTIFY_AUDIENCE):
        connection.execute(text(view))


def _add_ad_periods(connection: Connection) -> None:
    """Meta Ads ranges get their own table (a new database already has it from step 1), and
    v_ad_spend decides which of them count beside the daily rows. A database whose money columns
    still have their old names gets the view from step 4, which renames them."""
    table(AdPerformancePeriod).create(connection, checkfirst=True)
    if "spend" not in _columns(connection, "ad_performance_daily"):
        create_ad_spend_view(connection)


# Every money column before step 4: (table, old name, new name). History, kept as it was.
MONEY_RENAMES = (
    ("royalty_lines", "earnings_usd", "earnings_picousd"),
    ("royalty_lines", "songwriter_royalties_withheld_usd", "songwriter_royalties_withheld_picousd"),
    ("royalty_lines", "recoup_usd", "recoup_picousd"),
    ("expenses", "debit_usd", "debit_picousd"),
    ("expenses", "credit_usd", "credit_picousd"),
    ("expenses", "amount_usd", "amount_picousd"),
    ("ad_performance_daily", "spend", "spend_picousd"),
    ("ad_performance_period", "spend", "spend_picousd"),
    ("ad_actions", "value", "value_picousd"),
)


def _columns(connection: Connection, table_name: str) -> set[str]:
    inspector = inspect(connection)
    if not inspector.has_table(table_name):
        return set()
    return {column["name"] for column in inspector.get_columns(table_name)}


def _rename_money_column(connection: Connection, table_name: str, old: str, new: str) -> None:
    """SQLite already holds picodollars: a rename. PostgreSQL held NUMERIC dollars: renamed and
    multiplied by 10^12 into NUMERIC(38, 0) (exact: every value had at most 12 decimals)."""
    connection.execute(text(f"ALTER TABLE {table_name} RENAME COLUMN {old} TO {new}"))
    if connection.dialect.name != "sqlite":
        connection.execute(
            text(
                f"ALTER TABLE {table_name} ALTER COLUMN {new} TYPE NUMERIC(38, 0) "
                f"USING {new} * {PICO}"
            )
        )


def _team_percentage_as_the_number(connection: Connection) -> None:
    """SQLite kept team_percentage in picounits (50 % read 50000000000000): store the number.
    PostgreSQL kept the number already; only its type narrows to NUMERIC(9, 4)."""
    if connection.dialect.name == "sqlite":
        number = f"CAST({decimal_text_sql('team_percentage')} AS NUMERIC)"
        connection.execute(
            text(
                f"UPDATE royalty_lines SET team_percentage = {number} "
                "WHERE team_percentage IS NOT NULL"
            )
        )
        return
    connection.execute(
        text("ALTER TABLE royalty_lines ALTER COLUMN team_percentage TYPE NUMERIC(9, 4)")
    )


def _readable_money(connection: Connection) -> None:
    """Money columns named for their unit (`earnings_picousd`), whole picodollars on every
    database, team_percentage as the number, and the readable views (a new database has the new
    columns from step 1 and only gets the views)."""
    connection.execute(text("DROP VIEW IF EXISTS v_ad_spend"))
    old_schema = "earnings_usd" in _columns(connection, "royalty_lines")
    for table_name, old, new in MONEY_RENAMES:
        columns = _columns(connection, table_name)
        if old in columns and new not in columns:
            _rename_money_column(connection, table_name, old, new)
    if old_schema:
        _team_percentage_as_the_number(connection)
    create_readable_views(connection)


# Indexes of royalty_lines no query needs since figures read the aggregates: each made every
# large load sort all lines again. reporting_date stays (models.RoyaltyLine; migration 14 drops
# the source_file_id index).
UNUSED_ROYALTY_INDEXES = (
    "ix_royalty_lines_platform_id",
    "ix_royalty_lines_artist_id",
    "ix_royalty_lines_track_id",
    "ix_royalty_lines_release_id",
    "ix_royalty_lines_territory_id",
    "ix_royalty_lines_month_platform",
)


def _drop_unused_royalty_indexes(connection: Connection) -> None:
    for name in UNUSED_ROYALTY_INDEXES:
        connection.execute(text(f"DROP INDEX IF EXISTS {name}"))


ORIGIN_TABLES = ("royalty_lines", "expenses")


def _origin_file_ids(connection: Connection) -> None:
    """Each royalty line and expense names its raw export by an `origin_files` id instead of
    the path (a new database has the new columns from step 1 and changes nothing here). The two
    views that show the path are dropped first (neither database drops a column a view reads)
    and made again over the ids."""
    table(OriginFile).create(connection, checkfirst=True)
    old = [name for name in ORIGIN_TABLES if "origin_file" in _columns(connection, name)]
    if not old:
        return
    for name in ("v_royalty_lines", "v_expenses"):
        connection.execute(text(f"DROP VIEW IF EXISTS {name}"))
    for name in old:
        connection.execute(
            text(
                f"INSERT INTO origin_files (path) SELECT DISTINCT origin_file FROM {name} "
                "WHERE origin_file IS NOT NULL "
                "AND origin_file NOT IN (SELECT path FROM origin_files)"
            )
        )
        connection.execute(text(f"ALTER TABLE {name} ADD COLUMN origin_file_id INTEGER"))
        connection.execute(
            text(
                f"UPDATE {name} SET origin_file_id = "
                f"(SELECT o.id FROM origin_files o WHERE o.path = {name}.origin_file)"
            )
        )
        connection.execute(text(f"ALTER TABLE {name} DROP COLUMN origin_file"))
    create_readable_views(connection)


def _drop_royalty_source_index(connection: Connection) -> None:
    connection.execute(text("DROP INDEX IF EXISTS ix_royalty_lines_source_file_id"))


MIGRATIONS: list[tuple[int, str, Callable[[Connection], None]]] = [
    (1, "tables and indexes", _create_schema),
    (2, "views that keep distributor and Spotify streams apart", _create_views),
    (3, "Meta Ads per-period performance and the v_ad_spend view", _add_ad_periods),
    (
        4,
        "money columns named for their unit (picodollars) and readable money views",
        _readable_money,
    ),
    (
        5,
        "royalty statements: payees, shares, the advances and costs ledger, statements",
        create_statement_tables,
    ),
    (
        6,
        "money analytics: per-stream rates, reporting lag, expected against actual, ad "
        "attribution and charges, net income",
        create_money_tables,
    ),
    (
        7,
        "Mailchimp: email campaigns, list growth per month, audience snapshots",
        create_mailchimp_tables,
    ),
    (
        8,
        "Instagram: daily metrics beyond social_daily, media and their daily snapshots",
        create_instagram_tables,
    ),
    (9, "YouTube: channel days, videos and video days", create_youtube_tables),
    (10, "source_files remember each file's size and modification time", add_file_identity),
    (11, "the upkeep log (ANALYZE and VACUUM)", create_upkeep_log),
    (
        12,
        "royalty_lines keeps only the indexes queries use (source file, reporting date)",
        _drop_unused_royalty_indexes,
    ),
    (
        13,
        "royalty lines and expenses name their raw export by an origin_files id, not the path",
        _origin_file_ids,
    ),
    (
        14,
        "royalty_lines drops its source_file_id index (one curated file feeds every line)",
        _drop_royalty_source_index,
    ),
    (
        15,
        "v_ad_spend holds only spend in dollars (an account in another currency is never added "
        "to a dollar figure)",
        create_ad_spend_view,
    ),
]


def migrate(engine: Engine) -> list[str]:
    """Apply the migrations this database has not had yet; returns their descriptions."""
    applied: list[str] = []
    with engine.begin() as connection:
        connection.execute(
            text(
                "CREATE TABLE IF NOT EXISTS schema_migrations "
                "(version INTEGER PRIMARY KEY, description VARCHAR(200), applied_at VARCHAR(40))"
            )
        )
        done = {row[0] for row in connection.execute(text("SELECT version FROM schema_migrations"))}
    for version, description, step in MIGRATIONS:
        if version in done:
            continue
        with engine.begin() as connection:
            if connection.dialect.name == "sqlite":
                # Python's sqlite3 opens a transaction only at the first INSERT or UPDATE, so a
                # step's DROP VIEW or CREATE TABLE before it would stay done if the step failed.
                connection.exec_driver_sql("BEGIN")
            step(connection)
            connection.execute(
                text("INSERT INTO schema_migrations VALUES (:v, :d, :t)"),
                {"v": version, "d": description, "t": datetime.now(timezone.utc).isoformat()},
            )
        applied.append(description)
    return applied

"""Pre-aggregated royalty figures the dashboard reads instead of scanning every royalty line.

A catalogue of a few years holds millions of royalty lines; every revenue figure the dashboard
shows (by month, store, artist, track, country) is a sum over a few thousand groups of them.
`agg_royalty_daily` keeps one row per reporting date × sale month × store × artist × track ×
territory with the line count, the units and the exact earnings (picodollars). It is derived
data: `refresh_aggregates` rebuilds it whole from `royalty_lines` in the ETL's last transaction,
so a reader never sees it half written. It has its own MetaData so that no `create_all` of the
facts makes it, and a warehouse loaded before it existed is read through `royalty_groups`,
which falls back to grouping the lines on the fly.

`agg_royalty_money` is the same kind of table for the money analytics, the report and the
statements: the lines identical in everything but their origin (reporting date, sale month,
store, territory, track, release, artist, title and whether they are streamed songs, `song`,
the item type the per-stream rates count) as one row. `agg_refreshes` notes which loaded
files the aggregates were computed from; `money_groups` reads the table only while that is
still what the warehouse holds (an ETL killed between a load and its refresh leaves it stale),
else it groups the lines on the fly, so a figure read from either is the same.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Date,
    FromClause,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    column,
    delete,
    insert,
    inspect,
    select,
    text,
)

from common.lake import LOADED_FILES_SQL
from common.warehouse.types import Money

AGG_ROYALTY = "agg_royalty_daily"
GROUP_COLUMNS = (
    "reporting_date",
    "sale_month",
    "platform_id",
    "artist_id",
    "track_id",
    "territory_id",
)

AGGREGATES = MetaData()
ROYALTY_DAILY: Table = Table(
    AGG_ROYALTY,
    AGGREGATES,
    Column("reporting_date", Date, nullable=False),
    Column("sale_month", String(7), nullable=False),
    Column("platform_id", Integer, nullable=False),
    Column("artist_id", Integer),
    Column("track_id", Integer),
    Column("territory_id", Integer),
    Column("lines", BigInteger, nullable=False),
    Column("quantity", BigInteger, nullable=False),
    Column("earnings_picousd", Money, nullable=False),
)
Index("ix_agg_royalty_daily_reporting_date", ROYALTY_DAILY.c.reporting_date)
# The artist filter of every revenue figure: one artist's groups in a date range, not a scan.
Index("ix_agg_royalty_daily_artist_date", ROYALTY_DAILY.c.artist_id, ROYALTY_DAILY.c.reporting_date)

_GROUPED = ", ".join(GROUP_COLUMNS)
ROYALTY_GROUPS_SQL = (
    f"SELECT {_GROUPED}, COUNT(*) AS lines, SUM(quantity) AS quantity, "
    f"SUM(earnings_picousd) AS earnings_picousd FROM royalty_lines GROUP BY {_GROUPED}"
)

AGG_ROYALTY_MONEY = "agg_royalty_money"
AGG_REFRESHES = "agg_refreshes"
ROYALTY_MONEY: Table = Table(
    AGG_ROYALTY_MONEY,
    AGGREGATES,
    Column("reporting_date", Date, nullable=False),
    Column("sale_month", String(7), nullable=False),
    Column("platform_id", Integer, nullable=False),
    Column("territory_id", Integer),
    Column("track_id", Integer),
    Column("release_id", Integer),
    Column("artist_id", Integer),
    Column("title", String(500)),
    Column("song", Integer, nullable=False),  # 1: a streamed song line (item type 'song')
    Column("lines", BigInteger, nullable=False),
    Column("quantity", BigInteger, nullable=False),
    Column("earnings_picousd", Money, nullable=False),
)
# The statements read one period's reporting dates.
Index("ix_agg_royalty_money_reporting_date", ROYALTY_MONEY.c.reporting_date)
REFRESHES: Table = Table(
    AGG_REFRESHES, AGGREGATES, Column("loaded_files", String(200), nullable=False)
)
_MONEY_KEYS = (
    "reporting_date, sale_month, platform_id, territory_id, track_id, release_id, artist_id, title"
)
_SONG = "CASE WHEN lower(item_type) = 'song' THEN 1 ELSE 0 END"
MONEY_GROUPS_SQL = (
    f"SELECT {_MONEY_KEYS}, {_SONG} AS song, COUNT(*) AS lines, SUM(quantity) AS quantity, "
    f"SUM(earnings_picousd) AS earnings_picousd FROM royalty_lines "
    f"GROUP BY {_MONEY_KEYS}, {_SONG}"
)


def create_aggregates(connection: Connection) -> None:
    """The aggregate tables and their indexes; safe to run again (an index added since a
    warehouse's table was made is created on its next refresh)."""
    AGGREGATES.create_all(connection, checkfirst=True)
    for table in AGGREGATES.tables.values():
        for index in table.indexes:
            index.create(connection, checkfirst=True)


def loaded_files(connection: Connection) -> str:
    """The identity of the files loaded into the warehouse, as one string."""
    return "|".join(str(value) for value in connection.execute(text(LOADED_FILES_SQL)).one())


def refresh_aggregates(connection: Connection) -> None:
    """Rebuild every aggregate from the facts, inside the caller's transaction: the lines are
    grouped once (`agg_royalty_money`); the dashboard's coarser groups are summed from those."""
    create_aggregates(connection)
    connection.execute(text(f"DELETE FROM {AGG_ROYALTY_MONEY}"))
    connection.execute(
        text(
            f"INSERT INTO {AGG_ROYALTY_MONEY} ({_MONEY_KEYS}, song, lines, quantity, "
            f"earnings_picousd) {MONEY_GROUPS_SQL}"
        )
    )
    connection.execute(text(f"DELETE FROM {AGG_ROYALTY}"))
    connection.execute(
        text(
            f"INSERT INTO {AGG_ROYALTY} ({_GROUPED}, lines, quantity, earnings_picousd) "
            f"SELECT {_GROUPED}, SUM(lines), SUM(quantity), SUM(earnings_picousd) "
            f"FROM {AGG_ROYALTY_MONEY} GROUP BY {_GROUPED}"
        )
    )
    connection.execute(delete(REFRESHES))
    connection.execute(insert(REFRESHES).values(loaded_files=loaded_files(connection)))


def royalty_groups(connection: Connection) -> FromClause:
    """What revenue queries select from: the aggregate table while it matches the loaded
    files, else (a warehouse whose ETL has not refreshed it yet) the same groups computed from
    the royalty lines."""
    if aggregates_are_current(connection):
        return ROYALTY_DAILY
    typed = [column(c.name, c.type) for c in ROYALTY_DAILY.columns]
    # Typed, so dates and money read back the same from either source.
    return text(ROYALTY_GROUPS_SQL).columns(*typed).subquery("royalty_groups")


def aggregates_are_current(connection: Connection) -> bool:
    """Whether every aggregate exists and was refreshed from the files the warehouse holds now
    (False after a load whose refresh never ran: the ETL should refresh them)."""
    present = inspect(connection)
    if not all(present.has_table(name) for name in AGGREGATES.tables):
        return False
    noted = connection.execute(select(REFRESHES.c.loaded_files)).scalars().all()
    return noted == [loaded_files(connection)]


def money_groups(connection: Connection) -> FromClause:
    """What the money analytics and the report sum royalties over: `agg_royalty_money` while it
    matches the loaded files, else the same groups computed from the royalty lines."""
    if aggregates_are_current(connection):
        return ROYALTY_MONEY
    typed = [column(c.name, c.type) for c in ROYALTY_MONEY.columns]
    return text(MONEY_GROUPS_SQL).columns(*typed).subquery("money_groups")

"""Pre-aggregated royalty figures the dashboard reads instead of scanning every royalty line.

A catalogue of a few years holds millions of royalty lines; every revenue figure the dashboard
shows (by month, store, artist, track, country) is a sum over a few thousand groups of them.
`agg_royalty_daily` keeps one row per reporting date × sale month × store × artist × track ×
territory with the line count, the units and the exact earnings (picodollars). It is derived
data: `refresh_aggregates` rebuilds it whole from `royalty_lines` in the ETL's last transaction,
so a reader never sees it half written. It has its own MetaData so that no `create_all` of the
facts makes it, and a warehouse loaded before it existed is read through `royalty_groups`,
which falls back to grouping the lines on the fly.
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
    inspect,
    text,
)

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


def create_aggregates(connection: Connection) -> None:
    """The aggregate tables and their indexes; safe to run again (an index added since a
    warehouse's table was made is created on its next refresh)."""
    AGGREGATES.create_all(connection, checkfirst=True)
    for table in AGGREGATES.tables.values():
        for index in table.indexes:
            index.create(connection, checkfirst=True)


def refresh_aggregates(connection: Connection) -> None:
    """Rebuild every aggregate from the facts, inside the caller's transaction."""
    create_aggregates(connection)
    connection.execute(text(f"DELETE FROM {AGG_ROYALTY}"))
    connection.execute(
        text(
            f"INSERT INTO {AGG_ROYALTY} ({_GROUPED}, lines, quantity, earnings_picousd) "
            f"{ROYALTY_GROUPS_SQL}"
        )
    )


def royalty_groups(connection: Connection) -> FromClause:
    """What revenue queries select from: the aggregate table, or (a warehouse whose ETL has
    not refreshed it yet) the same groups computed from the royalty lines."""
    if inspect(connection).has_table(AGG_ROYALTY):
        return ROYALTY_DAILY
    typed = [column(c.name, c.type) for c in ROYALTY_DAILY.columns]
    # Typed, so dates and money read back the same from either source.
    return text(ROYALTY_GROUPS_SQL).columns(*typed).subquery("royalty_groups")

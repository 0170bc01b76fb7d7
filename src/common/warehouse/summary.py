"""Figures read back from the warehouse, the same on every database: `bedrot demo` prints them
and the tests compare SQLite with PostgreSQL through them."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import Connection, Engine, func, inspect, select, text

from common.warehouse.models import (
    AD_SPEND,
    Base,
    Campaign,
    Expense,
    Platform,
    RoyaltyLine,
    Track,
)
from common.warehouse.money_sql import exact_sum, exact_total

TOP = 5


@dataclass
class WarehouseSummary:
    rows_per_table: dict[str, int] = field(default_factory=dict)
    streams_by_platform: list[tuple[str, int]] = field(default_factory=list)
    revenue_by_month: list[tuple[str, Decimal]] = field(default_factory=list)
    revenue_by_store: list[tuple[str, Decimal]] = field(default_factory=list)
    top_tracks: list[tuple[str, int, Decimal]] = field(default_factory=list)
    total_revenue: Decimal = Decimal(0)
    expenses: Decimal = Decimal(0)
    ad_spend_by_campaign: list[tuple[str, Decimal]] = field(default_factory=list)


def _ad_spend_by_campaign(connection: Connection) -> list[tuple[str, Decimal]]:
    """Spend per campaign from v_ad_spend: each day once, at the coarsest level Meta reported it
    at, and a reported range only for days no daily row covers (never two overlapping ones)."""
    spend = exact_sum(AD_SPEND.c.spend, connection.dialect.name)
    query = (
        select(Campaign.name, *spend)
        .select_from(AD_SPEND)
        .join(Campaign, Campaign.id == AD_SPEND.c.campaign_id)
        .group_by(Campaign.name)
        .order_by(Campaign.name)
    )
    return [(row[0], exact_total(row[1:])) for row in connection.execute(query)]


def _largest_first(rows: list[tuple[str, Decimal]]) -> list[tuple[str, Decimal]]:
    return sorted(rows, key=lambda row: (-row[1], row[0]))


def summarize(engine: Engine) -> WarehouseSummary:
    """Every money figure is an exact SUM (`exact_sum`), so a catalogue of any size never
    overflows SQLite's 64-bit integers; rows are ordered by amount in Python, exactly."""
    summary = WarehouseSummary()
    with engine.connect() as connection:
        dialect = connection.dialect.name
        present = set(inspect(connection).get_table_names())
        for name, table in sorted(Base.metadata.tables.items()):
            if name not in present:  # a newer module's table, before its migration ran
                continue
            count = connection.execute(select(func.count()).select_from(table)).scalar_one()
            summary.rows_per_table[name] = int(count)
        streams = text(
            "SELECT platform, SUM(streams) FROM v_streams_daily_by_platform "
            "GROUP BY platform ORDER BY platform"
        )
        summary.streams_by_platform = [(p, int(s)) for p, s in connection.execute(streams)]
        earnings = exact_sum(RoyaltyLine.earnings_usd, dialect)
        summary.total_revenue = exact_total(connection.execute(select(*earnings)).one())
        by_month = select(RoyaltyLine.sale_month, *earnings).group_by(RoyaltyLine.sale_month)
        summary.revenue_by_month = [
            (row[0], exact_total(row[1:]))
            for row in connection.execute(by_month.order_by(RoyaltyLine.sale_month))
        ]
        by_store = (
            select(Platform.name, *earnings)
            .join(Platform, Platform.id == RoyaltyLine.platform_id)
            .group_by(Platform.name)
        )
        summary.revenue_by_store = _largest_first(
            [(row[0], exact_total(row[1:])) for row in connection.execute(by_store)]
        )
        tracks = (
            select(Track.title, func.sum(RoyaltyLine.quantity), *earnings)
            .join(Track, Track.id == RoyaltyLine.track_id)
            .group_by(Track.id, Track.title)
        )
        ranked = sorted(
            (
                (row[0] or "", int(row[1]), exact_total(row[2:]))
                for row in connection.execute(tracks)
            ),
            key=lambda row: (-row[2], row[0]),
        )
        summary.top_tracks = ranked[:TOP]
        debits = exact_sum(Expense.debit_usd, dialect)
        summary.expenses = exact_total(connection.execute(select(*debits)).one())
        summary.ad_spend_by_campaign = _ad_spend_by_campaign(connection)
    return summary

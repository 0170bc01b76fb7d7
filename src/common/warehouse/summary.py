"""Figures read back from the warehouse, the same on every database: `bedrot demo` prints them
and the tests compare SQLite with PostgreSQL through them."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import Connection, Engine, func, select, text

from common.warehouse.models import (
    AD_SPEND,
    Base,
    Campaign,
    Expense,
    Platform,
    RoyaltyLine,
    Track,
)

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


def _money(value: Decimal | None) -> Decimal:
    return Decimal(0) if value is None else value


def _ad_spend_by_campaign(connection: Connection) -> list[tuple[str, Decimal]]:
    """Spend per campaign from v_ad_spend: each day once, at the coarsest level Meta reported it
    at, and a reported range only for days no daily row covers (never two overlapping ones)."""
    spend = func.sum(AD_SPEND.c.spend)
    query = (
        select(Campaign.name, spend)
        .select_from(AD_SPEND)
        .join(Campaign, Campaign.id == AD_SPEND.c.campaign_id)
        .group_by(Campaign.name)
        .order_by(Campaign.name)
    )
    return [(name, _money(amount)) for name, amount in connection.execute(query)]


def summarize(engine: Engine) -> WarehouseSummary:
    summary = WarehouseSummary()
    with engine.connect() as connection:
        for name, table in sorted(Base.metadata.tables.items()):
            count = connection.execute(select(func.count()).select_from(table)).scalar_one()
            summary.rows_per_table[name] = int(count)
        streams = text(
            "SELECT platform, SUM(streams) FROM v_streams_daily_by_platform "
            "GROUP BY platform ORDER BY platform"
        )
        summary.streams_by_platform = [(p, int(s)) for p, s in connection.execute(streams)]
        earnings = func.sum(RoyaltyLine.earnings_usd)
        summary.total_revenue = _money(connection.execute(select(earnings)).scalar_one())
        by_month = select(RoyaltyLine.sale_month, earnings).group_by(RoyaltyLine.sale_month)
        summary.revenue_by_month = [
            (m, _money(v)) for m, v in connection.execute(by_month.order_by(RoyaltyLine.sale_month))
        ]
        by_store = (
            select(Platform.name, earnings)
            .join(Platform, Platform.id == RoyaltyLine.platform_id)
            .group_by(Platform.name)
            .order_by(earnings.desc(), Platform.name)
        )
        summary.revenue_by_store = [(s, _money(v)) for s, v in connection.execute(by_store)]
        tracks = (
            select(Track.title, func.sum(RoyaltyLine.quantity), earnings)
            .join(Track, Track.id == RoyaltyLine.track_id)
            .group_by(Track.id, Track.title)
            .order_by(earnings.desc(), Track.title)
            .limit(TOP)
        )
        summary.top_tracks = [
            (t or "", int(q), _money(v)) for t, q, v in connection.execute(tracks)
        ]
        debits = select(func.sum(Expense.debit_usd))
        summary.expenses = _money(connection.execute(debits).scalar_one())
        summary.ad_spend_by_campaign = _ad_spend_by_campaign(connection)
    return summary

"""Figures read back from the warehouse, the same on every database: `bedrot demo` prints them
and the tests compare SQLite with PostgreSQL through them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Engine, and_, func, inspect, select, text

from common.warehouse.loaders.mailchimp import PLATFORM as MAILCHIMP
from common.warehouse.mailchimp_tables import EmailAudienceSnapshot, EmailCampaign
from common.warehouse.models import (
    AD_SPEND,
    Base,
    Campaign,
    Platform,
    RoyaltyLine,
    SocialDaily,
    Track,
    card_spending,
)
from common.warehouse.money_sql import exact_sum, exact_total

TOP = 5


@dataclass(frozen=True)
class Audience:
    """One social or video account (per platform) or one mailing list, over the days the
    warehouse holds for it: its latest follower count (subscribers, list members), and its
    views or its emails over those days. A figure the platform does not have stays None."""

    platform: str
    account: str
    first_day: date | None
    last_day: date | None
    followers: int | None = None
    views: int | None = None
    emails_sent: int | None = None
    unique_opens: int | None = None


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
    audiences: list[Audience] = field(default_factory=list)


def _whole(value: Any) -> int | None:
    """A SUM or count as int (PostgreSQL hands a SUM of BIGINT back as a Decimal)."""
    return None if value is None else int(value)


def _latest_followers(connection: Connection) -> dict[tuple[str, str], int]:
    """Per (platform, account), the follower count of the newest day that has one."""
    newest = (
        select(
            SocialDaily.platform_id,
            SocialDaily.account,
            func.max(SocialDaily.activity_date).label("day"),
        )
        .where(SocialDaily.followers.is_not(None))
        .group_by(SocialDaily.platform_id, SocialDaily.account)
        .subquery()
    )
    query = (
        select(Platform.name, SocialDaily.account, SocialDaily.followers)
        .join(Platform, Platform.id == SocialDaily.platform_id)
        .join(
            newest,
            and_(
                newest.c.platform_id == SocialDaily.platform_id,
                newest.c.account == SocialDaily.account,
                newest.c.day == SocialDaily.activity_date,
            ),
        )
    )
    return {(p, a): int(n) for p, a, n in connection.execute(query) if n is not None}


def _social_audiences(connection: Connection) -> list[Audience]:
    """TikTok, Instagram and YouTube accounts from social_daily, views summed over every day
    held."""
    day = SocialDaily.activity_date
    query = (
        select(
            Platform.name,
            SocialDaily.account,
            func.min(day),
            func.max(day),
            func.sum(SocialDaily.video_views),
        )
        .join(Platform, Platform.id == SocialDaily.platform_id)
        .group_by(Platform.name, SocialDaily.account)
    )
    latest = _latest_followers(connection)
    accounts = [
        Audience(
            platform,
            account,
            first,
            last,
            followers=latest.get((platform, account)),
            views=_whole(views),
        )
        for platform, account, first, last, views in connection.execute(query)
    ]
    # Sorted here: SQLite and PostgreSQL collate names differently.
    return sorted(accounts, key=lambda audience: (audience.platform, audience.account))


def _email_audiences(connection: Connection, present: set[str]) -> list[Audience]:
    """Each Mailchimp audience: its newest size, and the emails sent to it and unique opens
    of its campaigns (all campaigns the warehouse holds)."""
    if not {EmailCampaign.__tablename__, EmailAudienceSnapshot.__tablename__} <= present:
        return []  # a warehouse made before the Mailchimp tables existed
    campaign = EmailCampaign
    sent = select(
        campaign.list_id,
        func.max(campaign.list_name).label("name"),
        func.min(campaign.send_date).label("first"),
        func.max(campaign.send_date).label("last"),
        func.sum(campaign.emails_sent).label("emails"),
        func.sum(campaign.unique_opens).label("opens"),
    ).group_by(campaign.list_id)
    campaigns: dict[Any, Any] = {row.list_id: row for row in connection.execute(sent)}
    snapshot = EmailAudienceSnapshot
    sizes = select(
        snapshot.list_id, snapshot.list_name, snapshot.snapshot_date, snapshot.member_count
    ).order_by(snapshot.snapshot_date)
    # In day order, so each audience keeps its newest size.
    newest: dict[Any, Any] = {row.list_id: row for row in connection.execute(sizes)}
    lists = []
    for list_id in sorted(set(campaigns) | set(newest), key=lambda key: (key is None, key or "")):
        sends, size = campaigns.get(list_id), newest.get(list_id)
        seen = [
            *((sends.first, sends.last) if sends else ()),
            *((size.snapshot_date,) if size else ()),
        ]
        days = [day for day in seen if day is not None]
        name = (size and size.list_name) or (sends and sends.name) or list_id or ""
        lists.append(
            Audience(
                MAILCHIMP,
                name,
                min(days, default=None),
                max(days, default=None),
                followers=_whole(size.member_count) if size else None,
                emails_sent=_whole(sends.emails) if sends else None,
                unique_opens=_whole(sends.opens) if sends else None,
            )
        )
    return lists


def card_expenses_total(connection: Connection) -> Decimal:
    """What the card cost, exact: every debit less every refund, the card's payments left out
    (`card_spending`)."""
    spent = exact_sum(card_spending(), connection.dialect.name)
    return exact_total(connection.execute(select(*spent)).one())


def ad_spend_by_campaign(connection: Connection) -> list[tuple[str, Decimal]]:
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
        summary.expenses = card_expenses_total(connection)
        summary.ad_spend_by_campaign = ad_spend_by_campaign(connection)
        summary.audiences = _social_audiences(connection) + _email_audiences(connection, present)
    return summary

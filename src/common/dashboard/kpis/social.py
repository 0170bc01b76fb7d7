"""Social: TikTok per account (views, followers, engagement rate), Linktree (views, clicks,
CTR, top links), Instagram and YouTube (rows of social_daily under those platform names, once
their services load them) and Mailchimp (its tables, once they exist): "no data yet" until then.
"""

from __future__ import annotations

import csv
from typing import Any

from sqlalchemy import Connection, MetaData, Table, func, inspect, select

from common.dashboard.kpis.figures import (
    NO_DATA,
    Kpi,
    PageData,
    count,
    count_kpi,
    empty_page,
    line_chart,
    percent,
    ratio,
    table,
)
from common.dashboard.kpis.filters import Filters, artist_id, period_text
from common.lake import Lake
from common.warehouse.models import LinkAnalyticsDaily, Platform, SocialDaily
from common.zones import CURATED

FOLLOWER_PLATFORMS = ("TikTok", "Instagram", "YouTube")
LINKTREE = "Linktree daily analytics"
LINKTREE_LINKS = "linktree_links_curated.csv"
MAILCHIMP = "Mailchimp audiences and campaign reports"
MAILCHIMP_CAMPAIGNS = "email_campaigns"
MAILCHIMP_AUDIENCE = "email_audience_snapshots"


def social_source(platform: str) -> str:
    return f"{platform} daily account figures"


def accounts(connection: Connection, filters: Filters, platform: str) -> list[dict[str, Any]]:
    """Per account of `platform`: views and engagement in the range, newest followers."""
    artist = artist_id(connection, filters)
    conditions = [Platform.name == platform]
    if filters.start is not None:
        conditions.append(SocialDaily.activity_date >= filters.start)
    if filters.end is not None:
        conditions.append(SocialDaily.activity_date <= filters.end)
    if artist is not None:
        conditions.append(SocialDaily.artist_id == artist)
    query = (
        select(
            SocialDaily.activity_date,
            SocialDaily.account,
            SocialDaily.video_views,
            SocialDaily.likes,
            SocialDaily.comments,
            SocialDaily.shares,
            SocialDaily.followers,
        )
        .join(Platform, Platform.id == SocialDaily.platform_id)
        .where(*conditions)
        .order_by(SocialDaily.activity_date)
    )
    found: dict[str, dict[str, Any]] = {}
    for day, account, views, likes, comments, shares, followers in connection.execute(query):
        row = found.setdefault(
            account,
            {
                "account": account,
                "views": 0,
                "engaged": 0,
                "followers": None,
                "as_of": None,
                "dates": [],
                "series": [],
            },
        )
        row["views"] += views or 0
        row["engaged"] += (likes or 0) + (comments or 0) + (shares or 0)
        if followers is not None:
            row["followers"], row["as_of"] = followers, str(day)
        row["dates"].append(str(day))
        row["series"].append(views or 0)
    for row in found.values():
        rate = ratio(row["engaged"], row["views"])
        row["engagement_rate"] = None if rate is None else round(rate * 100, 2)
    return list(found.values())


def latest_followers(
    connection: Connection, filters: Filters, platform: str
) -> tuple[int | None, str]:
    """Followers of every account of `platform` on its newest day (not after the filter's end),
    and that day as the KPI's period."""
    rows = accounts(connection, Filters(None, filters.end, filters.artist), platform)
    counted = [row for row in rows if row["followers"] is not None]
    if not counted:
        return None, "latest day"
    newest = max(str(row["as_of"]) for row in counted)
    return sum(int(row["followers"]) for row in counted), f"day {newest}"


def follower_kpis(connection: Connection, filters: Filters) -> list[Kpi]:
    kpis = []
    for platform in FOLLOWER_PLATFORMS:
        followers, period = latest_followers(connection, filters, platform)
        kpis.append(
            count_kpi(
                f"followers_{platform.lower()}",
                f"{platform} followers",
                followers,
                social_source(platform),
                period,
            )
        )
    return kpis


def linktree(connection: Connection, filters: Filters) -> dict[str, Any]:
    query = select(
        func.count(),
        func.sum(LinkAnalyticsDaily.total_views),
        func.sum(LinkAnalyticsDaily.total_clicks),
    )
    if filters.start is not None:
        query = query.where(LinkAnalyticsDaily.analytics_date >= filters.start)
    if filters.end is not None:
        query = query.where(LinkAnalyticsDaily.analytics_date <= filters.end)
    days, views, clicks = connection.execute(query).one()
    rate = ratio(clicks, views)
    return {
        "days": days,
        "views": views if days else None,
        "clicks": clicks if days else None,
        "ctr": None if rate is None else round(rate * 100, 2),
    }


def top_links(lake: Lake, limit: int = 10) -> list[list[Any]]:
    """The most clicked links of the newest Linktree capture in the curated file."""
    path = lake.zone(CURATED) / LINKTREE_LINKS
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    newest = max((row.get("captured_on", "") for row in rows), default="")
    links = [row for row in rows if row.get("captured_on", "") == newest]
    links.sort(key=lambda row: -int(row.get("clicks") or 0))
    return [
        [row.get("title", ""), f"{int(row.get('clicks') or 0):,}", newest] for row in links[:limit]
    ]


def mailchimp_campaigns(connection: Connection, filters: Filters) -> list[list[Any]]:
    """Sent campaigns (newest first) once the Mailchimp service has loaded any."""
    if not inspect(connection).has_table(MAILCHIMP_CAMPAIGNS):
        return []
    campaigns = table_of(connection, MAILCHIMP_CAMPAIGNS)
    query = select(
        campaigns.c.title,
        campaigns.c.send_date,
        campaigns.c.emails_sent,
        campaigns.c.open_rate,
        campaigns.c.click_rate,
    ).order_by(campaigns.c.send_date.desc())
    if filters.start is not None:
        query = query.where(campaigns.c.send_date >= filters.start)
    if filters.end is not None:
        query = query.where(campaigns.c.send_date <= filters.end)
    rows = connection.execute(query)
    return [
        [
            title,
            str(sent_on)[:10],
            count(emails),
            percent(_rate(opens), 1),
            percent(_rate(clicks), 1),
        ]
        for title, sent_on, emails, opens, clicks in rows
    ]


def table_of(connection: Connection, name: str) -> Table:
    """A table another service's loader creates, read as the database describes it (the
    dashboard does not import that service's models, which may not exist yet)."""
    return Table(name, MetaData(), autoload_with=connection)


def _rate(value: float | None) -> float | None:
    """Mailchimp's rates are fractions (0.42): shown as percent."""
    return None if value is None else float(value) * 100


def mailchimp_subscribers(connection: Connection, filters: Filters) -> tuple[int | None, str]:
    """Members of every audience on its newest snapshot day (not after the filter's end)."""
    if not inspect(connection).has_table(MAILCHIMP_AUDIENCE):
        return None, "latest day"
    audience = table_of(connection, MAILCHIMP_AUDIENCE)
    query = select(audience.c.list_id, audience.c.snapshot_date, audience.c.member_count).order_by(
        audience.c.snapshot_date
    )
    if filters.end is not None:
        query = query.where(audience.c.snapshot_date <= filters.end)
    rows = connection.execute(query)
    newest: dict[str, tuple[str, int]] = {}
    for list_id, day, members in rows:
        if members is not None:
            newest[list_id] = (str(day)[:10], int(members))
    if not newest:
        return None, "latest day"
    return sum(m for _, m in newest.values()), f"day {max(d for d, _ in newest.values())}"


def social_kpis(connection: Connection, filters: Filters) -> list[Kpi]:
    period = period_text(filters.start, filters.end)
    tiktok = accounts(connection, filters, "TikTok")
    views = sum(row["views"] for row in tiktok) if tiktok else None
    engaged = sum(row["engaged"] for row in tiktok) if tiktok else None
    rate = ratio(engaged, views)
    links = linktree(connection, filters)
    subscribers, as_of = mailchimp_subscribers(connection, filters)
    return [
        count_kpi("tiktok_views", "TikTok video views", views, social_source("TikTok"), period),
        Kpi(
            "tiktok_engagement",
            "TikTok engagement rate",
            rate,
            percent(None if rate is None else rate * 100, 2),
            social_source("TikTok"),
            period,
        ),
        count_kpi("linktree_views", "Linktree views", links["views"], LINKTREE, period),
        count_kpi("linktree_clicks", "Linktree clicks", links["clicks"], LINKTREE, period),
        Kpi(
            "linktree_ctr",
            "Linktree click-through rate",
            links["ctr"],
            percent(links["ctr"], 2),
            LINKTREE,
            period,
        ),
        count_kpi("mailchimp_subscribers", "Mailchimp subscribers", subscribers, MAILCHIMP, as_of),
    ]


def _account_table(rows: list[dict[str, Any]]) -> list[list[Any]]:
    return [
        [
            row["account"],
            f"{row['views']:,}",
            NO_DATA if row["followers"] is None else f"{row['followers']:,}",
            percent(row["engagement_rate"], 2),
        ]
        for row in rows
    ]


def social_page(lake: Lake, connection: Connection, filters: Filters) -> PageData:
    page = empty_page()
    page["kpis"] = [
        k.as_json()
        for k in [*social_kpis(connection, filters), *follower_kpis(connection, filters)]
    ]
    columns = ["account", "views", "followers", "engagement rate"]
    for platform in FOLLOWER_PLATFORMS:
        rows = accounts(connection, filters, platform)
        page["tables"][platform.lower()] = table(columns, _account_table(rows))
        page["charts"][f"social-{platform.lower()}"] = line_chart(
            f"{platform} daily views per account",
            {row["account"]: (row["dates"], row["series"]) for row in rows},
        )
    page["tables"]["linktree_links"] = table(["link", "clicks", "captured on"], top_links(lake))
    page["tables"]["mailchimp"] = table(
        ["campaign", "sent", "emails", "open rate", "click rate"],
        mailchimp_campaigns(connection, filters),
    )
    return page

"""Marketing: Meta Ads spend, impressions, clicks, CPC, CPM, CTR and cost per result per
campaign, and what the ads bought (v_campaign_attribution)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, and_, func, or_, select, text

from common.dashboard.kpis.figures import (
    Kpi,
    PageData,
    count_kpi,
    empty_page,
    money_kpi,
    percent,
    ratio,
    table,
    usd,
)
from common.dashboard.kpis.filters import Filters, artist_id, last_days, period_text
from common.dashboard.kpis.queries import latest_day, money_sums
from common.warehouse.models import AD_SPEND, AdPerformanceDaily, Campaign
from common.warehouse.money_sql import exact_total
from common.warehouse.views import DOLLAR

SPEND = "Meta Ads (v_ad_spend: each day once)"
DELIVERY = "Meta Ads daily rows at the coarsest level reported (result = link click)"
ATTRIBUTION = "v_campaign_attribution (catalogue lift during each campaign)"


def ad_spend(
    connection: Connection, first: date | None, last: date | None, artist: int | None
) -> Decimal | None:
    """Exact spend of the v_ad_spend rows whose first day is in [first, last]."""
    query = select(func.count(), *money_sums(AD_SPEND.c.spend, connection)).select_from(
        AD_SPEND.join(Campaign, Campaign.id == AD_SPEND.c.campaign_id)
    )
    if first is not None:
        query = query.where(AD_SPEND.c.span_start >= first)
    if last is not None:
        query = query.where(AD_SPEND.c.span_start <= last)
    if artist is not None:
        query = query.where(Campaign.artist_id == artist)
    row = connection.execute(query).one()
    return None if not row[0] else exact_total(tuple(row[1:]))


def spend_30d_kpi(connection: Connection, filters: Filters) -> Kpi:
    anchor = latest_day(connection, AD_SPEND.c.span_start, filters.end)
    if anchor is None:
        return money_kpi("ad_spend_30d", "Ad spend, last 30 days", None, SPEND, "last 30 days")
    first, last = last_days(anchor, 30)
    amount = ad_spend(connection, first, last, artist_id(connection, filters)) or Decimal(0)
    return money_kpi(
        "ad_spend_30d", "Ad spend, last 30 days", amount, SPEND, period_text(first, last)
    )


def campaigns(connection: Connection, filters: Filters) -> list[dict[str, Any]]:
    """Per campaign: spend, impressions, clicks, link clicks and the ratios, from the daily rows
    at each day's coarsest level (so an ad set's row never adds to its campaign's); in dollars
    only, as v_ad_spend (an account in another currency is left out, never shown as dollars)."""
    daily = AdPerformanceDaily
    coarsest = (
        select(daily.campaign_id, daily.performance_date, func.min(daily.level_rank).label("rank"))
        .group_by(daily.campaign_id, daily.performance_date)
        .subquery()
    )
    query = (
        select(
            Campaign.name,
            func.sum(daily.impressions),
            func.sum(daily.clicks),
            func.sum(daily.link_clicks),
            *money_sums(daily.spend, connection),
        )
        .join(Campaign, Campaign.id == daily.campaign_id)
        .join(
            coarsest,
            and_(
                coarsest.c.campaign_id == daily.campaign_id,
                coarsest.c.performance_date == daily.performance_date,
                coarsest.c.rank == daily.level_rank,
            ),
        )
        .where(or_(daily.currency == "", func.upper(daily.currency) == DOLLAR))
        .group_by(Campaign.name)
        .order_by(Campaign.name)
    )
    if filters.start is not None:
        query = query.where(daily.performance_date >= filters.start)
    if filters.end is not None:
        query = query.where(daily.performance_date <= filters.end)
    artist = artist_id(connection, filters)
    if artist is not None:
        query = query.where(Campaign.artist_id == artist)
    rows = []
    for name, impressions, clicks, link_clicks, *sums in connection.execute(query):
        spend = exact_total(tuple(sums))
        rows.append(_campaign_row(name, spend, impressions or 0, clicks or 0, link_clicks or 0))
    return rows


def _per(spend: Decimal, units: int, scale: int = 1) -> Decimal | None:
    return None if not units else spend * scale / units


def _campaign_row(
    name: str, spend: Decimal, impressions: int, clicks: int, link_clicks: int
) -> dict[str, Any]:
    ctr = ratio(clicks, impressions)
    return {
        "campaign": name,
        "spend_exact": f"{spend:f}",
        "spend": usd(spend),
        "impressions": impressions,
        "clicks": clicks,
        "link_clicks": link_clicks,
        "cpc": usd(_per(spend, clicks)),
        "cpm": usd(_per(spend, impressions, 1000)),
        "ctr": percent(None if ctr is None else ctr * 100, 2),
        "cost_per_result": usd(_per(spend, link_clicks)),
    }


def attribution(connection: Connection, filters: Filters) -> list[dict[str, Any]]:
    rows = connection.execute(
        text(
            "SELECT campaign, artist, window_start, window_end, spend_exact, lift_streams, "
            "incremental_streams, cost_per_incremental_exact, followers_gained, "
            "break_even_streams FROM v_campaign_attribution ORDER BY window_start, campaign"
        )
    )
    wanted = filters.artist.lower() if filters.artist else None
    return [
        {
            "campaign": r.campaign,
            "artist": r.artist,
            "window": f"{r.window_start} to {r.window_end}",
            "spend": usd(Decimal(r.spend_exact)),
            "lift_streams": r.lift_streams,
            "incremental_streams": r.incremental_streams,
            "cost_per_stream": (
                f"${Decimal(r.cost_per_incremental_exact):,.4f}"
                if r.cost_per_incremental_exact is not None
                else "no lift"
            ),
            "followers_gained": r.followers_gained,
            "break_even_streams": r.break_even_streams,
        }
        for r in rows
        if wanted is None or (r.artist or "").lower() == wanted
    ]


def marketing_kpis(connection: Connection, filters: Filters) -> list[Kpi]:
    period = period_text(filters.start, filters.end)
    rows = campaigns(connection, filters)
    spend = ad_spend(connection, filters.start, filters.end, artist_id(connection, filters))
    impressions = sum(r["impressions"] for r in rows) if rows else None
    clicks = sum(r["clicks"] for r in rows) if rows else None
    delivered = sum((Decimal(r["spend_exact"]) for r in rows), Decimal(0))
    ctr = ratio(clicks, impressions)
    return [
        money_kpi("ad_spend", "Meta Ads spend", spend, SPEND, period),
        count_kpi("ad_impressions", "Impressions", impressions, DELIVERY, period),
        count_kpi("ad_clicks", "Clicks", clicks, DELIVERY, period),
        Kpi("ad_cpc", "Cost per click", None, usd(_per(delivered, clicks or 0)), DELIVERY, period),
        Kpi(
            "ad_cpm",
            "Cost per 1,000 impressions",
            None,
            usd(_per(delivered, impressions or 0, 1000)),
            DELIVERY,
            period,
        ),
        Kpi(
            "ad_ctr",
            "Click-through rate",
            None if ctr is None else ctr * 100,
            percent(None if ctr is None else ctr * 100, 2),
            DELIVERY,
            period,
        ),
    ]


def marketing_page(connection: Connection, filters: Filters) -> PageData:
    page = empty_page()
    page["kpis"] = [k.as_json() for k in marketing_kpis(connection, filters)]
    rows = campaigns(connection, filters)
    page["tables"]["campaigns"] = table(
        ["campaign", "spend", "impressions", "clicks", "CPC", "CPM", "CTR", "cost per result"],
        [
            [
                r["campaign"],
                r["spend"],
                f"{r['impressions']:,}",
                f"{r['clicks']:,}",
                r["cpc"],
                r["cpm"],
                r["ctr"],
                r["cost_per_result"],
            ]
            for r in rows
        ],
    )
    page["tables"]["attribution"] = table(
        [
            "campaign",
            "window",
            "spend",
            "incremental streams",
            "cost per stream",
            "followers gained",
            "break-even streams",
        ],
        [
            [
                r["campaign"],
                r["window"],
                r["spend"],
                r["incremental_streams"],
                r["cost_per_stream"],
                r["followers_gained"],
                r["break_even_streams"],
            ]
            for r in attribution(connection, filters)
        ],
    )
    page["charts"]["marketing-spend"] = {
        "data": [
            {
                "type": "bar",
                "x": [r["campaign"] for r in rows],
                "y": [float(r["spend_exact"]) for r in rows],
                "name": "spend",
            }
        ],
        "layout": {"title": {"text": "Spend per campaign (USD)"}},
    }
    page["notes"].append(f"Total spend is {SPEND}; per-campaign delivery is {DELIVERY}.")
    return page

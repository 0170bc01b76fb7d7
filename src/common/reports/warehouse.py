"""The report's figures read from the warehouse: its views and tables, and the headline figures of
`common.warehouse.summary` (the same numbers `bedrot demo` prints)."""

from __future__ import annotations

import os
from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Engine, func, inspect, select, text

from common.lake import Lake
from common.reports.figures import (
    CAMPAIGN_SERIES,
    CampaignResults,
    Figures,
    Points,
    SocialMetric,
    audience_lines,
    campaign_series,
)
from common.reports.settings import RESULT_ACTION, STREAMS_VIEW
from common.warehouse.aggregates import money_groups
from common.warehouse.database import DEFAULT_SQLITE, make_engine, warehouse_url
from common.warehouse.mailchimp_tables import EmailAudienceSnapshot, EmailCampaign
from common.warehouse.models import (
    AD_SPEND,
    AdAction,
    Artist,
    Campaign,
    LinkAnalyticsDaily,
    Platform,
    SocialDaily,
    Track,
)
from common.warehouse.money_sql import exact_sum, exact_total
from common.warehouse.summary import (
    TOP,
    WarehouseSummary,
    ad_spend_by_campaign,
    card_expenses_total,
)

AdRowKey = tuple[int, date, int, str | None, str | None]
DAY_SPAN = "day"  # v_ad_spend's span_kind of a daily row ("range" for a reported period)


def existing_warehouse_url(lake: Lake) -> str | None:
    """WAREHOUSE_URL, else the lake's SQLite file when it exists (never creates one)."""
    if os.environ.get("WAREHOUSE_URL"):
        return warehouse_url(lake)
    return warehouse_url(lake) if (lake.root / DEFAULT_SQLITE).is_file() else None


def open_warehouse(lake: Lake) -> Engine | None:
    """An engine on the lake's warehouse, or None when there is none or it was never loaded."""
    url = existing_warehouse_url(lake)
    if url is None:
        return None
    engine = make_engine(url)
    try:
        loaded = STREAMS_VIEW in inspect(engine).get_view_names()
    except BaseException:
        engine.dispose()
        raise
    if not loaded:
        engine.dispose()
        return None
    return engine


def _as_date(value: Any) -> date:
    """Views hand back dates as text on SQLite and as dates on PostgreSQL."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _whole(value: Any) -> int | None:
    return None if value is None else int(value)


def _money(value: Decimal) -> str:
    return f"{value:,.2f}"


def _largest_first(rows: list[tuple[str, Decimal]]) -> list[tuple[str, Decimal]]:
    return sorted(rows, key=lambda row: (-row[1], row[0]))


def _royalty_figures(connection: Connection, summary: WarehouseSummary) -> None:
    """Royalties in total, by sale month, by store and the top tracks, summed exactly over the
    pre-aggregated royalty groups (a few thousand rows, whatever the number of lines)."""
    groups = money_groups(connection)
    earnings = exact_sum(groups.c.earnings_picousd, connection.dialect.name)
    summary.total_revenue = exact_total(connection.execute(select(*earnings)).one())
    by_month = select(groups.c.sale_month, *earnings).group_by(groups.c.sale_month)
    summary.revenue_by_month = [
        (str(row[0]), exact_total(row[1:]))
        for row in connection.execute(by_month.order_by(groups.c.sale_month))
    ]
    by_store = (
        select(Platform.name, *earnings)
        .join(Platform, Platform.id == groups.c.platform_id)
        .group_by(Platform.name)
    )
    summary.revenue_by_store = _largest_first(
        [(row[0], exact_total(row[1:])) for row in connection.execute(by_store)]
    )
    tracks = (
        select(Track.title, func.sum(groups.c.quantity), *earnings)
        .join(Track, Track.id == groups.c.track_id)
        .group_by(Track.id, Track.title)
    )
    ranked = sorted(
        ((row[0] or "", int(row[1]), exact_total(row[2:])) for row in connection.execute(tracks)),
        key=lambda row: (-row[2], row[0]),
    )
    summary.top_tracks = ranked[:TOP]


def report_summary(engine: Engine) -> WarehouseSummary:
    """The figures of `common.warehouse.summary` the report shows (headline, revenue charts),
    the royalty ones from the aggregates: the same exact sums without reading every line."""
    summary = WarehouseSummary()
    with engine.connect() as connection:
        streams = text(
            f"SELECT platform, SUM(streams) FROM {STREAMS_VIEW} GROUP BY platform ORDER BY platform"
        )
        summary.streams_by_platform = [(p, int(n)) for p, n in connection.execute(streams)]
        _royalty_figures(connection, summary)
        summary.expenses = card_expenses_total(connection)
        summary.ad_spend_by_campaign = ad_spend_by_campaign(connection)
    return summary


def headline_figures(summary: WarehouseSummary) -> list[tuple[str, str]]:
    """The report's short table: streams (distributors only), royalties, expenses, ad spend."""
    streams = sum(count for _, count in summary.streams_by_platform)
    rows = [("Streams, all platforms (distributors only)", f"{streams:,}")]
    rows += [(f"Streams on {p} (distributors)", f"{n:,}") for p, n in summary.streams_by_platform]
    rows.append(("Royalties, all months (USD)", _money(summary.total_revenue)))
    if summary.revenue_by_month:
        month, amount = summary.revenue_by_month[-1]
        rows.append((f"Royalties for sale month {month} (USD)", _money(amount)))
    if summary.top_tracks:
        title, _, amount = summary.top_tracks[0]
        rows.append(("Top track by royalties (USD)", f"{title}: {_money(amount)}"))
    rows.append(("Card expenses (USD)", _money(summary.expenses)))
    spend = sum((amount for _, amount in summary.ad_spend_by_campaign), Decimal(0))
    rows.append(("Meta Ads spend, all campaigns (account currency)", _money(spend)))
    return rows


class WarehouseFigures:
    """Reads the warehouse; distributor streams only through v_streams_daily_by_platform."""

    def __init__(self, engine: Engine, summary: WarehouseSummary) -> None:
        self.engine = engine
        self.summary = summary

    def daily_streams(self) -> Figures:
        query = text(
            f"SELECT stream_date, platform, streams FROM {STREAMS_VIEW} "
            "ORDER BY platform, stream_date"
        )
        lines: dict[str, Points] = defaultdict(list)
        with self.engine.connect() as connection:
            for day, platform, streams in connection.execute(query):
                if streams is not None:
                    lines[str(platform)].append((_as_date(day), int(streams)))
        return Figures(f"warehouse view {STREAMS_VIEW}", lines=dict(lines))

    def revenue_by_month(self) -> Figures:
        values = [(month, float(amount)) for month, amount in self.summary.revenue_by_month]
        return Figures("warehouse table royalty_lines", values=values, unit="USD")

    def revenue_by_store(self) -> Figures:
        values = [(store, float(amount)) for store, amount in self.summary.revenue_by_store]
        return Figures("warehouse tables royalty_lines and platforms", values=values, unit="USD")

    def _has(self, *tables: str) -> bool:
        """A warehouse made before a service's migration has no table for it yet: no data."""
        return set(tables) <= set(inspect(self.engine).get_table_names())

    def social_daily(self, metric: SocialMetric) -> Figures:
        value = getattr(SocialDaily, metric.column)
        query = (
            select(SocialDaily.account, Artist.name, SocialDaily.activity_date, value)
            .join(Platform, Platform.id == SocialDaily.platform_id)
            .outerjoin(Artist, Artist.id == SocialDaily.artist_id)
            .where(Platform.name == metric.platform, value.is_not(None))
            .order_by(SocialDaily.account, SocialDaily.activity_date)
        )
        lines: dict[str, Points] = defaultdict(list)
        with self.engine.connect() as connection:
            for account, artist, day, figure in connection.execute(query):
                # Labelled as the curated reading labels it: the artist where its file names one.
                shown = artist if metric.with_artist else None
                label = f"{account} ({shown})" if shown else str(account)
                lines[label].append((_as_date(day), int(figure)))
        return Figures("warehouse table social_daily", lines=dict(lines))

    def linktree_clicks(self) -> Figures:
        daily = LinkAnalyticsDaily
        query = (
            select(daily.analytics_date, daily.total_clicks, daily.unique_clicks)
            .where(daily.is_partial_day.is_(False))
            .order_by(daily.analytics_date)
        )
        lines: dict[str, Points] = {"all clicks": [], "unique clicks": []}
        with self.engine.connect() as connection:
            for day, total, unique in connection.execute(query):
                if total is not None:
                    lines["all clicks"].append((_as_date(day), int(total)))
                if unique is not None:
                    lines["unique clicks"].append((_as_date(day), int(unique)))
        return Figures("warehouse table link_analytics_daily", lines=lines)

    def email_campaigns(self) -> Figures:
        if not self._has(EmailCampaign.__tablename__):
            return Figures("")
        counts = [getattr(EmailCampaign, column) for _, column in CAMPAIGN_SERIES]
        query = select(
            EmailCampaign.send_date, EmailCampaign.title, EmailCampaign.campaign_id, *counts
        ).order_by(
            # Unsent (no send time) first on every database, as the curated file sorts them.
            EmailCampaign.send_time.is_not(None),
            EmailCampaign.send_time,
            EmailCampaign.campaign_id,
        )
        with self.engine.connect() as connection:
            rows = [
                (day and _as_date(day), title, campaign_id, [_whole(n) for n in numbers])
                for day, title, campaign_id, *numbers in connection.execute(query)
            ]
        return Figures("warehouse table email_campaigns", series=campaign_series(rows))

    def email_audience(self) -> Figures:
        if not self._has(EmailAudienceSnapshot.__tablename__):
            return Figures("")
        snapshot = EmailAudienceSnapshot
        query = select(
            snapshot.list_id, snapshot.list_name, snapshot.snapshot_date, snapshot.member_count
        ).order_by(snapshot.snapshot_date, snapshot.list_id)
        with self.engine.connect() as connection:
            rows = [
                (list_id, name, _as_date(day), members)
                for list_id, name, day, members in connection.execute(query)
                if members is not None  # a size Mailchimp did not tell is left out
            ]
        return Figures("warehouse table email_audience_snapshots", lines=audience_lines(rows))

    def ad_campaigns(self) -> tuple[str, list[CampaignResults]]:
        """Per campaign, the rows of v_ad_spend (as the summary's ad spend: each day once at its
        coarsest level, a reported range only for days no daily row covers); link clicks from the
        row, else, for a day, from its link_click action."""
        rows = select(
            AD_SPEND.c.campaign_id,
            AD_SPEND.c.span_start,
            AD_SPEND.c.span_kind,
            AD_SPEND.c.level_rank,
            AD_SPEND.c.adset_external_id,
            AD_SPEND.c.ad_external_id,
            AD_SPEND.c.spend,
            AD_SPEND.c.currency,
            AD_SPEND.c.link_clicks,
        )
        actions = select(
            AdAction.campaign_id,
            AdAction.action_date,
            AdAction.level_rank,
            AdAction.adset_external_id,
            AdAction.ad_external_id,
            AdAction.value,
        ).where(AdAction.action_type == RESULT_ACTION)
        with self.engine.connect() as connection:
            names = dict(connection.execute(select(Campaign.id, Campaign.name)).all())
            counted_rows = connection.execute(rows).all()
            clicks_by_row = {
                (c, _as_date(d), lv, a, ad): int(v)
                for c, d, lv, a, ad, v in connection.execute(actions)
            }
        spend: dict[int, Decimal] = defaultdict(Decimal)
        results: dict[int, int | None] = {}
        currencies: dict[int, set[str]] = defaultdict(set)
        for campaign, start, kind, level, adset, ad, amount, currency, link_clicks in counted_rows:
            spend[campaign] += amount
            currencies[campaign].add(currency or "")
            clicks = link_clicks
            if clicks is None and kind == DAY_SPAN:
                clicks = clicks_by_row.get((campaign, _as_date(start), level, adset, ad))
            so_far = results.get(campaign, 0)
            results[campaign] = None if clicks is None or so_far is None else so_far + clicks
        campaigns = [
            CampaignResults(names[c], "/".join(sorted(currencies[c] - {""})), spend[c], results[c])
            for c in sorted(spend, key=lambda c: (names[c], c))
        ]
        where = (
            "warehouse view v_ad_spend (ad_performance_daily, ad_performance_period), ad_actions"
        )
        return where, campaigns

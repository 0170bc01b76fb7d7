"""Streams: the distributors' daily streams by platform (never added to Spotify for Artists,
which counts the same plays), units per track from the royalty lines, and the Spotify for
Artists audience on a panel of its own."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, func, select

from common.dashboard.kpis.figures import (
    Kpi,
    PageData,
    count_kpi,
    empty_page,
    growth_percent,
    line_chart,
    percent,
)
from common.dashboard.kpis.filters import Filters, artist_id, last_days, period_text
from common.dashboard.kpis.queries import latest_day
from common.dashboard.kpis.revenue import RoyaltyScope
from common.warehouse.models import Artist, DailyStreams, Platform, SpotifyAudienceDaily

DISTRIBUTORS = "DistroKid and TooLost daily streams (all artists: they report no artist)"
SPOTIFY = "Spotify for Artists audience"
SAME_PLAYS = (
    "Spotify for Artists counts the same plays as the distributors' Spotify streams: "
    "its figures stay on their own panel and are never added to the totals."
)


def distributor_streams(
    connection: Connection, first: date | None, last: date | None
) -> int | None:
    """Streams every distributor reported between first and last (None: not a day reported)."""
    query = select(func.sum(DailyStreams.streams))
    if first is not None:
        query = query.where(DailyStreams.stream_date >= first)
    if last is not None:
        query = query.where(DailyStreams.stream_date <= last)
    found = connection.execute(query).scalar()
    return None if found is None else int(found)


def streams_anchor(connection: Connection, filters: Filters) -> date | None:
    """The day "the last 30 days" end on: the filter's end, else the newest reported day."""
    return latest_day(connection, DailyStreams.stream_date, filters.end)


def thirty_day_kpis(connection: Connection, filters: Filters) -> list[Kpi]:
    """Distributor streams in the last 30 days against the 30 before."""
    anchor = streams_anchor(connection, filters)
    if anchor is None:
        return [
            count_kpi("streams_30d", "Streams, last 30 days", None, DISTRIBUTORS, "last 30 days"),
            Kpi(
                "streams_30d_change",
                "Against the 30 days before",
                None,
                "no data yet",
                DISTRIBUTORS,
                "last 30 days",
            ),
        ]
    first, last = last_days(anchor, 30)
    before_first, before_last = last_days(first - timedelta(days=1), 30)
    now = distributor_streams(connection, first, last)
    before = distributor_streams(connection, before_first, before_last)
    change = growth_percent(now, before)
    sign = "+" if change is not None and change >= 0 else ""
    return [
        count_kpi(
            "streams_30d", "Streams, last 30 days", now, DISTRIBUTORS, period_text(first, last)
        ),
        Kpi(
            "streams_30d_change",
            "Against the 30 days before",
            None if change is None else round(change, 2),
            "no data yet" if change is None else f"{sign}{percent(change)} (was {before:,})",
            DISTRIBUTORS,
            f"{before_first} to {before_last}",
        ),
    ]


def daily_by_platform(connection: Connection, filters: Filters) -> dict[str, Any]:
    """Each platform's daily distributor streams in the filter's range."""
    query = (
        select(DailyStreams.stream_date, Platform.name, func.sum(DailyStreams.streams))
        .join(Platform, Platform.id == DailyStreams.platform_id)
        .group_by(DailyStreams.stream_date, Platform.name)
        .order_by(DailyStreams.stream_date)
    )
    if filters.start is not None:
        query = query.where(DailyStreams.stream_date >= filters.start)
    if filters.end is not None:
        query = query.where(DailyStreams.stream_date <= filters.end)
    series: dict[str, tuple[list[Any], list[Any]]] = defaultdict(lambda: ([], []))
    for day, platform, streams in connection.execute(query):
        series[platform][0].append(str(day))
        series[platform][1].append(int(streams))
    return {
        "source": DISTRIBUTORS,
        "period": period_text(filters.start, filters.end),
        "note": SAME_PLAYS,
        "platforms": {name: {"dates": xs, "streams": ys} for name, (xs, ys) in series.items()},
    }


def spotify_audience(connection: Connection, filters: Filters) -> dict[str, Any]:
    """The newest audience day per artist (listeners, followers, streams_28d) and the series."""
    artist = artist_id(connection, filters)
    query = (
        select(
            SpotifyAudienceDaily.audience_date,
            Artist.name,
            SpotifyAudienceDaily.listeners,
            SpotifyAudienceDaily.followers,
            SpotifyAudienceDaily.streams_28d,
        )
        .join(Artist, Artist.id == SpotifyAudienceDaily.artist_id)
        .order_by(SpotifyAudienceDaily.audience_date)
    )
    if artist is not None:
        query = query.where(SpotifyAudienceDaily.artist_id == artist)
    if filters.start is not None:
        query = query.where(SpotifyAudienceDaily.audience_date >= filters.start)
    if filters.end is not None:
        query = query.where(SpotifyAudienceDaily.audience_date <= filters.end)
    latest: dict[str, dict[str, Any]] = {}
    followers: dict[str, tuple[list[Any], list[Any]]] = defaultdict(lambda: ([], []))
    for day, name, listeners, fans, streams_28d in connection.execute(query):
        latest[name] = {
            "date": str(day),
            "listeners": listeners,
            "followers": fans,
            "streams_28d": streams_28d,
        }
        followers[name][0].append(str(day))
        followers[name][1].append(fans)
    return {"source": SPOTIFY, "latest": latest, "followers": followers}


def _sum_latest(audience: dict[str, Any], field: str) -> int | None:
    values = [row[field] for row in audience["latest"].values() if row[field] is not None]
    return sum(values) if values else None


def audience_kpis(audience: dict[str, Any]) -> list[Kpi]:
    days = sorted(row["date"] for row in audience["latest"].values())
    period = f"day {days[-1]}" if days else "latest day"
    return [
        count_kpi(
            "spotify_listeners",
            "Spotify listeners",
            _sum_latest(audience, "listeners"),
            SPOTIFY,
            period,
        ),
        count_kpi(
            "spotify_followers",
            "Spotify followers",
            _sum_latest(audience, "followers"),
            SPOTIFY,
            period,
        ),
        count_kpi(
            "spotify_streams_28d",
            "Spotify streams, last 28 days",
            _sum_latest(audience, "streams_28d"),
            SPOTIFY,
            period,
        ),
    ]


def tracks(connection: Connection, filters: Filters) -> list[dict[str, Any]]:
    """Units per track reported in the royalty lines (the distributors' daily figures carry
    no track)."""
    rows = RoyaltyScope(connection, filters).breakdown("track")
    rows.sort(key=lambda row: -row[1])
    return [{"track": name, "units": units} for name, units, _ in rows]


def streams_page(connection: Connection, filters: Filters) -> PageData:
    page = empty_page()
    daily = daily_by_platform(connection, filters)
    total = distributor_streams(connection, filters.start, filters.end)
    audience = spotify_audience(connection, filters)
    kpis = [
        *thirty_day_kpis(connection, filters),
        count_kpi(
            "streams_total",
            "Distributor streams",
            total,
            DISTRIBUTORS,
            period_text(filters.start, filters.end),
        ),
        *audience_kpis(audience),
    ]
    page["kpis"] = [k.as_json() for k in kpis]
    page["charts"]["streams-daily"] = line_chart(
        "Daily streams by platform (distributors)",
        {name: (p["dates"], p["streams"]) for name, p in daily["platforms"].items()},
    )
    page["charts"]["spotify-followers"] = line_chart(
        "Spotify for Artists followers (own panel, never added)", audience["followers"]
    )
    top = tracks(connection, filters)[:20]
    page["tables"]["tracks"] = {
        "columns": ["track", "units (royalty lines)"],
        "rows": [[row["track"], f"{row['units']:,}"] for row in top],
    }
    page["notes"].append(SAME_PLAYS)
    return page

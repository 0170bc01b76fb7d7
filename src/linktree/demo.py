"""Deterministic Linktree demo captures: GraphQL responses as the admin analytics page loads them.

Two captures of "Last 365 days", a day apart in early January 2026. Each holds the analytics
payloads, the link-titles query and operations the lake must ignore (currentUser, wallet). The
first is taken in the evening, so its last day is partial; the second, next morning, revises that
day (complete now) and a late-counted day before it.
"""

from __future__ import annotations

import json
import random
from dataclasses import astuple, dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path

from common.demodata.catalog import RELEASES
from common.demodata.series import (
    DEMO_YEAR_START,
    SERIES_END,
    by_country,
    days_between,
    split,
    true_daily_counts,
)

WINDOW_DAYS = 365
FIRST_CAPTURE = datetime(2026, 1, 2, 18, 30)
SECOND_CAPTURE = datetime(2026, 1, 3, 9, 15)
LATE_COUNTED_DAY = date(2025, 12, 31)
SOCIALS = {"instagram": 6, "tiktok": 5, "spotify": 3, "youtube": 1}
REFERRERS = {"instagram.com": 9, "tiktok.com": 7, "direct": 4, "google.com": 2, "t.co": 1}
DEVICES = {"mobile": 14, "desktop": 4, "tablet": 1}
COUNTRY_NAMES = {
    "US": "United States",
    "GB": "United Kingdom",
    "DE": "Germany",
    "CA": "Canada",
    "FR": "France",
    "BR": "Brazil",
    "MX": "Mexico",
    "AU": "Australia",
}
CITIES = (
    ("Los Angeles", "US", (34.05, -118.24), 6),
    ("New York", "US", (40.71, -74.01), 5),
    ("London", "GB", (51.51, -0.13), 3),
    ("Berlin", "DE", (52.52, 13.4), 3),
    ("Paris", "FR", (48.86, 2.35), 2),
)
# Link ids and titles; the link without a title was deleted, so the titles query answers null.
LINKS = (
    (400000101, "PIG1987 & ZONE A0 – SIGNAL FIRE", 4),
    (400000102, "PIG1987 – NIGHT SHIFT", 5),
    (400000103, "IWARY – SOFT MACHINES", 4),
    (400000104, "PIG1987 – SLOW BURN, FAST FADE", 6),
    (400000105, "ZONE A0 – CAFÉ NOIR (out now)", 7),
    (400000106, "Merch store", 2),
    (400000099, None, 1),
)


@dataclass(frozen=True)
class Day:
    """One day's full figures; clicks include notifications, CTR excludes them."""

    views: int
    unique_views: int
    clicks: int
    unique_clicks: int
    notifications: int

    def part(self, share: float) -> Day:
        """The figures counted by a moment of the day (`share` of it gone)."""
        return Day(*(int(value * share) for value in astuple(self)))

    def ctr(self) -> float:
        return round((self.clicks - self.notifications) / self.views, 4) if self.views else 0.0


def full_days() -> dict[date, Day]:
    views = true_daily_counts(401, 45, [release.release_date for release in RELEASES])
    rng = random.Random(402)
    days = {}
    for day in days_between(DEMO_YEAR_START, SERIES_END):
        total = views[day]
        clicks = total * (38 + int(rng.random() * 19)) // 100
        days[day] = Day(
            total,
            total * (80 + int(rng.random() * 13)) // 100,
            clicks,
            clicks * (75 + int(rng.random() * 16)) // 100,
            min(clicks, int(rng.random() * 3)),
        )
    return days


def _activity(day: date, figures: Day) -> dict[str, object]:
    return {
        "totalViews": figures.views,
        "totalClicks": figures.clicks,
        "uniqueViews": figures.unique_views,
        "uniqueClicks": figures.unique_clicks,
        "clickThroughRate": figures.ctr(),
        "date": day.isoformat(),
        "__typename": "AccountActivity",
    }


def _views_clicks(views: int, clicks: int, kind: str) -> dict[str, object]:
    return {
        "views": {"total": views, "__typename": "AccountViews"},
        "clicks": {"total": clicks, "__typename": "AccountClicks"},
        "clickThroughRate": round(clicks / views, 4) if views else 0,
        "__typename": kind,
    }


def _shares(total: int, weights: dict[str, int]) -> dict[str, int]:
    return dict(zip(weights, split(total, list(weights.values()))))


def _overview(window: dict[date, Day]) -> dict[str, object]:
    views = sum(d.views for d in window.values())
    clicks = sum(d.clicks for d in window.values())
    excluded = sum(d.notifications for d in window.values())
    return {
        "totalViews": views,
        "totalClicks": clicks,
        "clickThroughRate": round((clicks - excluded) / views, 4),
        "timeToClick": 9,
        "clickThroughBenchmark": 0.3,
        "timeseries": [_activity(day, figures) for day, figures in window.items()],
        "__typename": "AccountOverview",
    }


def _socials(window: dict[date, Day]) -> dict[str, object]:
    daily = [
        (day, name, clicks)
        for day, figures in window.items()
        for name, clicks in _shares(figures.clicks // 5, SOCIALS).items()
    ]
    entry = {"views": {"total": 0, "__typename": "AccountViews"}, "__typename": "AccountSocial"}
    totals = {name: sum(c for _, n, c in daily if n == name) for name in SOCIALS}
    return {
        "socials": [
            {**entry, "date": None, "name": name, "clicks": {"total": clicks}}
            for name, clicks in totals.items()
        ],
        "timeseries": [
            {**entry, "date": day.isoformat(), "name": name, "clicks": {"total": clicks}}
            for day, name, clicks in daily
        ],
        "__typename": "AccountSocials",
    }


def _locations(views: int, clicks: int) -> dict[str, object]:
    country_clicks = dict(by_country(clicks, len(COUNTRY_NAMES)))
    countries = [
        {"name": COUNTRY_NAMES[code], "countryCode": code}
        | _views_clicks(n, country_clicks[code], "AccountCountry")
        for code, n in by_country(views, len(COUNTRY_NAMES))
    ]
    city_views = split(views // 3, [weight for *_, weight in CITIES])
    cities = []
    for (name, code, coordinates, _), n in zip(CITIES, city_views):
        place: dict[str, object] = {"name": name, "countryCode": code}
        place["coordinates"] = list(coordinates)
        cities.append(place | _views_clicks(n, n * 2 // 5, "AccountCity"))
    del cities[-1]["clickThroughRate"]  # Linktree leaves it out for small counts
    return {"cities": cities, "countries": countries, "__typename": "AccountLocations"}


def analytics(window: dict[date, Day]) -> dict[str, object]:
    """The `getAccountAnalytics` of the 365-day window, every section the page asks for."""
    views = sum(d.views for d in window.values())
    clicks = sum(d.clicks for d in window.values())
    link_clicks = split(clicks * 3 // 5, [weight for *_, weight in LINKS])
    referrers = _shares(views, REFERRERS)
    referrer_clicks = _shares(clicks, REFERRERS)
    devices = _shares(views, DEVICES)
    device_clicks = _shares(clicks, DEVICES)
    return {
        "overview": _overview(window),
        "links": [
            {"id": link_id, "clicks": {"total": n}, "breakdown": None, "__typename": "AccountLink"}
            for (link_id, *_), n in zip(LINKS, link_clicks)
        ],
        "socials": _socials(window),
        "referrers": {
            "referrers": [
                {"name": name} | _views_clicks(n, referrer_clicks[name], "AccountReferrer")
                for name, n in referrers.items()
            ],
            "__typename": "AccountReferrers",
        },
        "locations": _locations(views, clicks),
        "devices": {
            "devices": [
                {"name": name} | _views_clicks(n, device_clicks[name], "AccountDevice")
                for name, n in devices.items()
            ],
            "__typename": "AccountDevices",
        },
        "__typename": "AccountAnalytics",
    }


def _record(operation: str, query: str, variables: object, data: object) -> dict[str, object]:
    return {
        "operationName": operation,
        "query": query,
        "variables": variables,
        "response": {"data": data},
    }


def _link_titles() -> dict[str, object]:
    return {
        f"link{link_id}": (
            None
            if title is None
            else {"id": str(link_id), "title": title, "active": True, "modifiers": None}
        )
        for link_id, title, _ in LINKS
    }


def capture(taken: datetime, days: dict[date, Day]) -> list[dict[str, object]]:
    """The responses the analytics page loads, in order, up to the moment `taken`."""
    today = taken.date()
    moment = (taken - datetime.combine(today, datetime.min.time())) / timedelta(days=1)
    first = today - timedelta(days=WINDOW_DAYS - 1)
    window = {day: days[day] for day in days_between(first, today - timedelta(days=1))}
    window[today] = days[today].part(moment)
    variables = {"startDate": first.isoformat(), "endDate": today.isoformat(), "period": "DAILY"}
    user = {"currentUser": {"id": "demo-user", "username": "bedrot", "__typename": "User"}}
    wallet = {"getWallet": {"balance": {"amount": 0, "currency": "USD"}, "__typename": "Wallet"}}
    return [
        _record("currentUser", "query currentUser { currentUser { id username } }", {}, user),
        _record(
            "getAccountAnalytics",
            "query getAccountAnalytics($startDate: String!, $endDate: String!) { … }",
            variables,
            {"getAccountAnalytics": analytics(window)},
        ),
        _record(
            "getLinkTitles",
            "query getLinkTitles { link400000101: link(id: 400000101) { id title } … }",
            {},
            _link_titles(),
        ),
        _record("getWallet", "query getWallet { getWallet { balance { amount } } }", {}, wallet),
    ]


def write_linktree(folder: Path) -> list[Path]:
    """Two captures: the evening of 2 January 2026 and the next morning, which revises it."""
    folder.mkdir(parents=True, exist_ok=True)
    days = full_days()
    first = capture(FIRST_CAPTURE, days)
    late = days[LATE_COUNTED_DAY]
    days[LATE_COUNTED_DAY] = replace(late, views=late.views + 2, clicks=late.clicks + 1)
    second = capture(SECOND_CAPTURE, days)
    files = []
    for taken, records in ((FIRST_CAPTURE, first), (SECOND_CAPTURE, second)):
        path = folder / f"graphql_analytics_{taken.strftime('%Y%m%d_%H%M%S')}.json"
        path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
        files.append(path)
    return files

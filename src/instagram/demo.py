"""Deterministic Instagram demo files: two Graph API pulls of zone.a0 (the second re-pulls the
last days of the first, revised) and one Meta Business Suite export of March's views."""

from __future__ import annotations

import json
import random
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from common.demodata.series import days_between
from instagram.dates import day_after, pacific_midnight
from instagram.settings import PULL_DOCUMENT

USER_ID = "17841400000000001"
USERNAME = "zone.a0"
FIRST_PULL = ("instagram_insights_20250501_150000.json", date(2025, 4, 1), date(2025, 4, 30))
REPULL = ("instagram_insights_20250508_150000.json", date(2025, 4, 27), date(2025, 5, 7))
EXPORT = "Views_Mar-01-2025_Mar-31-2025_20250401_090000.csv"
EXPORT_DAYS = (date(2025, 3, 1), date(2025, 3, 31))
VALUES_METRICS = ("reach", "follower_count")
TOTAL_METRICS = ("profile_views", "website_clicks", "profile_links_taps", "accounts_engaged",
                 "total_interactions", "likes", "comments", "shares", "saves")  # fmt: skip
MEDIA = (
    ("18000000000000101", "VIDEO", "REELS", "PARALLAX out now. Link in bio.",
     "2025-04-04T17:00:00+0000"),
    ("18000000000000102", "IMAGE", "FEED", "Studio night with PIG1987 #techno #bedrot",
     "2025-04-12T03:15:00+0000"),
    ("18000000000000103", "CAROUSEL_ALBUM", "FEED", "Tour dates: Berlin, Leeds, Detroit. "
     "Tickets at the link in bio, more cities soon.", "2025-04-22T19:30:00+0000"),
    ("18000000000000104", "VIDEO", "REELS", "SOFT MACHINES snippet", "2025-05-03T16:45:00+0000"),
)  # fmt: skip
MEDIA_METRICS = ("reach", "views", "likes", "comments", "saved", "shares")


def end_time(day: date) -> str:
    """The `end_time` of `day`'s value: the Pacific midnight that ends it (the next day's), in
    UTC as the API writes it."""
    midnight = datetime.fromtimestamp(pacific_midnight(day_after(day)), timezone.utc)
    return midnight.strftime("%Y-%m-%dT%H:%M:%S+0000")


def daily_views(rng: random.Random, day: date) -> int:
    return 600 + (day.toordinal() % 7) * 90 + rng.randint(0, 400)


def _values(rng: random.Random, first: date, last: date) -> list[dict[str, Any]]:
    days = days_between(first, last)
    return [
        {"name": metric, "period": "day", "title": metric,
         "values": [{"value": rng.randint(200, 900) if metric == "reach" else rng.randint(0, 25),
                     "end_time": end_time(day)} for day in days]}
        for metric in VALUES_METRICS
    ]  # fmt: skip


def _totals(rng: random.Random, day: date) -> dict[str, Any]:
    views = daily_views(rng, day)
    followers = views * 2 // 5
    data: list[dict[str, Any]] = [
        {"name": m, "period": "day", "title": m,
         "total_value": {"value": rng.randint(0, 60 if m != "profile_views" else 180)}}
        for m in TOTAL_METRICS
    ]  # fmt: skip
    data.append({"name": "views", "period": "day", "title": "Views", "total_value": {
        "value": views, "breakdowns": [{"dimension_keys": ["follower_type"], "results": [
            {"dimension_values": ["FOLLOWER"], "value": followers},
            {"dimension_values": ["NON_FOLLOWER"], "value": views - followers}]}]}})  # fmt: skip
    return {"day": day.isoformat(), "data": data}


def _media(rng: random.Random, pulled: date) -> list[dict[str, Any]]:
    found = []
    for media_id, kind, product, caption, stamp in MEDIA:
        posted = date.fromisoformat(stamp[:10])
        if posted > pulled:
            continue
        age = (pulled - posted).days + 1
        insights = [{"name": m, "period": "lifetime", "values": [
            {"value": age * (40 if m in ("reach", "views") else 3) + rng.randint(0, 30)}]}
            for m in MEDIA_METRICS]  # fmt: skip
        link = f"https://www.instagram.com/p/demo{media_id[-3:]}/"
        found.append({"id": media_id, "media_type": kind, "media_product_type": product,
                      "caption": caption, "timestamp": stamp, "insights": insights,
                      "permalink": link})  # fmt: skip
    return found


def pull(seed: int, first: date, last: date, followers: int) -> dict[str, Any]:
    rng = random.Random(seed)
    pulled = last + timedelta(days=1)
    return {
        "document": PULL_DOCUMENT, "api_version": "v23.0", "ig_user_id": USER_ID,
        "username": USERNAME, "pulled_at": f"{pulled.isoformat()}T15:00:00+0000",
        "window": {"first": first.isoformat(), "last": last.isoformat()},
        "account": {"followers_count": followers, "media_count": len(MEDIA)},
        "daily": [{"since": first.isoformat(), "until": last.isoformat(),
                   "data": _values(rng, first, last)}],
        "totals": [_totals(rng, day) for day in days_between(first, last)],
        "media": _media(rng, pulled),
        "unsupported_metrics": {},
    }  # fmt: skip


def business_suite_export() -> bytes:
    rng = random.Random(303)
    rows = [f'"{day.isoformat()}T00:00:00","{daily_views(rng, day)}"'
            for day in days_between(*EXPORT_DAYS)]  # fmt: skip
    text = "\n".join(["sep=,", '"Views"', '"Date","Primary"', *rows]) + "\n"
    return "\ufeff".encode("utf-16-le") + text.encode("utf-16-le")


def write_instagram(folder: Path) -> list[Path]:
    """The demo files in `folder`; the same bytes on every run (fixed seeds, 2025)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for (name, first, last), seed, followers in ((FIRST_PULL, 41, 2310), (REPULL, 42, 2388)):
        target = folder / name
        target.write_text(json.dumps(pull(seed, first, last, followers), indent=2) + "\n",
                          encoding="utf-8")  # fmt: skip
        written.append(target)
    export = folder / EXPORT
    export.write_bytes(business_suite_export())
    return [*written, export]

"""Instagram's days are Pacific calendar days: `end_time` is Pacific midnight written in UTC,
the midnight that ends the day a value covers."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from instagram.settings import PACIFIC

_PACIFIC = ZoneInfo(PACIFIC)


def pacific_day(moment: str) -> date:
    """The Pacific calendar day of an API time such as `2025-01-02T08:00:00+0000`.

    Taking the UTC date, or the date in the machine's zone, is off by one for part of the day
    in some zones; the account's insights are kept in Pacific time, so the day is read there.
    """
    parsed = datetime.strptime(moment, "%Y-%m-%dT%H:%M:%S%z")
    return parsed.astimezone(_PACIFIC).date()


def period_day(end_time: str) -> date:
    """The Pacific day a `period=day` value covers. Its `end_time` ends the value's 24-hour
    period (Meta: "periods ending on UTC-07:00"), so `2025-01-02T08:00:00+0000`, Pacific
    midnight starting 2 January, closes 1 January: the day asked for with `since` = 1 January
    and `until` = 2 January, the same day as that window's `total_value` metrics."""
    return pacific_day(end_time) - timedelta(days=1)


def pacific_midnight(day: date) -> int:
    """Unix seconds of the Pacific midnight that starts `day` (the API's `since`/`until`)."""
    return int(datetime.combine(day, time(), tzinfo=_PACIFIC).timestamp())


def pacific_today(now: datetime | None = None) -> date:
    return (now or datetime.now(timezone.utc)).astimezone(_PACIFIC).date()


def day_after(day: date) -> date:
    return day + timedelta(days=1)

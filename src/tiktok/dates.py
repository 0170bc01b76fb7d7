"""Year-less Studio dates ("January 1", "1er janvier", "11 septembre") and their years.

Studio writes no year. A file's name carries the first day of its window and/or the moment it
was exported, and the rows are in date order, so the years follow: walking forward from the
first row, dated on or after the window's first day, the year goes up whenever the month and day
go down (December 31 → January 1); walking back from the last row, dated on or before the export
day, it goes down whenever they go up. Each anchor gets a day's slack, as an epoch read in UTC
can be a day off the account's calendar. No year is ever assumed. A video's post day takes its
year from the video's id instead (posted_day).
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime, timedelta, timezone

from tiktok.settings import DATE_FILLERS, FIRST_VIDEO_DAY, MONTH_NAMES, VIDEO_ID_TIME_SHIFT

# Largest day of each month in a leap year: February 29 is only refused once the year is known.
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_DAY = re.compile(r"(\d{1,2})(?:er|re|st|nd|rd|th|o)?")
_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_SEPARATORS = re.compile(r"[\s.,/]+")
# A month-day is coded as month * 100 + day; a full date as year * 10_000 + month * 100 + day.
FULL_DATE_CODE = 10_000
# An epoch read in UTC can be a day off the account's own calendar.
SLACK = timedelta(days=1)
MAX_GAP_DAYS = 31


class DatingError(ValueError):
    """The rows' dates cannot be placed in years; `index` is the data row at fault, if one is."""

    def __init__(self, message: str, index: int | None = None) -> None:
        super().__init__(message)
        self.index = index


def fold(text: str) -> str:
    """Lower case without accents: 'Février' → 'fevrier', 'Μαΐου' → 'μαιου'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _month_lookup() -> dict[str, int]:
    lookup: dict[str, int] = {}
    for language, months in MONTH_NAMES.items():
        for number, names in enumerate(months, start=1):
            for name in names:
                key = fold(name)
                if lookup.setdefault(key, number) != number:
                    raise ValueError(f"{language} month name {name!r} means two months")
    return lookup


MONTHS = _month_lookup()


def day_code(text: str) -> int | None:
    """The coded date of a Studio date text, or None when it is not one we can read.

    'January 1' and '1er janvier' → 101; 'December 31' → 1231; an ISO '2025-12-31' keeps its
    year (20251231). A month name in a language we do not know gives None.
    """
    iso = _ISO_DAY.fullmatch(text.strip())
    if iso:
        year, month, day = int(iso[1]), int(iso[2]), int(iso[3])
        try:
            date(year, month, day)
        except ValueError:
            return None
        return year * FULL_DATE_CODE + month * 100 + day
    words = [w for w in _SEPARATORS.split(fold(text)) if w and w not in DATE_FILLERS]
    if len(words) != 2:
        return None
    days = [_DAY.fullmatch(w) for w in words]
    months = [MONTHS.get(w) for w in words]
    for day_at, month_at in ((0, 1), (1, 0)):
        matched, number = days[day_at], months[month_at]
        if matched and number is not None and 1 <= int(matched[1]) <= _DAYS_IN_MONTH[number - 1]:
            return number * 100 + int(matched[1])
    return None


def _on(year: int, code: int, index: int) -> date:
    try:
        return date(year, code // 100, code % 100)
    except ValueError:
        raise DatingError(f"says {_describe(code)}, but {year} has no such day", index) from None


def _describe(code: int) -> str:
    return f"{calendar.month_name[code // 100]} {code % 100}"


def on_or_before(code: int, limit: date, index: int | None = None) -> date:
    """The latest date with this month and day on or before `limit`."""
    for year in range(limit.year, limit.year - 5, -1):
        try:
            day = date(year, code // 100, code % 100)
        except ValueError:
            continue
        if day <= limit:
            return day
    raise DatingError(f"says {_describe(code)}, which is in no year before {limit}", index)


def on_or_after(code: int, limit: date, index: int | None = None) -> date:
    """The earliest date with this month and day on or after `limit`."""
    for year in range(limit.year, limit.year + 5):
        try:
            day = date(year, code // 100, code % 100)
        except ValueError:
            continue
        if day >= limit:
            return day
    raise DatingError(f"says {_describe(code)}, which is in no year after {limit}", index)


def video_id_day(video_id: str) -> date | None:
    """The UTC day a video was posted, read from its id's top 32 bits (Unix seconds), or None
    when the id holds no plausible post time (not a 64-bit number, or before TikTok existed)."""
    if not video_id.isdigit() or int(video_id) >= 2**64:
        return None
    seconds = int(video_id) >> VIDEO_ID_TIME_SHIFT
    day = datetime.fromtimestamp(seconds, tz=timezone.utc).date()
    return day if day >= FIRST_VIDEO_DAY else None


def posted_day(code: int, video_id: str | None, latest: date, index: int | None = None) -> date:
    """The day a video was posted, by its year-less "Post time" and its id.

    "Post time" gives no year, and the latest such day on or before the export puts a post older
    than a year a year late. The id's post time gives the year; Studio's own month and day are
    kept, as the account's calendar can be a day off UTC. An id whose time is not within a day of
    "Post time" or after `latest` does not date this post: then the latest such day on or before
    `latest` is all we know.
    """
    if code >= FULL_DATE_CODE:
        return date(code // FULL_DATE_CODE, code // 100 % 100, code % 100)
    minted = video_id_day(video_id) if video_id else None
    if minted is not None:
        try:
            day = on_or_before(code, minted + SLACK)
        except DatingError:
            day = None
        if day is not None and minted - day <= SLACK and day <= latest:
            return day
    return on_or_before(code, latest, index)


def walk_forward(codes: Sequence[int], window_start: date) -> list[date]:
    """Dates of rows in date order, the first on or after the window's first day (less a day)."""
    if not codes:
        return []
    year = on_or_after(codes[0], window_start - SLACK, 0).year
    days = [_on(year, codes[0], 0)]
    for index, (previous, code) in enumerate(zip(codes, codes[1:]), start=1):
        if code < previous:
            year += 1
        days.append(_on(year, code, index))
    return days


def walk_backward(codes: Sequence[int], export_day: date) -> list[date]:
    """Dates of rows in date order, the last on or before the export day (plus a day)."""
    if not codes:
        return []
    last = len(codes) - 1
    year = on_or_before(codes[last], export_day + SLACK, last).year
    days = [_on(year, codes[last], last)]
    for index in range(last - 1, -1, -1):
        if codes[index] > codes[index + 1]:
            year -= 1
        days.append(_on(year, codes[index], index))
    return days[::-1]


def _check_order(days: Sequence[date]) -> None:
    """Studio lists every day in order: a jump of over a month means rows out of order."""
    for index, (previous, day) in enumerate(zip(days, days[1:]), start=1):
        if (day - previous).days > MAX_GAP_DAYS:
            raise DatingError(
                f"jumps from {previous} to {day}: the rows are not in date order", index
            )


def resolve_days(
    codes: Sequence[int], window_start: date | None, export_day: date | None
) -> list[date]:
    """Every row's date, walked from each anchor the name gives; with both, they must agree.

    Two anchors that give different years mean the name does not belong to the rows (a window
    start or an epoch from another export): the file is refused rather than misdated.
    """
    full = [code >= FULL_DATE_CODE for code in codes]
    if all(full) and codes:
        return [date(c // FULL_DATE_CODE, c // 100 % 100, c % 100) for c in codes]
    if any(full):
        raise DatingError("it mixes dates with and without a year")
    forward = None if window_start is None else walk_forward(codes, window_start)
    backward = None if export_day is None else walk_backward(codes, export_day)
    if forward is not None and backward is not None and forward != backward:
        raise DatingError(
            f"counted from the window start {window_start} in its name its rows run from "
            f"{forward[0]} to {forward[-1]}, but counted back from its export on {export_day} "
            f"from {backward[0]} to {backward[-1]}: the name does not match the rows"
        )
    days = forward if forward is not None else backward
    if days is None:
        raise DatingError("its name gives neither the window's first day nor the export time")
    _check_order(days)
    return days

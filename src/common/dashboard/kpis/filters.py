"""The date range and artist filter every page and API route takes, checked before any query.

Dates are `YYYY-MM-DD`; the artist is any name or alias the warehouse knows. A bad value is a
`FilterError` whose message the page or the API shows as it is (HTTP 422).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Connection, func, or_, select

from common.warehouse.models import Artist, ArtistAlias

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
MAX_ARTIST_LENGTH = 200


class FilterError(ValueError):
    """A filter value the dashboard cannot use; the message names it and says what to type."""


@dataclass(frozen=True)
class Filters:
    start: date | None = None
    end: date | None = None
    artist: str | None = None

    def as_query(self) -> dict[str, str]:
        """The filters as the query parameters (and live subscription) that ask for them."""
        query = {"start": self.start, "end": self.end, "artist": self.artist}
        return {key: str(value) for key, value in query.items() if value is not None}

    def contains(self, day: date) -> bool:
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)


def _day(name: str, value: str | None) -> date | None:
    if value is None or value.strip() == "":
        return None
    text = value.strip()
    if not _ISO_DAY.fullmatch(text):
        raise FilterError(f"The {name} date {value!r} is not a date: write it as YYYY-MM-DD.")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise FilterError(f"The {name} date {value!r} is not a real day of the calendar.") from None


def parse_filters(
    start: str | None = None, end: str | None = None, artist: str | None = None
) -> Filters:
    """The filters from query parameters, or the sentence that says which one is wrong."""
    first, last = _day("start", start), _day("end", end)
    if first is not None and last is not None and first > last:
        raise FilterError(f"The start date {first} is after the end date {last}.")
    name = (artist or "").strip() or None
    if name is not None and (len(name) > MAX_ARTIST_LENGTH or not name.isprintable()):
        raise FilterError("The artist filter must be a name of at most 200 printable characters.")
    return Filters(first, last, name)


def artist_id(connection: Connection, filters: Filters) -> int | None:
    """The warehouse id of the filtered artist (any spelling it knows), None without a filter."""
    if filters.artist is None:
        return None
    wanted = filters.artist.lower()
    found = connection.execute(
        select(Artist.id)
        .outerjoin(ArtistAlias, ArtistAlias.artist_id == Artist.id)
        .where(or_(func.lower(Artist.name) == wanted, func.lower(ArtistAlias.alias) == wanted))
        .limit(1)
    ).scalar()
    if found is None:
        raise FilterError(f"No artist named {filters.artist!r} is in the warehouse.")
    return int(found)


def last_days(end: date, days: int) -> tuple[date, date]:
    """The `days` days ending on `end`, both included."""
    return end - timedelta(days=days - 1), end


def period_text(first: date | None, last: date | None) -> str:
    if first is None and last is None:
        return "all time"
    if first is None:
        return f"to {last}"
    if last is None:
        return f"from {first}"
    return f"{first} to {last}"

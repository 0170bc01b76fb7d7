"""Reading one YouTube value: counts, exact decimals, durations and the dates each source writes.

A value that cannot be read is `BadValue`; the reader that met it turns it into the file's
rejection with the line and column, so the label owner can find it.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

_CLOCK = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{2})$")
_PUBLISHED_FORMATS = ("%b %d, %Y", "%Y-%m-%d", "%d %b %Y", "%B %d, %Y")


class BadValue(ValueError):
    """A cell that is not what its column holds; the message says what was expected."""


def _plain(text: object) -> str | None:
    value = "" if text is None else str(text).strip()
    return value.replace(",", "") if value else None


def count(text: object) -> int | None:
    """A whole number (views, likes…); empty stays unknown. "1,250" is 1250."""
    value = _plain(text)
    if value is None:
        return None
    number = decimal(value)
    if number is None or number != number.to_integral_value():
        raise BadValue(f"{text!r} is not a whole number")
    return int(number)


def decimal(text: object) -> Decimal | None:
    """An exact decimal (minutes watched may be fractional); empty stays unknown."""
    value = _plain(text)
    if value is None:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise BadValue(f"{text!r} is not a number") from None
    if not number.is_finite():
        raise BadValue(f"{text!r} is not a number")
    return number


def seconds(text: object) -> Decimal | None:
    """A duration in seconds: a number, or Studio's clock text "0:01:12" (72 s)."""
    value = _plain(text)
    if value is None:
        return None
    match = _CLOCK.match(value)
    if match:
        hours, minutes, secs = (int(part or 0) for part in match.groups())
        return Decimal(hours * 3600 + minutes * 60 + secs)
    return decimal(value)


def iso_day(text: object) -> date:
    """A day as the APIs and Studio's chart exports write it: 2025-01-14 or 20250114."""
    value = str(text).strip()
    for pattern in ("%Y-%m-%d", "%Y%m%d"):
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise BadValue(f"{text!r} is not a date (YYYY-MM-DD or YYYYMMDD)")


def published_day(text: object) -> date | None:
    """Studio's "Video publish time" ("Jan 14, 2025"); empty stays unknown."""
    value = str(text or "").strip()
    if not value:
        return None
    for pattern in _PUBLISHED_FORMATS:
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise BadValue(f"{text!r} is not a publish date such as 'Jan 14, 2025'")


def text_of(value: Decimal | None) -> str | None:
    """Exact decimal text for raw and staging files ("24.5", "72"), never a float."""
    if value is None:
        return None
    return format(value.normalize(), "f")

"""Statement periods: a quarter ("2025-Q3") or a month ("2025-07"), by reporting date."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class PeriodError(ValueError):
    """The period is not written as 2025-Q3 or 2025-07."""


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date  # inclusive
    name: str

    @property
    def is_quarter(self) -> bool:
        return "Q" in self.name

    def following(self) -> Period:
        """The period of the same kind that starts the day after this one ends."""
        return period_of(self.end + timedelta(days=1), self.is_quarter)

    def holds(self, day: date) -> bool:
        return self.start <= day <= self.end


def parse_period(text: str) -> Period:
    """'2025-Q3' is July to September 2025, '2025-07' is July 2025."""
    quarter = _QUARTER.match(text.strip())
    if quarter:
        return period_of(date(int(quarter[1]), 3 * int(quarter[2]) - 2, 1), quarterly=True)
    month = _MONTH.match(text.strip())
    if month and 1 <= int(month[2]) <= 12:
        return period_of(date(int(month[1]), int(month[2]), 1), quarterly=False)
    raise PeriodError(
        f"{text!r} is not a period; write a quarter like 2025-Q3 or a month like 2025-07."
    )


def period_of(day: date, quarterly: bool) -> Period:
    """The quarter or month that holds `day`."""
    first_month = 3 * ((day.month - 1) // 3) + 1 if quarterly else day.month
    start = date(day.year, first_month, 1)
    months = 3 if quarterly else 1
    index = start.year * 12 + start.month - 1 + months
    end = date(index // 12, index % 12 + 1, 1) - timedelta(days=1)
    name = f"{day.year}-Q{(first_month + 2) // 3}" if quarterly else start.strftime("%Y-%m")
    return Period(start, end, name)

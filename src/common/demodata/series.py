"""Daily stream counts of the demo year and the integer shares that split them."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

DEMO_YEAR_START = date(2025, 1, 1)
SERIES_END = date(2026, 2, 28)
COUNTRIES = dict(US=30, GB=8, DE=8, CA=5, FR=5, BR=5, MX=4, AU=3, NL=3, IN=3, SE=2, JP=2, XK=1)


def days_between(first: date, last: date) -> list[date]:
    """Every day from `first` to `last`, both included."""
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def true_daily_counts(seed: int, level: int, release_dates: Iterable[date]) -> dict[date, int]:
    """A growing, weekly-seasonal daily count with a decaying bump after each release."""
    rng = random.Random(seed)
    days = days_between(DEMO_YEAR_START, SERIES_END)
    bumps = [0] * len(days)
    for released in release_dates:
        bump = level * 2
        for index in range((released - DEMO_YEAR_START).days, len(days)):
            if index >= 0:
                bumps[index] += bump
            bump = bump * 93 // 100
    weekly = (100, 96, 98, 102, 115, 110, 104)
    counts = {}
    for index, day in enumerate(days):
        base = level + level * index // len(days) + bumps[index]
        counts[day] = base * weekly[day.weekday()] * (85 + int(rng.random() * 31)) // 10_000
    return counts


def split(total: int, weights: Sequence[int]) -> list[int]:
    """Integer shares of `total` in proportion to `weights` that add up to `total` exactly."""
    whole = sum(weights)
    shares = [total * weight // whole for weight in weights]
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % whole), i))
    for index in by_remainder[: total - sum(shares)]:
        shares[index] += 1
    return shares


def by_country(total: int, top: int) -> list[tuple[str, int]]:
    """`total` shared among the first `top` countries in proportion to their weight."""
    codes = list(COUNTRIES)[:top]
    return list(zip(codes, split(total, [COUNTRIES[code] for code in codes])))

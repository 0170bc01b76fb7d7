"""Which reported spans of one campaign a total adds: every day, then the ranges no day covers.

Meta reports a campaign per day (`time_increment=1`, an export broken down by day) or over a
range (an Ads Manager export from "Reporting starts" to "Reporting ends", a lifetime pull). The
same days are often reported both ways, and two ranges can overlap (a monthly export beside a
weekly one): adding them all would count a day's spend twice. The rule, the same one the
warehouse's `v_ad_spend` view applies in SQL:

- every day that has a daily row counts, through its daily row;
- a range counts only when none of its days has a daily row and no other such range of the
  campaign that overlaps it is narrower (on equal length: starts earlier).

So a day is never counted twice; a range that is partly covered by daily rows is left out whole
(its other days count only once they are reported by day), and of overlapping ranges the
narrowest wins.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

Span = tuple[date, date]


def span_days(span: Span) -> set[date]:
    first, last = span
    return {first + timedelta(days=n) for n in range((last - first).days + 1)}


def _preference(span: Span) -> tuple[int, date]:
    first, last = span
    return (last - first).days, first


def _overlap(one: Span, other: Span) -> bool:
    return one[0] <= other[1] and other[0] <= one[1]


def counted_spans(spans: Iterable[Span]) -> list[Span]:
    """The spans of one campaign whose figures a total adds, days first, in date order."""
    reported = set(spans)
    daily = {first for first, last in reported if first == last}
    ranges = [span for span in reported if span[0] != span[1]]
    free = [span for span in ranges if not span_days(span) & daily]
    used = [
        span
        for span in free
        if not any(
            other != span and _overlap(other, span) and _preference(other) < _preference(span)
            for other in free
        )
    ]
    return sorted([(day, day) for day in daily] + used)


def left_out(spans: Iterable[Span]) -> list[tuple[Span, int]]:
    """Reported ranges that are not counted although some of their days are counted by nothing
    else, with how many such days: their spend is missing from the totals until those days are
    reported by day (or by a range that does count)."""
    reported = set(spans)
    chosen = counted_spans(reported)
    covered = set[date]().union(*map(span_days, chosen))
    missing = [(span, len(span_days(span) - covered)) for span in reported - set(chosen)]
    return sorted((span, days) for span, days in missing if days)

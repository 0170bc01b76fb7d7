"""Expected against actual: did the bank details pay what the distributor's streams earned?

Reporting lag: a store's royalties reach DistroKid's bank details months after the sale month;
the spread of (reporting month − sale month) over its lines says how long to wait. A sale month
of a store stays `open` until its high lag (config `lag_quantile_percent`, default the 90th
percentile) has passed since the month's end. Then it is `missing` when no line arrived although
the distributor counted streams, `under-reported` when the royalty is below the expected one by
more than `tolerance_percent`, else `reconciled`. Expected = the distributor's streams (DistroKid
stats, TooLost; never Spotify for Artists) × the store's trailing rate.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

from sqlalchemy import Connection, func, select

from common.money.analytics_settings import MoneyRules
from common.money.rates import Earned, Key, Rate, TrailingRates, month_index
from common.warehouse.aggregates import money_groups
from common.warehouse.models import DailyStreams, Platform
from common.warehouse.types import MONEY_SCALE

OPEN, RECONCILED, UNDER_REPORTED, MISSING = "open", "reconciled", "under-reported", "missing"
PICODOLLAR = Decimal(1).scaleb(-MONEY_SCALE)


@dataclass(frozen=True)
class ReportingLag:
    """One store's lag in months (store None: every store together)."""

    store: str | None
    lines: int
    min_months: int
    median_months: int
    high_months: int
    high_percentile: int
    max_months: int


def percentile(counts: Counter[int], percent: int) -> int:
    """Nearest-rank percentile of values given with their counts: the smallest value that at
    least `percent` % of the lines do not exceed."""
    total = sum(counts.values())
    rank = max(1, math.ceil(total * percent / 100))
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        if seen >= rank:
            return value
    raise ValueError("no values")


def _lag(store: str | None, counts: Counter[int], percent: int) -> ReportingLag:
    return ReportingLag(
        store,
        sum(counts.values()),
        min(counts),
        percentile(counts, 50),
        percentile(counts, percent),
        percent,
        max(counts),
    )


def reporting_lags(connection: Connection, rules: MoneyRules) -> dict[str | None, ReportingLag]:
    """Each store's lag from its lines (grouped in SQL by reporting date and sale month, over
    the pre-aggregated royalty groups)."""
    groups = money_groups(connection)
    query = (
        select(
            Platform.name, groups.c.reporting_date, groups.c.sale_month, func.sum(groups.c.lines)
        )
        .join(Platform, Platform.id == groups.c.platform_id)
        .group_by(Platform.name, groups.c.reporting_date, groups.c.sale_month)
    )
    counts: dict[str | None, Counter[int]] = defaultdict(Counter)
    for store, reported, sale_month, lines in connection.execute(query):
        reported_on = reported if isinstance(reported, date) else date.fromisoformat(reported)
        months = reported_on.year * 12 + reported_on.month - 1 - month_index(sale_month)
        counts[store][months] += int(lines)
        counts[None][months] += int(lines)
    percent = rules.lag_quantile_percent
    return {store: _lag(store, spread, percent) for store, spread in counts.items()}


@dataclass(frozen=True)
class ExpectedActual:
    """One sale month of one store, compared."""

    sale_month: str
    store: str
    distributor_streams: int
    rate: Rate | None
    expected: Decimal | None
    actual: Earned
    lag_months: int
    judged_from: date
    status: str


def distributor_streams(connection: Connection, rules: MoneyRules) -> dict[tuple[str, str], int]:
    """The distributors' daily streams by sale month × the store they are paid under."""
    query = (
        select(DailyStreams.stream_date, Platform.name, func.sum(DailyStreams.streams))
        .join(Platform, Platform.id == DailyStreams.platform_id)
        .group_by(DailyStreams.stream_date, Platform.name)
    )
    streams: dict[tuple[str, str], int] = defaultdict(int)
    for day, platform, count in connection.execute(query):
        month = str(day)[:7]
        streams[(month, rules.store_for_platform(platform))] += int(count or 0)
    return dict(streams)


def first_day_after(sale_month: str, lag_months: int) -> date:
    """The first day on which a sale month reported with `lag_months` lag is overdue."""
    index = month_index(sale_month) + lag_months + 1
    return date(index // 12, index % 12 + 1, 1)


def expected_earnings(streams: int, rate: Rate | None) -> Decimal | None:
    """streams × royalty ÷ rate streams, to the picodollar (the unit money is stored in)."""
    if rate is None:
        return None
    return (Decimal(streams) * rate.royalty / rate.units).quantize(PICODOLLAR, ROUND_HALF_EVEN)


def judge(
    expected: Decimal | None,
    actual: Earned,
    streams: int,
    judged_from: date,
    today: date,
    tolerance_percent: Decimal,
) -> str:
    if today < judged_from:
        return OPEN
    if actual.lines == 0:
        return MISSING if streams > 0 else RECONCILED
    if expected is not None and expected > 0:
        floor = expected * (100 - tolerance_percent) / 100
        if actual.royalty < floor:
            return UNDER_REPORTED
    return RECONCILED


def expected_against_actual(
    streams: dict[tuple[str, str], int],
    monthly: dict[Key, Earned],
    trailing: TrailingRates,
    lags: dict[str | None, ReportingLag],
    rules: MoneyRules,
    today: date,
) -> list[ExpectedActual]:
    """Every sale month × store the distributors counted streams for, judged as of `today`."""
    spelled = {store.lower(): store for _, store, _ in monthly if store is not None}
    rows: list[ExpectedActual] = []
    for (month, mapped), count in sorted(streams.items()):
        store = spelled.get(mapped.lower(), mapped)
        rate = trailing.rate(month, store, None)
        expected = expected_earnings(count, rate)
        actual = monthly.get((month, store, None), Earned())
        known = lags.get(store) or lags.get(None)
        lag = known.high_months if known is not None else rules.default_lag_months
        due = first_day_after(month, max(lag, 0))
        status = judge(expected, actual, count, due, today, rules.tolerance_percent)
        rows.append(ExpectedActual(month, store, count, rate, expected, actual, lag, due, status))
    return rows


def status_counts(rows: Iterable[ExpectedActual]) -> dict[str, int]:
    counts = Counter(row.status for row in rows)
    return {status: counts[status] for status in (OPEN, RECONCILED, UNDER_REPORTED, MISSING)}

"""Per-stream rates: royalty ÷ streams on the streaming lines of the bank details, by store ×
country × sale month, and the trailing rate that predicts a month from the months before it.

A streaming line is a `Song` line of a store that is not a download store (config
`download_stores`); album lines and downloads are sold, not streamed. The trailing rate of a
sale month is the rate of the `trailing_months` sale months before it, at the narrowest level
with at least `minimum_streams` streams: store × country, else the store, else all stores.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, localcontext

from sqlalchemy import Connection, func, select

from common.money.analytics_settings import MoneyRules
from common.warehouse.aggregates import money_groups
from common.warehouse.models import Platform, Territory
from common.warehouse.money_sql import exact_sum, exact_total

RATE_DECIMALS = Decimal("1e-15")
STORE_COUNTRY, STORE, ALL_STORES = "store × country", "store", "all stores"
EARLIER_MONTHS = "all earlier months"


@dataclass(frozen=True)
class Earned:
    """Streams and royalty of one key (a month, a store, a country) and how many lines."""

    units: int = 0
    royalty: Decimal = Decimal(0)
    lines: int = 0

    def __add__(self, other: Earned) -> Earned:
        return Earned(
            self.units + other.units, self.royalty + other.royalty, self.lines + other.lines
        )


@dataclass(frozen=True)
class Rate:
    """A per-stream rate, exact, with the streams and royalty it comes from and its basis."""

    units: int
    royalty: Decimal
    basis: str

    @property
    def per_stream(self) -> Decimal:
        with localcontext() as context:
            context.prec = 40
            return (self.royalty / self.units).quantize(RATE_DECIMALS, ROUND_HALF_EVEN)

    @property
    def text(self) -> str:
        return format(self.per_stream, "f")


# (sale month, store, country): `None` store or country is the total over it.
Key = tuple[str, str | None, str | None]


def month_index(month: str) -> int:
    """'2025-03' → a number that counts months, so that month arithmetic is subtraction."""
    year, number = month.split("-")[:2]
    return int(year) * 12 + int(number) - 1


def month_name(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def rate_of(earned: Earned, basis: str) -> Rate | None:
    return Rate(earned.units, earned.royalty, basis) if earned.units > 0 else None


def streaming_earnings(connection: Connection, rules: MoneyRules) -> dict[Key, Earned]:
    """Streams and royalty of the streaming lines by sale month × store × country, summed in
    SQL exactly (`exact_sum`) over the pre-aggregated royalty groups, so millions of lines are
    neither read again nor passed through Python one by one."""
    downloads = [store.lower() for store in rules.download_stores]
    groups = money_groups(connection)
    parts = exact_sum(groups.c.earnings_picousd, connection.dialect.name)
    query = (
        select(
            groups.c.sale_month,
            Platform.name,
            Territory.code,
            func.sum(groups.c.quantity),
            func.sum(groups.c.lines),
            *parts,
        )
        .join(Platform, Platform.id == groups.c.platform_id)
        .outerjoin(Territory, Territory.id == groups.c.territory_id)
        .where(groups.c.song == 1)
        .where(func.lower(Platform.name).not_in(downloads))
        .group_by(groups.c.sale_month, Platform.name, Territory.code)
    )
    earned: dict[Key, Earned] = {}
    for month, store, country, units, lines, *sums in connection.execute(query):
        key = (str(month), str(store), country or "")
        earned[key] = Earned(int(units or 0), exact_total(sums), int(lines))
    return earned


def rolled_up(earned: dict[Key, Earned]) -> dict[Key, Earned]:
    """The store × country figures plus their totals per store (country None) and over all
    stores (store and country None), per sale month."""
    totals: dict[Key, Earned] = defaultdict(Earned)
    for (month, store, country), figures in earned.items():
        totals[(month, store, country)] += figures
        totals[(month, store, None)] += figures
        totals[(month, None, None)] += figures
    return dict(totals)


class TrailingRates:
    """Trailing rates over the sale months before a month, falling back to wider levels."""

    def __init__(self, monthly: dict[Key, Earned], rules: MoneyRules) -> None:
        self._monthly = monthly
        self._months = rules.trailing_months
        self._minimum = rules.minimum_streams
        self._first = min((month_index(m) for m, _, _ in monthly), default=0)

    def window(self, month: str, store: str | None, country: str | None) -> Earned:
        """The key's streams and royalty over the `trailing_months` sale months before `month`."""
        end = month_index(month)
        total = Earned()
        for index in range(end - self._months, end):
            total += self._monthly.get((month_name(index), store, country), Earned())
        return total

    def _earlier(self, month: str) -> Earned:
        end = month_index(month)
        total = Earned()
        for index in range(self._first, end):
            total += self._monthly.get((month_name(index), None, None), Earned())
        return total

    def rate(self, month: str, store: str | None, country: str | None) -> Rate | None:
        """The narrowest level with enough streams; all stores whatever their number; and when
        even they have none in the window (a gap in the bank details), all earlier months."""
        levels: list[tuple[str | None, str | None, str]] = []
        if store is not None and country is not None:
            levels.append((store, country, STORE_COUNTRY))
        if store is not None:
            levels.append((store, None, STORE))
        for level_store, level_country, basis in levels:
            earned = self.window(month, level_store, level_country)
            if earned.units >= max(self._minimum, 1):
                return rate_of(earned, basis)
        wide = self.window(month, None, None)
        if wide.units > 0:
            return rate_of(wide, ALL_STORES)
        return rate_of(self._earlier(month), EARLIER_MONTHS)


def level_of(store: str | None, country: str | None) -> str:
    if store is None:
        return ALL_STORES
    return STORE if country is None else STORE_COUNTRY


def rate_rows(
    monthly: dict[Key, Earned], trailing: TrailingRates
) -> Iterator[tuple[Key, Earned, Rate | None, Rate | None, Earned]]:
    """Every key with its month's own rate, its trailing rate and its trailing window."""
    for (month, store, country), earned in sorted(monthly.items(), key=_sort_key):
        yield (
            (month, store, country),
            earned,
            rate_of(earned, level_of(store, country)),
            trailing.rate(month, store, country),
            trailing.window(month, store, country),
        )


def _sort_key(item: tuple[Key, Earned]) -> tuple[str, str, str]:
    (month, store, country), _ = item
    return (month, store or "", country or "")

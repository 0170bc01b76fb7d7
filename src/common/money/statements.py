"""One period's royalty statements, exact: who earns what share of each line, the period's
royalties rounded once to the cent and shared out by largest remainder, balances carried.

Per payee: closing = opening + royalty − costs charged. A closing at or above the minimum payout
is paid (the next opening is 0); below it, or negative (unrecouped), it is carried forward.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from common.money.allocation import allocate_cents, to_cents
from common.money.splits import HUNDRED, LEVELS, Share, Splits, in_force
from common.money.statement_inputs import RoyaltyItem
from common.money.statement_periods import Period

ZERO = Decimal(0)


class StatementError(Exception):
    """Statements cannot be made as asked; the message says what to do."""


@dataclass(frozen=True)
class Charge:
    """An advance or cost charged to a payee's balance in this period."""

    payee: str
    kind: str
    entry_date: date
    description: str
    amount: Decimal


@dataclass(frozen=True)
class StatementRow:
    """The lines of one track × store × territory × sale month (and share), added up."""

    title: str
    isrc: str
    store: str
    territory: str
    sale_month: str
    percent: Decimal
    note: str
    quantity: int
    gross: Decimal
    exact: Decimal
    royalty: Decimal = ZERO


@dataclass
class Balance:
    """What a payee carries into the next period."""

    carried: Decimal = ZERO
    charged: Decimal = ZERO  # every advance and cost charged so far

    @property
    def recouped(self) -> Decimal:
        """How much of the charges the royalties have paid back so far."""
        return max(ZERO, self.charged - max(ZERO, -self.carried))


@dataclass
class PayeeStatement:
    payee: str
    email: str | None
    opening: Decimal
    royalty: Decimal
    costs: Decimal
    recouped: Decimal
    closing: Decimal
    payable: Decimal
    carried: Decimal
    rows: list[StatementRow]
    charges: list[Charge]


@dataclass
class PeriodStatements:
    period: Period
    window_start: date | None
    total: Decimal
    label: Decimal
    statements: list[PayeeStatement]
    items: list[RoyaltyItem] = field(default_factory=list)


ArtistIds = Callable[[str], frozenset[int]]


class ShareBook:
    """Which payees hold what percent of a line: the most specific level that has an entry in
    force on the line's reporting date wins (ISRC, then UPC, then artist); the label keeps
    the rest."""

    def __init__(self, shares: Sequence[Share], artists: ArtistIds) -> None:
        self._by_target: dict[tuple[str, str], list[Share]] = defaultdict(list)
        self._artist_ids: dict[str, frozenset[int]] = {}
        # A year holds millions of lines but a few thousand distinct (track, day) keys.
        self._known: dict[tuple[str, str, frozenset[int], date], dict[str, Decimal]] = {}
        for share in shares:
            key = share.key
            if share.level == "artist":
                # One artist however it is spelled ("ZONE A0", "zone.a0"): its entries are one
                # share whose percent changes, never two shares added up.
                ids = artists(share.key)
                key = ",".join(str(i) for i in sorted(ids)) if ids else share.key.casefold()
                self._artist_ids[key] = ids
            self._by_target[(share.level, key)].append(share)

    def _targets(self, item: RoyaltyItem, level: str) -> list[str]:
        if level == "isrc":
            return [item.isrc.upper()] if item.isrc else []
        if level == "upc":
            return [item.upc.upper()] if item.upc else []
        return [name for name, ids in self._artist_ids.items() if ids & item.artist_ids]

    def percents(self, item: RoyaltyItem) -> dict[str, Decimal]:
        key = (item.isrc, item.upc, item.artist_ids, item.reporting_date)
        known = self._known.get(key)
        if known is None:
            known = self._known[key] = self._percents(item)
        return known

    def _percents(self, item: RoyaltyItem) -> dict[str, Decimal]:
        for level in LEVELS:
            held: dict[str, Decimal] = defaultdict(Decimal)
            found = False
            for target in self._targets(item, level):
                for payee, percent in in_force(
                    self._by_target.get((level, target), []), item.reporting_date
                ).items():
                    held[payee] += percent
                    found = True
            if found:
                if sum(held.values(), ZERO) > HUNDRED:
                    raise StatementError(
                        f"The artist shares of {item.title or item.isrc} add up to more than "
                        f"100 % on {item.reporting_date}; give that track its own ISRC shares "
                        "in config/splits.json."
                    )
                return dict(held)
        return {}


def _rows(parts: list[tuple[RoyaltyItem, Decimal, Decimal]], total: Decimal) -> list[StatementRow]:
    """Group a payee's line shares and give each group its cents, adding up to `total`."""
    grouped: dict[tuple[str, str, str, str, str, Decimal, str], list[Decimal]] = {}
    quantities: dict[tuple[str, str, str, str, str, Decimal, str], list[int]] = {}
    for item, percent, exact in parts:
        key = (
            item.title,
            item.isrc,
            item.store,
            item.territory,
            item.sale_month,
            percent,
            item.note,
        )
        sums = grouped.setdefault(key, [ZERO, ZERO])
        sums[0] += item.earnings
        sums[1] += exact
        quantities.setdefault(key, [0])[0] += item.quantity
    keys = sorted(grouped, key=lambda k: (k[6] != "", k[4], k[0], k[1], k[2], k[3], k[5], k[6]))
    cents = allocate_cents([grouped[key][1] for key in keys], total)
    return [
        StatementRow(*key, quantities[key][0], grouped[key][0], grouped[key][1], royalty)
        for key, royalty in zip(keys, cents)
    ]


def compute_period(
    period: Period,
    window_start: date | None,
    items: Sequence[RoyaltyItem],
    splits: Splits,
    book: ShareBook,
    balances: dict[str, Balance],
    charges: Sequence[Charge],
) -> PeriodStatements:
    """Every payee's statement for `items` (the period's lines and adjustments). `balances`
    is updated to what each payee carries into the next period."""
    exact_total = sum((item.earnings for item in items), ZERO)
    total = to_cents(exact_total)
    parts: dict[str, list[tuple[RoyaltyItem, Decimal, Decimal]]] = defaultdict(list)
    for item in items:
        for name, percent in book.percents(item).items():
            parts[name].append((item, percent, item.earnings * percent / HUNDRED))
    names = splits.payee_names()
    exact = [sum((part[2] for part in parts[name]), ZERO) for name in names]
    *royalties, label = allocate_cents([*exact, exact_total - sum(exact, ZERO)], total)
    statements = []
    for payee, royalty in zip(splits.payees, royalties):
        mine = [charge for charge in charges if charge.payee == payee.name]
        balance = balances.setdefault(payee.name, Balance())
        if not parts[payee.name] and not mine and balance.carried == ZERO:
            continue
        costs = sum((charge.amount for charge in mine), ZERO)
        recouped_before = balance.recouped
        opening = balance.carried
        closing = opening + royalty - costs
        paid = closing > ZERO and closing >= splits.minimum_payout
        payable = closing if paid else ZERO
        balance.carried = closing - payable
        balance.charged += costs
        statements.append(
            PayeeStatement(
                payee=payee.name,
                email=payee.email,
                opening=opening,
                royalty=royalty,
                costs=costs,
                recouped=balance.recouped - recouped_before,
                closing=closing,
                payable=payable,
                carried=balance.carried,
                rows=_rows(parts[payee.name], royalty),
                charges=mine,
            )
        )
    return PeriodStatements(period, window_start, total, label, statements, list(items))

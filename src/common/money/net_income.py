"""Net income per month: royalties received − card expenses − Meta ad spend, each dollar once.

Meta bills its ad spend to the card: a "FACEBK" charge on the Capital One statement is the same
money as the spend Meta's API reports. A charge the ad-charge rule (config `ad_charges`) finds
covered by Meta spend within `window_days` of it is *matched* and left out of the expenses;
a charge no reported spend covers (another ad account, a month never pulled) stays an expense.
Ad spend comes from v_ad_spend (each day once); a range's spend is split evenly over its days,
to the picodollar, the first days taking the odd picodollars, so the month totals stay exact.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import Connection, select

from common.money.analytics_settings import AdChargeRule
from common.warehouse.aggregates import money_groups
from common.warehouse.models import AD_SPEND, Expense, card_spending, is_card_payment
from common.warehouse.money_sql import exact_sum, exact_total
from common.warehouse.types import from_units, to_units

DailySpend = dict[date, Decimal]


def _day(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def spread_over_days(start: date, days: int, amount: Decimal) -> DailySpend:
    """`amount` split evenly over `days` days from `start`, exact to the picodollar: the parts
    add up to the amount, the first days carrying the remainder."""
    count = max(days, 1)
    share, remainder = divmod(to_units(amount), count)
    return {
        start + timedelta(days=offset): from_units(share + (1 if offset < remainder else 0))
        for offset in range(count)
    }


def campaign_spend_by_day(connection: Connection) -> dict[int, DailySpend]:
    """Each campaign's spend per day from v_ad_spend (no day counted twice)."""
    query = select(
        AD_SPEND.c.campaign_id,
        AD_SPEND.c.span_start,
        AD_SPEND.c.span_end,
        AD_SPEND.c.days,
        AD_SPEND.c.spend,
    )
    by_campaign: dict[int, DailySpend] = defaultdict(lambda: defaultdict(Decimal))
    for campaign, start, end, days, spend in connection.execute(query):
        first, last = _day(start), _day(end)
        span = days or (last - first).days + 1
        for day, amount in spread_over_days(first, span, Decimal(spend or 0)).items():
            by_campaign[int(campaign)][day] += amount
    return {campaign: dict(days) for campaign, days in by_campaign.items()}


def total_by_day(spend: dict[int, DailySpend]) -> DailySpend:
    total: DailySpend = defaultdict(Decimal)
    for days in spend.values():
        for day, amount in days.items():
            total[day] += amount
    return dict(total)


@dataclass(frozen=True)
class CardCharge:
    """What a card transaction cost (`card_spending`): a debit, which might be Meta billing ad
    spend, or a refund (a negative amount, never matched)."""

    expense_id: int
    day: date
    description: str
    amount: Decimal


@dataclass(frozen=True)
class ChargeMatch:
    charge: CardCharge
    matched: bool
    matched_spend: Decimal


def card_expenses(connection: Connection) -> list[CardCharge]:
    """Every card transaction but the card's payments: debits, and refunds as negative amounts
    (a merchant giving money back lowers that month's expenses; a payment is neither)."""
    query = (
        select(Expense.id, Expense.transaction_date, Expense.description, card_spending())
        .where(~is_card_payment())
        .order_by(Expense.transaction_date, Expense.id)
    )
    return [
        CardCharge(int(i), _day(day), str(text or ""), Decimal(spent or 0))
        for i, day, text, spent in connection.execute(query)
    ]


def match_ad_charges(
    charges: Iterable[CardCharge], spend_by_day: DailySpend, rule: AdChargeRule
) -> list[ChargeMatch]:
    """Charges whose description fits the rule, in date order, each taking Meta spend of the
    days within `window_days` of it (earliest first) that no earlier charge took. A charge is
    matched when that spend covers it to within `tolerance_usd`; otherwise it takes nothing."""
    left = dict(spend_by_day)
    matches: list[ChargeMatch] = []
    for charge in sorted(charges, key=lambda c: (c.day, c.expense_id)):
        if not rule.matches(charge.description) or charge.amount <= 0:
            continue
        window = timedelta(days=rule.window_days)
        days = sorted(d for d in left if charge.day - window <= d <= charge.day + window)
        available = sum((left[d] for d in days if left[d] > 0), Decimal(0))
        if available + rule.tolerance_usd < charge.amount:
            matches.append(ChargeMatch(charge, False, Decimal(0)))
            continue
        owed = charge.amount
        for day in days:
            taken = min(owed, max(left[day], Decimal(0)))
            left[day] -= taken
            owed -= taken
        matches.append(ChargeMatch(charge, True, charge.amount - owed))
    return matches


def royalties_by_reporting_month(connection: Connection) -> dict[str, Decimal]:
    """Royalties by the month DistroKid reported them (the money received), summed exactly over
    the pre-aggregated royalty groups."""
    groups = money_groups(connection)
    parts = exact_sum(groups.c.earnings_picousd, connection.dialect.name)
    query = select(groups.c.reporting_date, *parts).group_by(groups.c.reporting_date)
    months: dict[str, Decimal] = defaultdict(Decimal)
    for reported, *sums in connection.execute(query):
        months[str(reported)[:7]] += exact_total(sums)
    return dict(months)


@dataclass(frozen=True)
class MonthIncome:
    month: str
    royalties: Decimal
    expenses: Decimal
    matched_ad_charges: Decimal
    ad_spend: Decimal

    @property
    def net_income(self) -> Decimal:
        return self.royalties - self.expenses - self.ad_spend


def net_income_by_month(
    royalties: dict[str, Decimal],
    charges: Iterable[CardCharge],
    matches: Iterable[ChargeMatch],
    spend_by_day: DailySpend,
) -> list[MonthIncome]:
    """Every month with royalties, expenses or ad spend; matched charges are not expenses. With a
    card export loaded, the months after its last transaction are left out: their expenses are
    not known yet, and royalties alone would read as profit."""
    charges = list(charges)
    matched_ids = {m.charge.expense_id for m in matches if m.matched}
    expenses: dict[str, Decimal] = defaultdict(Decimal)
    matched: dict[str, Decimal] = defaultdict(Decimal)
    for charge in charges:
        month = charge.day.isoformat()[:7]
        target = matched if charge.expense_id in matched_ids else expenses
        target[month] += charge.amount
    ad_spend: dict[str, Decimal] = defaultdict(Decimal)
    for day, amount in spend_by_day.items():
        ad_spend[day.isoformat()[:7]] += amount
    months = sorted(set(royalties) | set(expenses) | set(matched) | set(ad_spend))
    if charges:
        covered = max(charge.day for charge in charges).isoformat()[:7]
        months = [month for month in months if month <= covered]
    zero = Decimal(0)
    return [
        MonthIncome(
            month,
            royalties.get(month, zero),
            expenses.get(month, zero),
            matched.get(month, zero),
            ad_spend.get(month, zero),
        )
        for month in months
    ]

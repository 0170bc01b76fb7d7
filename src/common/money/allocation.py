"""Cents that add up: round a total once, then hand out its cents by largest remainder.

Rounding every part on its own loses or invents cents (three thirds of $1.00 are $0.33 each);
largest remainder floors every part to the cent and gives the missing cents, one each, to the
parts that lost the most, so the parts always add up to the rounded total exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_FLOOR, ROUND_HALF_EVEN, Decimal

CENT = Decimal("0.01")


def to_cents(amount: Decimal) -> Decimal:
    """An exact amount rounded once to the cent, half to even (banker's rounding)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_EVEN)


def allocate_cents(exact: Sequence[Decimal], total: Decimal) -> list[Decimal]:
    """`exact` amounts as cents adding up to `total` (a whole number of cents that differs from
    their sum by less than a cent per part). Ties go to the earlier part, so it is repeatable."""
    floors = [amount.quantize(CENT, rounding=ROUND_FLOOR) for amount in exact]
    missing = (total - sum(floors, Decimal(0))) / CENT
    if missing != missing.to_integral_value() or not 0 <= missing <= len(exact):
        raise ValueError(f"{total} cannot be shared out as cents of {list(exact)}")
    by_loss = sorted(range(len(exact)), key=lambda index: (floors[index] - exact[index], index))
    for index in by_loss[: int(missing)]:
        floors[index] += CENT
    return floors

"""Deterministic Capital One demo export: a year of label card transactions."""

from __future__ import annotations

import csv
import io
import random
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

CAPITALONE_HEADER = ["Transaction Date", "Posted Date", "Card No.", "Description"]
CAPITALONE_HEADER += ["Category", "Debit", "Credit"]


Purchase = tuple[date, str, str, Decimal]


def _monthly(day: int, description: str, category: str, amount: str) -> list[Purchase]:
    return [(date(2025, m, day), description, category, Decimal(amount)) for m in range(1, 13)]


def card_purchases(rng: random.Random) -> list[Purchase]:
    """A year of label spending: ads every few days, subscriptions, gear and the yearly fee."""
    purchases = _monthly(3, "ADOBE *CREATIVE CLOUD", "Internet", "59.99")
    purchases += _monthly(9, "SPLICE.COM", "Internet", "12.99")
    purchases += _monthly(17, "DROPBOX*PLUS", "Internet", "11.99")
    purchases += [
        (date(2025, 3, 4), "DISTROKID.COM", "Other Services", Decimal("89.99")),
        (date(2025, 2, 11), "SWEETWATER SOUND", "Merchandise", Decimal("349.00")),
        (date(2025, 5, 2), "GUITAR CENTER #412, HOLLYWOOD CA", "Merchandise", Decimal("129.00")),
        (date(2025, 8, 21), "SWEETWATER SOUND", "Merchandise", Decimal("1249.99")),
        (date(2025, 10, 7), "ABLETON AG", "Internet", Decimal("229.00")),
    ]
    day = date(2025, 1, 2)
    while day.year == 2025:
        code = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(10))
        cents = 2000 + int(rng.random() * 13000)
        purchases.append((day, f"FACEBK *{code}", "Other Services", Decimal(cents).scaleb(-2)))
        day += timedelta(days=3 + int(rng.random() * 2))
    return purchases


def write_capitalone(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(301)
    rows: list[tuple[date, date, str, str, str, str]] = []
    for spent, description, category, amount in card_purchases(rng):
        posted = spent + timedelta(days=1 + int(rng.random() * 3))
        rows.append((spent, posted, description, category, f"{amount:f}", ""))
    returned = ("SWEETWATER SOUND", "Merchandise", "", "1249.99")
    rows.append((date(2025, 9, 4), date(2025, 9, 5), *returned))
    for month in range(2, 13):
        paid = date(2025, month, 26)
        statement = sum(
            (Decimal(r[4]) for r in rows if r[4] and r[0].month == month - 1), Decimal("0.00")
        )
        payment = ("CAPITAL ONE MOBILE PYMT", "Payment/Credit", "", f"{statement:f}")
        rows.append((paid, paid, *payment))
    rows.sort(key=lambda row: (row[0], row[1], row[2]), reverse=True)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CAPITALONE_HEADER)
    for spent, posted, *rest in rows:
        writer.writerow([spent.isoformat(), posted.isoformat(), "4821", *rest])
    path = folder / "capitalone_transactions_20260110_090000.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return [path]

"""What a page's figures look like on the wire: KPIs (each with its source and period), plotly
figures and tables, all JSON-able, and the formatting every page shares.

Money travels twice: `value` is the exact amount as decimal text, `text` is what a person reads
(rounded to the cent only when shown).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any, TypedDict

NO_DATA = "no data yet"
CENT = Decimal("0.01")

Figure = dict[str, Any]


class Table(TypedDict):
    columns: list[str]
    rows: list[list[Any]]


class PageData(TypedDict):
    kpis: list[dict[str, Any]]
    charts: dict[str, Figure]
    tables: dict[str, Table]
    notes: list[str]


@dataclass(frozen=True)
class Kpi:
    """One figure as the label owner reads it: what, how much, from where, over when."""

    key: str
    label: str
    value: Any
    text: str
    source: str
    period: str

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "value": self.value,
            "text": self.text,
            "source": self.source,
            "period": self.period,
        }


def empty_page() -> PageData:
    return {"kpis": [], "charts": {}, "tables": {}, "notes": []}


def usd(amount: Decimal | None) -> str:
    """'$1,234.57' (half to even at the cent), '-$3.10', or 'no data yet'."""
    if amount is None:
        return NO_DATA
    cents = amount.quantize(CENT, rounding=ROUND_HALF_EVEN)
    sign = "-" if cents < 0 else ""
    return f"{sign}${abs(cents):,.2f}"


def exact(amount: Decimal | None) -> str | None:
    """The exact amount as plain decimal text for JSON (no exponent)."""
    return None if amount is None else f"{amount:f}"


def count(value: int | None) -> str:
    return NO_DATA if value is None else f"{value:,}"


def percent(value: float | Decimal | None, digits: int = 1) -> str:
    return NO_DATA if value is None else f"{float(value):.{digits}f} %"


def money_kpi(key: str, label: str, amount: Decimal | None, source: str, period: str) -> Kpi:
    return Kpi(key, label, exact(amount), usd(amount), source, period)


def count_kpi(key: str, label: str, value: int | None, source: str, period: str) -> Kpi:
    return Kpi(key, label, value, count(value), source, period)


def ratio(part: float | Decimal | None, whole: float | Decimal | None) -> float | None:
    if part is None or not whole:
        return None
    return float(part) / float(whole)


def growth_percent(now: int | None, before: int | None) -> float | None:
    if now is None or not before:
        return None
    return (now - before) * 100.0 / before


def bar_chart(title: str, labels: Sequence[Any], values: Sequence[Any], name: str = "") -> Figure:
    return {
        "data": [{"type": "bar", "x": [str(x) for x in labels], "y": list(values), "name": name}],
        "layout": {"title": {"text": title}, "margin": {"t": 40, "r": 10, "l": 60, "b": 80}},
    }


def line_chart(title: str, series: dict[str, tuple[list[Any], list[Any]]]) -> Figure:
    """One line per named series of (x, y)."""
    return {
        "data": [
            {"type": "scatter", "mode": "lines", "name": name, "x": [str(x) for x in xs], "y": ys}
            for name, (xs, ys) in series.items()
        ],
        "layout": {"title": {"text": title}, "margin": {"t": 40, "r": 10, "l": 60, "b": 40}},
    }


def table(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> Table:
    return {"columns": list(columns), "rows": [list(row) for row in rows]}

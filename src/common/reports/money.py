"""The report's money section: per-stream rates, expected against actual royalties, what the ads
bought and net income per month, from the money analytics refreshed as the report is built."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from html import escape

from sqlalchemy import Engine, select

from common.lake import Lake
from common.money.analytics_settings import load_money_rules
from common.money.rates import STORE
from common.money.refresh import MoneyAnalytics, refresh_money_tables
from common.warehouse.models import Campaign

RECENT_MONTHS = 6
NO_WAREHOUSE = (
    "No money figures yet: there is no warehouse. They appear after the warehouse ETL "
    "(`bedrot etl`, or step 5 of `bedrot run`)."
)


def _usd(value: Decimal | None) -> str:
    """'$1,234.57', '-$680.62' (the sign before the dollar, as the dashboard writes it), or '—'."""
    if value is None:
        return "—"
    return f"{'-' if value < 0 else ''}${abs(value):,.2f}"


def _per_stream(value: Decimal | None) -> str:
    """A cost per stream, to the hundredth of a cent ('$0.0257'): cents would round every
    campaign's figure to the same $0.03."""
    return "—" if value is None else f"{'-' if value < 0 else ''}${abs(value):,.4f}"


def _count(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"


def _table(headings: Sequence[str], rows: Sequence[Sequence[str]], name: str) -> str:
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headings)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in rows
    )
    return (
        f'<table class="headline" data-money="{name}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )


def _part(title: str, name: str, table: str | None, empty: str, note: str = "") -> str:
    if table is None:
        body = (
            f'<p class="no-data" data-money="{name}">No data yet for {escape(title)}: '
            f"{escape(empty)}</p>"
        )
    else:
        body = table + (f'<p class="source">{escape(note)}</p>' if note else "")
    return f"<h3>{escape(title)}</h3>{body}"


def _rates(analytics: MoneyAnalytics) -> str | None:
    rows = [r for r in analytics.rates if r[0][1] is not None and r[0][2] is None]
    months = sorted({key[0] for key, *_ in rows})[-3:]
    shown = [
        (month, store or "", _count(earned.units), _usd(earned.royalty),
         own.text if own else "—",
         f"{trailing.text} ({trailing.basis})" if trailing else "—")
        for (month, store, _), earned, own, trailing, _ in rows
        if month in months
    ]  # fmt: skip
    if not shown:
        return None
    headings = ("Sale month", "Store", "Streams", "Royalty", "Rate", "Trailing rate")
    return _table(headings, shown, "rates")


def _expected(analytics: MoneyAnalytics) -> str | None:
    months = sorted({e.sale_month for e in analytics.expected})[-RECENT_MONTHS:]
    shown = [
        (e.sale_month, e.store, _count(e.distributor_streams), _usd(e.expected),
         _usd(e.actual.royalty), e.judged_from.isoformat(), e.status)
        for e in analytics.expected
        if e.sale_month in months
    ]  # fmt: skip
    if not shown:
        return None
    headings = ("Sale month", "Store", "Distributor streams", "Expected", "Actual",
                "Judged from", "Status")  # fmt: skip
    return _table(headings, shown, "expected")


def _attribution(analytics: MoneyAnalytics, names: dict[int, str]) -> str | None:
    shown = [
        (names.get(a.campaign.campaign_id, str(a.campaign.campaign_id)),
         f"{a.campaign.start.isoformat()} – {a.campaign.end.isoformat()}", _usd(a.campaign.spend),
         _count(a.lift.incremental), _count(a.incremental), _per_stream(a.cost_per_incremental),
         _count(a.followers_gained), _count(a.break_even_streams))
        for a in analytics.attributions
    ]  # fmt: skip
    if not shown:
        return None
    headings = ("Campaign", "Window", "Spend", "Lift", "Credited streams",
                "Cost per stream", "Followers gained", "Break-even streams")  # fmt: skip
    return _table(headings, shown, "attribution")


def _net_income(analytics: MoneyAnalytics) -> str | None:
    shown = [
        (m.month, _usd(m.royalties), _usd(m.expenses), _usd(m.matched_ad_charges),
         _usd(m.ad_spend), _usd(m.net_income))
        for m in analytics.net_income[-12:]
    ]  # fmt: skip
    if not shown:
        return None
    headings = ("Month", "Royalties", "Expenses", "Ad charges (counted as ad spend)",
                "Ad spend", "Net income")  # fmt: skip
    return _table(headings, shown, "net-income")


def money_html(analytics: MoneyAnalytics, campaign_names: dict[int, str]) -> str:
    """The section's four parts, each with its table or a sentence saying where it comes from."""
    parts = [
        _part("per-stream rates", "rates", _rates(analytics),
              "it needs DistroKid bank details with streaming lines.",
              f"Royalty ÷ streams of streaming lines by store ({STORE} level); the trailing rate "
              "is that of the months before, falling back to wider levels."),
        _part("expected against actual royalties", "expected", _expected(analytics),
              "it needs the distributors' daily streams and DistroKid bank details.",
              "Expected = distributor streams × trailing rate. A month is open until the "
              "store's usual reporting lag has passed."),
        _part("what the ads bought", "attribution", _attribution(analytics, campaign_names),
              "it needs Meta Ads spend and the distributors' daily streams.",
              "Lift is the catalogue's distributor streams above the window before the "
              "campaign (the distributors report no per-track days); overlapping campaigns "
              "share it by spend."),
        _part("net income per month", "net-income", _net_income(analytics),
              "it needs royalties, card expenses or Meta Ads spend.",
              "Royalties by reporting month − card expenses − ad spend; card charges matched "
              "to Meta spend are counted once, as ad spend."),
    ]  # fmt: skip
    return f'<section class="money" id="money"><h2>Money</h2>{"".join(parts)}</section>'


def money_section(lake: Lake, engine: Engine | None, today: date) -> str:
    """Refresh the money analytics in the warehouse and render them; without a warehouse, say
    so. Failures propagate: the caller shows them as an unreadable section."""
    if engine is None:
        body = f'<p class="no-data" data-money="none">{escape(NO_WAREHOUSE)}</p>'
        return f'<section class="money" id="money"><h2>Money</h2>{body}</section>'
    rules = load_money_rules(lake)
    with engine.begin() as connection:
        analytics = refresh_money_tables(connection, rules, today)
        names = {int(i): str(n) for i, n in connection.execute(select(Campaign.id, Campaign.name))}
    return money_html(analytics, names)


def unreadable_money(problem: str) -> str:
    body = (
        '<p class="unreadable" data-money="error">The money figures could not be read: '
        f"{escape(problem)}</p>"
    )
    return f'<section class="money" id="money"><h2>Money</h2>{body}</section>'

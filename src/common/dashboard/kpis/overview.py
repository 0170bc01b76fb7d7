"""Overview: the page the label owner opens each morning — streams, royalties, net income, ad
spend, top track and store, followers, progress toward the goals, and what needs attention."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, text

from common.dashboard.kpis.figures import (
    Kpi,
    PageData,
    count,
    empty_page,
    exact,
    money_kpi,
    table,
    usd,
)
from common.dashboard.kpis.filters import Filters, period_text
from common.dashboard.kpis.goals import Goals, GoalsError, load_goals, progress_text
from common.dashboard.kpis.logins import LoginsUnavailable, login_rows
from common.dashboard.kpis.marketing import spend_30d_kpi
from common.dashboard.kpis.pipeline import health, quarantined
from common.dashboard.kpis.revenue import ROYALTIES, RoyaltyScope, month_bounds
from common.dashboard.kpis.social import follower_kpis
from common.dashboard.kpis.streams import audience_kpis, spotify_audience, thirty_day_kpis
from common.lake import Lake

NET_INCOME = "v_net_income (royalties − expenses − ad spend not on the card)"
GOALS = "config/dashboard.json goals"
ALERTS = "health, logins, quarantine, expected against actual"


def royalty_kpis(connection: Connection, filters: Filters) -> list[Kpi]:
    """Royalties of the last reported month and the year to date, top track and store."""
    scope = RoyaltyScope(connection, filters)
    latest = scope.latest_reporting_day()
    if latest is None:
        return [
            money_kpi(
                "royalties_last_month",
                "Royalties, last reported month",
                None,
                ROYALTIES,
                "last reported month",
            ),
            money_kpi("royalties_ytd", "Royalties, year to date", None, ROYALTIES, "this year"),
            Kpi("top_track", "Top track", None, "no data yet", ROYALTIES, "last reported month"),
            Kpi("top_store", "Top store", None, "no data yet", ROYALTIES, "last reported month"),
        ]
    first, last = month_bounds(latest)
    month_scope = RoyaltyScope(connection, Filters(first, last, filters.artist))
    year_start = date(latest.year, 1, 1)
    month = first.strftime("%Y-%m")
    top_track = month_scope.breakdown("track", limit=1)
    top_store = month_scope.breakdown("store", limit=1)
    return [
        money_kpi(
            "royalties_last_month",
            "Royalties, last reported month",
            scope.total(first, last),
            ROYALTIES,
            f"reported in {month}",
        ),
        money_kpi(
            "royalties_ytd",
            "Royalties, year to date",
            scope.total(year_start, latest),
            ROYALTIES,
            period_text(year_start, latest),
        ),
        _top("top_track", "Top track", top_track, f"reported in {month}"),
        _top("top_store", "Top store", top_store, f"reported in {month}"),
    ]


def _top(key: str, label: str, rows: list[tuple[str, int, Decimal]], period: str) -> Kpi:
    if not rows:
        return Kpi(key, label, None, "no data yet", ROYALTIES, period)
    name, _, amount = rows[0]
    return Kpi(key, label, name, f"{name} ({usd(amount)})", ROYALTIES, period)


def net_income_kpi(connection: Connection, filters: Filters) -> Kpi:
    if filters.artist:  # the label's figure (a card charge has no artist), not the artist's
        return Kpi(
            "net_income_last_month", "Net income, last month", None,
            "all artists only: clear the artist filter", NET_INCOME, "last month",
        )  # fmt: skip
    last_month = filters.end.strftime("%Y-%m") if filters.end else "9999-99"
    row = connection.execute(
        text(
            "SELECT month, net_income_exact FROM v_net_income WHERE month <= :last "
            "ORDER BY month DESC LIMIT 1"
        ),
        {"last": last_month},
    ).first()
    amount = None if row is None else Decimal(row.net_income_exact)
    period = "last month" if row is None else f"month {row.month}"
    return money_kpi("net_income_last_month", "Net income, last month", amount, NET_INCOME, period)


def goal_kpis(lake: Lake, kpis: dict[str, Kpi]) -> list[Kpi]:
    try:
        goals = load_goals(lake)
    except GoalsError as error:
        return [
            Kpi(f"goal_{key}", label, None, str(error), GOALS, "")
            for key, label in (
                ("revenue", "Monthly revenue goal"),
                ("streams", "Monthly streams goal"),
                ("followers", "Followers goal"),
            )
        ]
    return _goal_progress(goals, kpis)


def _goal_progress(goals: Goals, kpis: dict[str, Kpi]) -> list[Kpi]:
    revenue_value = kpis["royalties_last_month"].value
    revenue = None if revenue_value is None else Decimal(revenue_value)
    streams = kpis["streams_30d"].value
    counted = [
        kpis[k].value for k in kpis if k.startswith("followers_") or k == "spotify_followers"
    ]
    followers = sum(v for v in counted if v is not None) if any(counted) else None
    return [
        Kpi(
            "goal_revenue",
            "Monthly revenue goal",
            exact(goals.monthly_revenue_usd),
            progress_text(
                revenue,
                goals.monthly_revenue_usd,
                f"{usd(revenue)} of {usd(goals.monthly_revenue_usd)}",
            ),
            GOALS,
            kpis["royalties_last_month"].period,
        ),
        Kpi(
            "goal_streams",
            "Monthly streams goal",
            goals.monthly_streams,
            progress_text(
                streams,
                goals.monthly_streams,
                f"{count(streams)} of {count(goals.monthly_streams)}",
            ),
            GOALS,
            kpis["streams_30d"].period,
        ),
        Kpi(
            "goal_followers",
            "Followers goal",
            goals.followers,
            progress_text(
                followers, goals.followers, f"{count(followers)} of {count(goals.followers)}"
            ),
            GOALS,
            "latest day",
        ),
    ]


def alerts(lake: Lake, connection: Connection) -> list[list[str]]:
    """[kind, what, what to do] for each thing that needs the owner's attention."""
    found: list[list[str]] = []
    for service in health(lake)["services"]:
        if service["status"] != "[OK]":
            found.append(
                [
                    "service",
                    f"{service['service']}: {service['issues']}",
                    service["findings"][0]["recommendation"] if service["findings"] else "",
                ]
            )
    try:
        for row in login_rows(lake):
            if row["state"] != "OK":
                found.append(
                    ["login", f"{row['service']}/{row['login']}: {row['state']}", row["command"]]
                )
    except LoginsUnavailable as error:
        found.append(["login", str(error), "fix config/cookie_refresh_config.json"])
    held = quarantined(lake)
    if held:
        found.append(["quarantine", f"{len(held)} file(s) quarantined", "see the Pipeline page"])
    short = connection.execute(
        text(
            "SELECT sale_month, store, status FROM v_expected_vs_actual "
            "WHERE status IN ('under-reported', 'missing') ORDER BY sale_month DESC"
        )
    ).all()
    for month, store, status in short:
        found.append(["royalties", f"{store} {month}: {status}", "bedrot reconcile"])
    return found


def overview_kpis(lake: Lake, connection: Connection, filters: Filters) -> list[Kpi]:
    audience = spotify_audience(connection, Filters(None, filters.end, filters.artist))
    spotify_followers = [k for k in audience_kpis(audience) if k.key == "spotify_followers"]
    kpis = [
        *thirty_day_kpis(connection, filters),
        *royalty_kpis(connection, filters),
        net_income_kpi(connection, filters),
        spend_30d_kpi(connection, filters),
        *spotify_followers,
        *follower_kpis(connection, filters),
    ]
    by_key = {kpi.key: kpi for kpi in kpis}
    return [*kpis, *goal_kpis(lake, by_key)]


def overview_page(lake: Lake, connection: Connection, filters: Filters) -> PageData:
    page = empty_page()
    found = alerts(lake, connection)
    kpis = overview_kpis(lake, connection, filters)
    kpis.append(Kpi("alerts", "Alerts", len(found), f"{len(found):,}", ALERTS, "now"))
    page["kpis"] = [k.as_json() for k in kpis]
    page["tables"]["alerts"] = table(["kind", "what", "what to do"], found)
    return page


def summary(lake: Lake, connection: Connection, filters: Filters) -> dict[str, Any]:
    """/api/kpis/summary: the overview's KPIs by key."""
    return {k.key: k.as_json() for k in overview_kpis(lake, connection, filters)}

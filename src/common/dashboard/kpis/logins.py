"""Logins (the seed's cookie dashboard): each saved login's state, age, expiry countdown,
refresh history and the command that refreshes it, as `bedrot cookies status` judges them."""

from __future__ import annotations

from typing import Any

from common.dashboard.kpis.figures import Kpi, PageData, count_kpi, empty_page, table
from common.lake import Lake
from common.sessions.history import read_history
from common.sessions.policy import PolicyError, load_policy
from common.sessions.status import sort_by_priority
from common.sessions.tools import Login, choose_logins, status_of

LOGINS = "saved logins (bedrot cookies status)"
HISTORY_EVENTS = 5


class LoginsUnavailable(RuntimeError):
    """The login policy file cannot be read; the message says what to fix."""


def refresh_command(service: str, login: str) -> str:
    account = "" if login == service else f" --account {login}"
    return f"bedrot cookies refresh --service {service}{account}"


def _countdown(max_age: float, age: float | None) -> float | None:
    return None if age is None else round(max_age - age, 1)


def login_rows(lake: Lake) -> list[dict[str, Any]]:
    """One row per login, the most urgent first (the same order as `bedrot cookies status`)."""
    try:
        policy = load_policy(lake)
    except PolicyError as error:
        raise LoginsUnavailable(str(error)) from None
    logins: list[Login] = choose_logins(policy, [])
    statuses = sort_by_priority([status_of(lake, policy, login) for login in logins])
    history = read_history(lake)
    rows = []
    for status in statuses:
        events = [e for e in history if e.service == status.service and e.login == status.login]
        record = status.as_json()
        record["expires_in_days"] = _countdown(status.max_age_days, status.age_days)
        record["history"] = [e.as_json() for e in events[-HISTORY_EVENTS:]][::-1]
        record["command"] = refresh_command(status.service, status.login)
        rows.append(record)
    return rows


def login_kpis(rows: list[dict[str, Any]]) -> list[Kpi]:
    usable = sum(row["state"] in ("OK", "EXPIRING") for row in rows)
    attention = sum(row["state"] != "OK" for row in rows)
    return [
        Kpi("logins_usable", "Logins usable", usable, f"{usable} of {len(rows)}", LOGINS, "now"),
        count_kpi("logins_attention", "Logins to renew", attention, LOGINS, "now"),
    ]


def _history_text(row: dict[str, Any]) -> str:
    return "; ".join(f"{e['timestamp'][:10]} {e['action']} {e['outcome']}" for e in row["history"])


def logins_page(lake: Lake) -> PageData:
    page = empty_page()
    rows = login_rows(lake)
    page["kpis"] = [k.as_json() for k in login_kpis(rows)]
    page["tables"]["logins"] = table(
        [
            "service",
            "login",
            "state",
            "age (days)",
            "expires in (days)",
            "why",
            "refresh history",
            "refresh with",
        ],
        [
            [
                r["service"],
                r["login"],
                r["state"],
                r["age_days"],
                r["expires_in_days"],
                r["reason"],
                _history_text(r),
                r["command"],
            ]
            for r in rows
        ],
    )
    return page

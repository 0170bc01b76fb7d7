"""The cookie tools' tables, plain text so they read the same in a log, a mail or a console."""

from __future__ import annotations

from common.sessions.history import HistoryEvent
from common.sessions.metrics import ServiceMetrics
from common.sessions.policy import PRIORITIES, CookiePolicy
from common.sessions.status import SessionStatus

STATUS_COLUMNS = (
    "Service",
    "Login",
    "State",
    "Age",
    "Expired cookies",
    "JWT exp",
    "Priority",
    "Why",
)


def _table(header: tuple[str, ...], rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [list(header), *rows]) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip()
        for row in [list(header), *rows]
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def _status_row(status: SessionStatus) -> list[str]:
    return [
        status.service,
        status.login,
        status.state,
        f"{status.age_days:.1f}d" if status.age_days is not None else "-",
        f"{status.cookies_expired}/{status.cookies}" if status.cookies else "-",
        f"{status.jwt_expires_at:%Y-%m-%d %H:%M}" if status.jwt_expires_at else "-",
        status.priority,
        status.reason + (" (refresh due)" if status.due_for_refresh and status.usable else ""),
    ]


def status_table(statuses: list[SessionStatus]) -> str:
    if not statuses:
        return "No service has a login policy."
    return _table(STATUS_COLUMNS, [_status_row(s) for s in statuses])


def history_table(events: list[HistoryEvent], days: int) -> str:
    if not events:
        return f"Nothing happened to saved logins in the last {days} day(s)."
    rows = [
        [f"{e.timestamp:%Y-%m-%d %H:%M}", e.service, e.login, e.action, e.outcome, e.detail]
        for e in events
    ]
    return _table(("When (UTC)", "Service", "Login", "Action", "Outcome", "Detail"), rows)


def policy_table(policy: CookiePolicy, service: str | None = None) -> str:
    """The login policy, most important first (one service when named)."""
    chosen = [p for name, p in policy.services.items() if service in (None, name)]
    if not chosen:
        return f"There is no login policy for {service}."
    chosen.sort(key=lambda p: (PRIORITIES.index(p.priority), p.service))
    rows = [
        [
            p.service,
            "yes" if p.enabled else "no",
            p.strategy,
            f"{p.max_age_days:g}d",
            f"{p.refresh_interval_days:g}d",
            p.priority,
            ", ".join(p.logins) + (f" (token {p.token_env})" if p.token_env else ""),
        ]
        for p in chosen
    ]
    header = ("Service", "Enabled", "Strategy", "Max age", "Refresh every", "Priority", "Logins")
    return _table(header, rows)


def metrics_table(metrics: list[ServiceMetrics], days: int) -> str:
    if not metrics:
        return f"No service has a login policy, and nothing happened in {days} day(s)."
    rows = [
        [
            m.service,
            str(m.refreshes),
            str(m.expiries),
            str(m.failures),
            f"{m.average_age_days:.1f}d" if m.average_age_days is not None else "-",
        ]
        for m in metrics
    ]
    header = ("Service", "Refreshes", "Expiries", "Failures", "Avg age at refresh")
    return f"Last {days} day(s):\n" + _table(header, rows)

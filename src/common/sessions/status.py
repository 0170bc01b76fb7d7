"""How each saved login stands: OK, EXPIRING (at 80 % of its max age), EXPIRED or MISSING."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timezone
from typing import Any, Literal

from common.discovery import discover_services
from common.lake import Lake
from common.sessions.jwt import jwt_expiry
from common.sessions.policy import PRIORITIES, CookiePolicy, ServicePolicy
from common.sessions.store import (
    SessionFileError,
    cookies_of,
    expired_reason,
    read_session,
    session_path,
    stored_value,
)

SessionState = Literal["OK", "EXPIRING", "EXPIRED", "MISSING"]
USABLE: frozenset[str] = frozenset({"OK", "EXPIRING"})
SECONDS_PER_DAY = 86400.0


@dataclass(frozen=True)
class SessionStatus:
    """One login's standing; `reason` is the sentence a user reads."""

    service: str
    login: str
    state: SessionState
    reason: str
    priority: str
    strategy: str
    max_age_days: float
    age_days: float | None = None
    cookies: int = 0
    cookies_expired: int = 0
    jwt_expires_at: datetime | None = None
    due_for_refresh: bool = False

    @property
    def usable(self) -> bool:
        return self.state in USABLE

    def as_json(self) -> dict[str, Any]:
        record = asdict(self)
        record["jwt_expires_at"] = self.jwt_expires_at.isoformat() if self.jwt_expires_at else None
        record["age_days"] = round(self.age_days, 2) if self.age_days is not None else None
        return record


def _days_between(earlier: datetime, later: datetime) -> float:
    return (later - earlier).total_seconds() / SECONDS_PER_DAY


def _token_status(lake: Lake, policy: ServicePolicy, base: SessionStatus) -> SessionStatus:
    token = os.environ.get(policy.token_env or "", "")
    if not token:
        reason = f"{policy.token_env} is not set in the environment or .env"
        return replace(base, state="MISSING", reason=reason)
    refused = expired_reason(lake, policy.service, base.login, token)
    if refused:
        return replace(base, state="EXPIRED", reason=refused)
    return replace(base, state="OK", reason=f"token from {policy.token_env}")


def _judge(
    policy: ServicePolicy, fraction: float, age: float, expires_at: datetime | None, now: datetime
) -> tuple[SessionState, str]:
    if expires_at is not None and expires_at <= now:
        return "EXPIRED", f"its token expired at {expires_at:%Y-%m-%d %H:%M} UTC"
    if age >= policy.max_age_days:
        return "EXPIRED", f"it is {age:.0f} days old; the limit is {policy.max_age_days:g}"
    if expires_at is not None and _days_between(now, expires_at) <= (
        (1 - fraction) * policy.max_age_days
    ):
        return "EXPIRING", f"its token expires at {expires_at:%Y-%m-%d %H:%M} UTC"
    if age >= fraction * policy.max_age_days:
        return "EXPIRING", f"it is {age:.0f} of {policy.max_age_days:g} days old"
    return "OK", f"{age:.1f} days old"


def session_status(
    lake: Lake, cookie_policy: CookiePolicy, policy: ServicePolicy, login: str, now: datetime
) -> SessionStatus:
    """The standing of one login of one service at `now` (aware, UTC)."""
    base = SessionStatus(
        policy.service,
        login,
        "MISSING",
        "no saved login",
        policy.priority,
        policy.strategy,
        policy.max_age_days,
    )
    if policy.token_env:
        return _token_status(lake, policy, base)
    path = session_path(lake, policy.service, login)
    if not path.is_file():
        return base
    try:
        state = read_session(path)
    except SessionFileError as error:
        return replace(base, reason=str(error))
    saved_at = datetime.fromtimestamp(path.stat().st_mtime, tz=timezone.utc)
    age = max(0.0, _days_between(saved_at, now))
    cookies = cookies_of(state)
    token = stored_value(state, policy.jwt_name) if policy.jwt_name else None
    expires_at = jwt_expiry(token) if token else None
    known = replace(
        base,
        age_days=age,
        cookies=len(cookies),
        cookies_expired=sum(1 for c in cookies if c.expires is not None and c.expires <= now),
        jwt_expires_at=expires_at,
        due_for_refresh=age >= policy.refresh_interval_days,
    )
    refused = expired_reason(lake, policy.service, login)
    if refused:
        return replace(known, state="EXPIRED", reason=refused)
    if policy.jwt_name and token is None:
        return replace(known, state="EXPIRED", reason=f"it holds no {policy.jwt_name}")
    dated = [c for c in cookies if c.expires is not None]
    if dated and known.cookies_expired == len(dated) and expires_at is None:
        return replace(known, state="EXPIRED", reason="every cookie is past its own expiry")
    verdict, reason = _judge(policy, cookie_policy.warning_fraction, age, expires_at, now)
    return replace(known, state=verdict, reason=reason)


def service_statuses(
    lake: Lake, cookie_policy: CookiePolicy, service: str, now: datetime
) -> list[SessionStatus]:
    policy = cookie_policy.for_service(service)
    if policy is None:
        return []
    return [session_status(lake, cookie_policy, policy, login, now) for login in policy.logins]


def all_statuses(
    lake: Lake, cookie_policy: CookiePolicy, now: datetime, services: list[str] | None = None
) -> list[SessionStatus]:
    """Every login of the chosen services (all enabled ones with a folder), by priority."""
    if services is None:
        # The lake's services, and any service whose folder (its saved logins) the lake holds.
        present = {service.name for service in discover_services(lake).services}
        services = [
            name
            for name in cookie_policy.enabled_services
            if name in present or (lake.src / name).is_dir()
        ]
    found = [
        status for name in services for status in service_statuses(lake, cookie_policy, name, now)
    ]
    return sort_by_priority(found)


def sort_by_priority(statuses: list[SessionStatus]) -> list[SessionStatus]:
    """CRITICAL first, then by service; a service's logins keep their configured order."""
    return sorted(statuses, key=lambda s: (PRIORITIES.index(s.priority), s.service))

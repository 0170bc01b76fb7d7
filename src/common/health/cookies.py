"""A service's saved-login state as the health report shows it, from the cookie checker
(`common.sessions.status`): the worst of the service's logins."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Literal

from common.lake import Lake
from common.sessions.policy import PolicyError, load_policy
from common.sessions.status import service_statuses

CookieState = Literal["n/a", "ok", "expiring", "expired", "missing"]
_WORST_FIRST: tuple[str, ...] = ("EXPIRED", "MISSING", "EXPIRING", "OK")


@dataclass(frozen=True)
class CookieStatus:
    state: CookieState
    age_days: int | None = None

    def describe(self) -> str:
        if self.age_days is None:
            return self.state
        return f"{self.state} {self.age_days}d"


def cookie_status(lake: Lake, service: str, now: datetime) -> CookieStatus:
    """n/a for a service without a login policy (or an unreadable policy file)."""
    aware = now if now.tzinfo else now.astimezone(timezone.utc)
    try:
        statuses = service_statuses(lake, load_policy(lake), service, aware)
    except PolicyError:
        return CookieStatus("n/a")
    if not statuses:
        return CookieStatus("n/a")
    worst = min(statuses, key=lambda s: _WORST_FIRST.index(s.state))
    age = int(worst.age_days) if worst.age_days is not None else None
    state: CookieState = worst.state.lower()  # type: ignore[assignment]
    return CookieStatus(state, age)

"""How logins fared over a window, from the history: refreshes, expiries, failures and the
average age of a session when it was replaced — to tune `max_age_days` from facts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from common.sessions.history import SCHEDULER, HistoryEvent

SECONDS_PER_DAY = 86400.0


@dataclass
class ServiceMetrics:
    service: str
    refreshes: int = 0
    expiries: int = 0
    failures: int = 0
    ages_at_refresh: list[float] = field(default_factory=list)

    @property
    def average_age_days(self) -> float | None:
        if not self.ages_at_refresh:
            return None
        return sum(self.ages_at_refresh) / len(self.ages_at_refresh)


def _became_unusable(event: HistoryEvent) -> bool:
    return (event.action, event.outcome) in {("notify", "EXPIRED"), ("extract", "skipped")}


def login_metrics(
    events: list[HistoryEvent], since: datetime, services: list[str]
) -> list[ServiceMetrics]:
    """Per service: new logins saved (refreshes), times a login became unusable (an EXPIRED
    notice or a skipped extraction, once until the next login), failed refreshes, and the
    age of the session each refresh replaced. `events` is the whole history, oldest first,
    so the age of the first refresh in the window can come from an earlier login."""
    found = {name: ServiceMetrics(name) for name in services}
    last_saved: dict[tuple[str, str], datetime] = {}
    unusable: set[tuple[str, str]] = set()
    for event in events:
        if event.service == SCHEDULER:
            continue
        key = (event.service, event.login)
        counted = event.timestamp >= since
        metrics = found.setdefault(event.service, ServiceMetrics(event.service))
        if (event.action, event.outcome) == ("login", "saved"):
            age = event.replaced_age_days
            if age is None and key in last_saved:
                age = (event.timestamp - last_saved[key]).total_seconds() / SECONDS_PER_DAY
            if counted:
                metrics.refreshes += 1
                if age is not None:
                    metrics.ages_at_refresh.append(age)
            last_saved[key] = event.timestamp
            unusable.discard(key)
        elif (event.action, event.outcome) == ("restore", "restored"):
            unusable.discard(key)
        elif (event.action, event.outcome) == ("refresh", "failed"):
            metrics.failures += counted
        elif _became_unusable(event) and key not in unusable:
            unusable.add(key)
            metrics.expiries += counted
    shown = [m for m in found.values() if m.service in services or m.refreshes or m.expiries]
    return sorted(shown, key=lambda m: m.service)

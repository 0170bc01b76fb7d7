"""What happened to saved logins, one JSON line each in `logs/cookie_refresh_history.jsonl`.

Never a secret: service, login, action, state and a sentence. The notifier reads it too, so a
session that stays expired is announced once per `repeat_hours`, not at every run.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from common.lake import Lake
from common.logs import COOKIE_HISTORY
from common.redact import redact

HISTORY_FILE = COOKIE_HISTORY
# The scheduler's own runs are history lines too, under this name instead of a service.
SCHEDULER = "scheduler"


@dataclass(frozen=True)
class HistoryEvent:
    timestamp: datetime
    service: str
    login: str
    action: str
    outcome: str
    detail: str = ""
    # On a new login: how old the session it replaced was (for the refresh metrics).
    replaced_age_days: float | None = None

    def as_json(self) -> dict[str, Any]:
        record: dict[str, Any] = {
            "timestamp": self.timestamp.astimezone(timezone.utc).isoformat(timespec="seconds"),
            "service": self.service,
            "login": self.login,
            "action": self.action,
            "outcome": self.outcome,
            "detail": redact(self.detail),
        }
        if self.replaced_age_days is not None:
            record["replaced_age_days"] = round(self.replaced_age_days, 2)
        return record


def record(lake: Lake, event: HistoryEvent) -> None:
    """Append one line with a single write, so parallel scripts never interleave."""
    lake.logs.mkdir(parents=True, exist_ok=True)
    line = (json.dumps(event.as_json(), ensure_ascii=False) + "\n").encode("utf-8")
    descriptor = os.open(lake.logs / HISTORY_FILE, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        os.write(descriptor, line)
    finally:
        os.close(descriptor)


def read_history(
    lake: Lake, since: datetime | None = None, service: str | None = None
) -> list[HistoryEvent]:
    """Events oldest first; unreadable lines are skipped (a half line from a killed write)."""
    path = lake.logs / HISTORY_FILE
    if not path.is_file():
        return []
    events = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            raw = json.loads(line)
            event = HistoryEvent(
                datetime.fromisoformat(raw["timestamp"]),
                raw["service"],
                raw["login"],
                raw["action"],
                raw["outcome"],
                raw.get("detail", ""),
                _optional_number(raw.get("replaced_age_days")),
            )
        except (ValueError, KeyError, TypeError):
            continue
        if since is not None and event.timestamp < since:
            continue
        if service is not None and event.service != service:
            continue
        events.append(event)
    return events


def _optional_number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def record_scheduler_run(lake: Lake, now: datetime, checked: int, due: int) -> None:
    """So the health check can say when the scheduler last looked at the logins."""
    detail = f"{checked} login(s) checked, {due} due for a refresh"
    record(lake, HistoryEvent(now, SCHEDULER, SCHEDULER, "schedule", "checked", detail))


def last_scheduler_run(lake: Lake) -> HistoryEvent | None:
    runs = [e for e in read_history(lake, service=SCHEDULER) if e.action == "schedule"]
    return runs[-1] if runs else None


def recently_notified(
    lake: Lake, service: str, login: str, outcome: str, now: datetime, hours: float
) -> bool:
    since = now - timedelta(hours=hours)
    return any(
        e.action == "notify" and e.login == login and e.outcome == outcome
        for e in read_history(lake, since, service)
    )

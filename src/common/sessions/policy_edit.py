"""Changing one service's entry of `config/cookie_refresh_config.json` (the configure tool).

The file is people's to read and edit, so a change keeps every other entry and the file's
layout (one line per service), is checked as a whole before it is written, and is written
atomically: a killed tool never leaves half a policy that every run would refuse.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from common.lake import Lake
from common.sessions.policy import (
    POLICY_FILE,
    PRIORITIES,
    CookiePolicy,
    PolicyError,
    ServicePolicy,
    parse_policy,
    read_policy_document,
)
from common.zones import atomic_write_text


@dataclass(frozen=True)
class PolicyChange:
    """What the user asked to change; None leaves a value as it is."""

    max_age_days: float | None = None
    refresh_interval_days: float | None = None
    priority: str | None = None
    enabled: bool | None = None

    def is_empty(self) -> bool:
        return all(v is None for v in vars(self).values())


def _mistakes(change: PolicyChange) -> list[str]:
    """One sentence per wrong value, naming the option the user typed."""
    found = []
    for option, value in (
        ("--max-age-days", change.max_age_days),
        ("--refresh-interval-days", change.refresh_interval_days),
    ):
        if value is not None and not value > 0:
            found.append(f"{option} must be a number of days above 0, not {value:g}.")
    if change.priority is not None and change.priority.upper() not in PRIORITIES:
        found.append(
            f"--priority must be one of {', '.join(PRIORITIES)}; {change.priority!r} is not one."
        )
    return found


def _days(value: float) -> int | float:
    """Whole days stay whole in the file (7, not 7.0)."""
    return int(value) if value == int(value) else value


def _entry(raw: Any, change: PolicyChange) -> dict[str, Any]:
    entry = dict(raw) if isinstance(raw, dict) else {}
    if change.max_age_days is not None:
        entry["max_age_days"] = _days(change.max_age_days)
    if change.refresh_interval_days is not None:
        entry["refresh_interval_days"] = _days(change.refresh_interval_days)
    if change.priority is not None:
        entry["priority"] = change.priority.upper()
    if change.enabled is not None:
        entry["enabled"] = change.enabled
    return entry


def policy_json(document: dict[str, Any]) -> str:
    """The file's own layout: top-level keys one a line, each service's entry on one line."""
    lines = []
    for index, (key, value) in enumerate(document.items()):
        comma = "," if index < len(document) - 1 else ""
        if key == "services" and isinstance(value, dict) and value:
            entries = ",\n".join(f"    {json.dumps(n)}: {json.dumps(v)}" for n, v in value.items())
            lines.append(f'  "services": {{\n{entries}\n  }}{comma}')
        else:
            lines.append(f"  {json.dumps(key)}: {json.dumps(value)}{comma}")
    return "{\n" + "\n".join(lines) + "\n}\n"


def change_service_policy(lake: Lake, service: str, change: PolicyChange) -> ServicePolicy:
    """Apply `change` to one service and write the file; PolicyError says each mistake."""
    document = read_policy_document(lake)
    current = parse_policy(document, lake)
    if current.for_service(service) is None:
        known = ", ".join(sorted(current.services))
        raise PolicyError(f"There is no login policy for {service}; known services: {known}.")
    mistakes = _mistakes(change)
    if mistakes:
        raise PolicyError("\n".join(mistakes))
    services = document.get("services", {})
    updated_services = {**services, service: _entry(services.get(service), change)}
    updated = (
        {**document, "services": updated_services} if document else _new_file(updated_services)
    )
    try:
        policy: CookiePolicy = parse_policy(updated, lake)
    except PolicyError as error:
        raise PolicyError(f"{error} Nothing was changed.") from None
    atomic_write_text(lake.config / POLICY_FILE, policy_json(updated))
    found = policy.for_service(service)
    assert found is not None  # checked above; the parse keeps every named service
    return found


def _new_file(services: dict[str, Any]) -> dict[str, Any]:
    """A lake without the file gets one holding the documented globals and this entry."""
    return {
        "warning_fraction": 0.8,
        "keep_backups": 10,
        "login_timeout_seconds": 300,
        "notifications": {"email": True, "slack": True, "repeat_hours": 24},
        "services": services,
    }

"""The dashboard's settings: where it listens, how long a login lasts, how failed logins slow.

Read from the lake's optional `config/dashboard.json` (every key optional); the defaults suit one
label owner on one machine. The same file's "goals" belong to the overview's goal KPIs
(kpis/goals.py). Users live apart, in `config/dashboard_users.json` (users.py).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from common.config_files import read_config_object
from common.lake import Lake

SETTINGS_FILE = "dashboard.json"
OTHER_SECTIONS = frozenset({"goals"})  # read by kpis/goals.py
USERS_FILE = "dashboard_users.json"
LOCAL_HOST = "127.0.0.1"
KINDS = {int: "a whole number", float: "a number", str: "text"}


class DashboardSettingsError(Exception):
    """config/dashboard.json cannot be used; the message names the key and what is wrong."""


@dataclass(frozen=True)
class DashboardSettings:
    """`session_hours`: a login lasts this long, then the browser is sent to the login page.
    `free_attempts`: wrong passwords allowed (per user and per address) before logins slow down;
    each further failure doubles the wait, from `first_delay_seconds` up to `max_delay_seconds`.
    `poll_seconds`: how often the live channel looks for a new ETL load or ledger line (never
    below one second, so a page gets at most one push a second)."""

    host: str = LOCAL_HOST
    port: int = 8080
    session_hours: float = 12.0
    free_attempts: int = 3
    first_delay_seconds: float = 2.0
    max_delay_seconds: float = 300.0
    poll_seconds: float = 1.0

    def __post_init__(self) -> None:
        if not 0 < self.port < 65536:
            raise DashboardSettingsError(f"port must be between 1 and 65535, not {self.port}.")
        for name in ("session_hours", "first_delay_seconds", "max_delay_seconds"):
            if not getattr(self, name) > 0:
                raise DashboardSettingsError(f"{name} must be greater than zero.")
        if self.free_attempts < 0:
            raise DashboardSettingsError("free_attempts cannot be negative.")
        if self.poll_seconds < 1:
            raise DashboardSettingsError(
                "poll_seconds cannot be under 1: a page gets at most one update a second."
            )

    @property
    def session_seconds(self) -> int:
        return int(self.session_hours * 3600)


def _coerce(name: str, default: Any, value: Any) -> Any:
    wanted = type(default)
    if wanted is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, wanted) or isinstance(value, bool):
        raise DashboardSettingsError(
            f"config/{SETTINGS_FILE}: {name} must be {KINDS[wanted]}, not {value!r}."
        )
    return value


def load_dashboard_settings(lake: Lake) -> DashboardSettings:
    """The lake's settings, defaults for what config/dashboard.json does not say."""
    document = read_config_object(
        lake.config / SETTINGS_FILE, DashboardSettingsError, f"config/{SETTINGS_FILE}"
    )
    settings = DashboardSettings()
    if not document:
        return settings
    known = {field.name: getattr(settings, field.name) for field in fields(settings)}
    document = {k: v for k, v in document.items() if k not in OTHER_SECTIONS}
    unknown = sorted(set(document) - set(known))
    if unknown:
        raise DashboardSettingsError(
            f"config/{SETTINGS_FILE} has unknown keys {unknown}; known: "
            f"{sorted(set(known) | OTHER_SECTIONS)}."
        )
    chosen = {name: _coerce(name, known[name], value) for name, value in document.items()}
    return replace(settings, **chosen)


def users_path(lake: Lake) -> Path:
    return lake.config / USERS_FILE

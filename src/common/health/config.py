"""Freshness windows per service: what the service declares (src/<service>/service.py), unless
`config/health.json` names it; a service that declares nothing gets the file's default."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from common.config_files import read_config_object
from common.declarations import HealthWindow, find_declaration
from common.lake import Lake

HEALTH_CONFIG = "health.json"


class HealthConfigError(Exception):
    """config/health.json cannot be used; the message names the file and the value."""


# Whole days after which a service's newest data is a warning, then a failure.
FreshnessWindow = HealthWindow


def declared_window(service: str) -> FreshnessWindow | None:
    """The window `service` declares (checked like the file's), or None without a service.py."""
    declared = find_declaration(service)
    if declared is None:
        return None
    window = declared.health
    raw = {"warn_days": window.warn_days, "fail_days": window.fail_days}
    return _window(f"src/{service}/service.py health", raw, window)


@dataclass(frozen=True)
class HealthConfig:
    """`services`: the lake's overrides (config/health.json); `default`: for a service that
    neither the file nor a declaration gives a window."""

    default: FreshnessWindow = FreshnessWindow()
    services: dict[str, FreshnessWindow] = field(default_factory=dict)

    def window_for(self, service: str) -> FreshnessWindow:
        if service in self.services:
            return self.services[service]
        return declared_window(service) or self.default


def _days(where: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise HealthConfigError(
            f"{where} must be a number of days greater than zero, not {value!r}."
        )
    return float(value)


def _window(where: str, raw: Any, fallback: FreshnessWindow) -> FreshnessWindow:
    if not isinstance(raw, dict):
        raise HealthConfigError(f"{where} must be an object with warn_days and fail_days.")
    warn = _days(f"{where}.warn_days", raw.get("warn_days", fallback.warn_days))
    fail = _days(f"{where}.fail_days", raw.get("fail_days", fallback.fail_days))
    if warn > fail:
        raise HealthConfigError(f"{where}: warn_days ({warn:g}) is after fail_days ({fail:g}).")
    return FreshnessWindow(warn, fail)


def load_health_config(lake: Lake) -> HealthConfig:
    """Read config/health.json; without the file every service gets its declared window (or
    the built-in default). A service entry giving one value takes the other from the service's
    declaration, else from the file's default."""
    path = lake.config / HEALTH_CONFIG
    document = read_config_object(path, HealthConfigError)
    if document is None:
        return HealthConfig()
    default = _window(f"{HEALTH_CONFIG} default", document.get("default", {}), FreshnessWindow())
    services = document.get("services", {})
    if not isinstance(services, dict):
        raise HealthConfigError(f"{HEALTH_CONFIG} services must map service names to windows.")
    return HealthConfig(
        default,
        {
            str(name): _window(
                f"{HEALTH_CONFIG} services.{name}", raw, declared_window(str(name)) or default
            )
            for name, raw in services.items()
        },
    )

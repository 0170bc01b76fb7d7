"""Freshness windows per service from `config/health.json`; a service not named gets the default."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from common.lake import Lake

HEALTH_CONFIG = "health.json"


class HealthConfigError(Exception):
    """config/health.json cannot be used; the message names the file and the value."""


@dataclass(frozen=True)
class FreshnessWindow:
    """Whole days after which a service's newest data is a warning, then a failure."""

    warn_days: float = 3
    fail_days: float = 7


@dataclass(frozen=True)
class HealthConfig:
    default: FreshnessWindow = FreshnessWindow()
    services: dict[str, FreshnessWindow] = field(default_factory=dict)

    def window_for(self, service: str) -> FreshnessWindow:
        return self.services.get(service, self.default)


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
    """Read config/health.json; without the file every service gets the built-in default."""
    path = lake.config / HEALTH_CONFIG
    if not path.is_file():
        return HealthConfig()
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise HealthConfigError(f"{path} is not readable JSON: {error}") from error
    if not isinstance(document, dict):
        raise HealthConfigError(f"{path} must hold a JSON object with default and services.")
    default = _window(f"{HEALTH_CONFIG} default", document.get("default", {}), FreshnessWindow())
    services = document.get("services", {})
    if not isinstance(services, dict):
        raise HealthConfigError(f"{HEALTH_CONFIG} services must map service names to windows.")
    return HealthConfig(
        default,
        {
            str(name): _window(f"{HEALTH_CONFIG} services.{name}", raw, default)
            for name, raw in services.items()
        },
    )

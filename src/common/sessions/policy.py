"""Per-service login policy: what each service declares (src/<service>/service.py, SPEC.md's
defaults), overridden per lake by `config/cookie_refresh_config.json`."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, get_args

from common.config_files import read_config_object
from common.declarations import Priority, ServiceDeclaration, Strategy, service_declarations
from common.lake import Lake

POLICY_FILE = "cookie_refresh_config.json"
STRATEGIES: tuple[str, ...] = get_args(Strategy)
PRIORITIES: tuple[str, ...] = get_args(Priority)


class PolicyError(Exception):
    """config/cookie_refresh_config.json cannot be used; the message names the value."""


@dataclass(frozen=True)
class ServicePolicy:
    """How long one service's saved login lasts and how it is renewed.

    `accounts` lists the logins a service keeps apart (TikTok: one per account); empty means
    one login named after the service. `token_env` names an environment variable that holds
    the credential instead of a session file (Meta Ads' system-user token). A service that is
    not `enabled` is left out of status, refresh --all, the scheduler and notifications; its
    extractor still runs with whatever login it has.
    """

    service: str
    strategy: Strategy
    max_age_days: float
    refresh_interval_days: float
    priority: str
    accounts: tuple[str, ...] = ()
    jwt_name: str | None = None
    token_env: str | None = None
    enabled: bool = True

    @property
    def logins(self) -> tuple[str, ...]:
        return self.accounts or (self.service,)


def declared_policy(declaration: ServiceDeclaration) -> ServicePolicy | None:
    """The policy a service declares; None for a service without a login (Capital One)."""
    login = declaration.login
    if login is None:
        return None
    return ServicePolicy(
        declaration.name,
        login.strategy,
        login.max_age_days,
        login.refresh_interval_days,
        login.priority,
        accounts=login.accounts,
        jwt_name=login.jwt_name,
        token_env=login.token_env,
    )


def default_services(lake: Lake | None = None) -> dict[str, ServicePolicy]:
    """The declared policies of the built-in services (and of `lake`'s own), by service."""
    declared = {
        name: declared_policy(declaration)
        for name, declaration in service_declarations(lake).items()
    }
    return {name: policy for name, policy in declared.items() if policy is not None}


@dataclass(frozen=True)
class Notifications:
    email: bool = True
    slack: bool = True
    repeat_hours: float = 24


@dataclass(frozen=True)
class CookiePolicy:
    services: dict[str, ServicePolicy] = field(default_factory=default_services)
    warning_fraction: float = 0.8
    keep_backups: int = 10
    login_timeout_seconds: float = 300
    notifications: Notifications = Notifications()

    def for_service(self, service: str) -> ServicePolicy | None:
        return self.services.get(service)

    @property
    def enabled_services(self) -> list[str]:
        return sorted(name for name, policy in self.services.items() if policy.enabled)


def _number(where: str, value: Any, *, whole: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise PolicyError(
            f"{where} in config/{POLICY_FILE} must be a number above 0, not {value!r}."
        )
    if whole and value != int(value):
        raise PolicyError(f"{where} in config/{POLICY_FILE} must be a whole number.")
    return float(value)


def _service(name: str, raw: Any, base: ServicePolicy | None) -> ServicePolicy:
    where = f"services.{name}"
    if not isinstance(raw, dict):
        raise PolicyError(f"{where} in config/{POLICY_FILE} must be an object.")
    start = base or ServicePolicy(name, "playwright", 30, 7, "MEDIUM")
    strategy = raw.get("strategy", start.strategy)
    if strategy not in STRATEGIES:
        raise PolicyError(f"{where}.strategy must be one of {', '.join(STRATEGIES)}.")
    priority = str(raw.get("priority", start.priority)).upper()
    if priority not in PRIORITIES:
        raise PolicyError(f"{where}.priority must be one of {', '.join(PRIORITIES)}.")
    enabled = raw.get("enabled", start.enabled)
    if not isinstance(enabled, bool):
        raise PolicyError(f"{where}.enabled must be true or false.")
    accounts = raw.get("accounts", list(start.accounts))
    if not isinstance(accounts, list) or not all(isinstance(a, str) and a for a in accounts):
        raise PolicyError(f"{where}.accounts must be a list of account names.")
    policy = replace(
        start,
        strategy=strategy,
        max_age_days=_number(f"{where}.max_age_days", raw.get("max_age_days", start.max_age_days)),
        refresh_interval_days=_number(
            f"{where}.refresh_interval_days",
            raw.get("refresh_interval_days", start.refresh_interval_days),
        ),
        priority=priority,
        accounts=tuple(accounts),
        jwt_name=raw.get("jwt_name", start.jwt_name),
        token_env=raw.get("token_env", start.token_env),
        enabled=enabled,
    )
    if policy.refresh_interval_days > policy.max_age_days:
        raise PolicyError(f"{where}: refresh_interval_days is longer than max_age_days.")
    return policy


def read_policy_document(lake: Lake) -> dict[str, Any]:
    """The file as written ({} when absent), for tools that change one entry and keep the rest."""
    path = lake.config / POLICY_FILE
    return read_config_object(path, PolicyError, f"config/{POLICY_FILE}") or {}


def load_policy(lake: Lake) -> CookiePolicy:
    """The lake's policy; services the file does not name keep what they declare."""
    return parse_policy(read_policy_document(lake), lake)


def parse_policy(document: dict[str, Any], lake: Lake | None = None) -> CookiePolicy:
    """Check every value of the file's document; PolicyError names the first wrong one.
    Defaults come from the declarations of the built-in services and `lake`'s own."""
    defaults = default_services(lake)
    services = dict(defaults)
    raw_services = document.get("services", {})
    if not isinstance(raw_services, dict):
        raise PolicyError(f"services in config/{POLICY_FILE} must map service names to policies.")
    for name, raw in raw_services.items():
        services[name] = _service(name, raw, defaults.get(name))
    fraction = document.get("warning_fraction", 0.8)
    if not isinstance(fraction, (int, float)) or not 0 < fraction < 1:
        raise PolicyError(f"warning_fraction in config/{POLICY_FILE} must be between 0 and 1.")
    raw_notes = document.get("notifications", {})
    if not isinstance(raw_notes, dict):
        raise PolicyError(f"notifications in config/{POLICY_FILE} must be an object.")
    notes = Notifications(
        email=bool(raw_notes.get("email", True)),
        slack=bool(raw_notes.get("slack", True)),
        repeat_hours=_number("notifications.repeat_hours", raw_notes.get("repeat_hours", 24)),
    )
    return CookiePolicy(
        services=services,
        warning_fraction=float(fraction),
        keep_backups=int(_number("keep_backups", document.get("keep_backups", 10), whole=True)),
        login_timeout_seconds=_number(
            "login_timeout_seconds", document.get("login_timeout_seconds", 300)
        ),
        notifications=notes,
    )

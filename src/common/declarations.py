"""What a service says about itself, once: `src/<service>/service.py` defines `SERVICE`.

This is the contract between a service folder and the framework. The warehouse ETL, the
report, health, the login tools, the demo and the scaffold ask these declarations instead of
writing a service's dataset names, login policy or freshness windows again. The module holds
plain data only (no polars, no SQLAlchemy) so reading every declaration stays cheap.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from common.lake import Lake

Strategy = Literal["jwt", "oauth", "playwright"]
Priority = Literal["CRITICAL", "HIGH", "MEDIUM", "LOW"]
DECLARATION_MODULE = "service"


class DeclarationError(Exception):
    """A service's declaration is missing or wrong; the message names the service and the fix."""


@dataclass(frozen=True)
class Dataset:
    """One curated dataset: its file in 4_curated (a glob when dated), its natural key, and
    the warehouse loader that reads it (a name in the ETL's loader table, or None)."""

    name: str
    file: str
    keys: tuple[str, ...] = ()
    loader: str | None = None


@dataclass(frozen=True)
class LoginDeclaration:
    """The service's login policy (SPEC §4 defaults); config/cookie_refresh_config.json may
    override any of it per lake."""

    strategy: Strategy
    max_age_days: float
    refresh_interval_days: float
    priority: Priority
    accounts: tuple[str, ...] = ()
    jwt_name: str | None = None
    token_env: str | None = None


@dataclass(frozen=True)
class HealthWindow:
    """Days after which the newest data is a warning, then a failure (config/health.json may
    override them per lake)."""

    warn_days: float = 3
    fail_days: float = 7


@dataclass(frozen=True)
class ServiceDeclaration:
    name: str
    datasets: tuple[Dataset, ...] = ()
    login: LoginDeclaration | None = None
    health: HealthWindow = HealthWindow()
    priority: Priority = "MEDIUM"
    # "module:function" writing the service's demo exports into a lake's 1_landing/<service>/.
    demo_writer: str | None = None
    description: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    def dataset(self, name: str) -> Dataset:
        for dataset in self.datasets:
            if dataset.name == name:
                return dataset
        known = ", ".join(d.name for d in self.datasets) or "none"
        raise DeclarationError(
            f"service {self.name} declares no dataset {name!r} (it declares: {known})."
        )

    def demo(self) -> Callable[..., object] | None:
        """The demo writer, imported only when the demo runs."""
        if self.demo_writer is None:
            return None
        module, _, function = self.demo_writer.partition(":")
        writer = getattr(importlib.import_module(module), function)
        if not callable(writer):
            raise DeclarationError(f"{self.demo_writer} (demo of {self.name}) is not a function.")
        return writer  # type: ignore[no-any-return]


def load_declaration(service: str) -> ServiceDeclaration:
    """`<service>.service.SERVICE`, checked; a service without one gets a bare declaration."""
    try:
        module = importlib.import_module(f"{service}.{DECLARATION_MODULE}")
    except ModuleNotFoundError as error:
        if error.name in (service, f"{service}.{DECLARATION_MODULE}"):
            return ServiceDeclaration(service)
        raise
    declared = getattr(module, "SERVICE", None)
    if not isinstance(declared, ServiceDeclaration):
        raise DeclarationError(
            f"src/{service}/{DECLARATION_MODULE}.py must define SERVICE = ServiceDeclaration(...)."
        )
    if declared.name != service:
        raise DeclarationError(
            f"src/{service}/{DECLARATION_MODULE}.py declares the name {declared.name!r}; "
            f"it must be {service!r}, the folder's name."
        )
    return declared


def declared_services(lake: Lake) -> dict[str, ServiceDeclaration]:
    """Every discovered service's declaration, by name."""
    from common.discovery import discover_services

    return {s.name: load_declaration(s.name) for s in discover_services(lake).services}


def dataset_file(service: str, dataset: str) -> str:
    """The curated file (or glob) of one service's dataset, as its declaration names it."""
    return load_declaration(service).dataset(dataset).file

"""What a service says about itself, once: `src/<service>/service.py` defines `SERVICE`.

This is the contract between a service folder and the framework. The warehouse ETL, the
report, health, the login tools, the demo and the scaffold ask these declarations instead of
writing a service's dataset names, login policy or freshness windows again. The module holds
plain data only (no polars, no SQLAlchemy) so reading every declaration stays cheap.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from common.lake import Lake

Strategy = Literal["jwt", "oauth", "playwright"]
Priority = Literal["CRITICAL", "HIGH", "MEDIUM", "LOW"]
DECLARATION_MODULE = "service"
# The built-in services are the packages installed beside `common` (src/ in the checkout).
BUILTIN_ROOT = Path(__file__).resolve().parents[1]
# What marks a folder as a service (as in common.discovery): its scripts' folders.
SERVICE_SCRIPT_FOLDERS = ("cleaners", "extractors")


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

    def __post_init__(self) -> None:
        _refuse_repeats(self.name, "dataset name", [d.name for d in self.datasets])
        _refuse_repeats(self.name, "curated file", [d.file for d in self.datasets])

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


def _refuse_repeats(service: str, what: str, values: list[str]) -> None:
    repeated = sorted({value for value in values if values.count(value) > 1})
    if repeated:
        raise DeclarationError(
            f"service {service} declares the {what} {', '.join(map(repr, repeated))} twice; "
            f"give each dataset its own {what} in src/{service}/{DECLARATION_MODULE}.py."
        )


def loader_problems(declaration: ServiceDeclaration, known: Collection[str]) -> list[str]:
    """One sentence per dataset whose warehouse loader is not in `known` (the ETL's table)."""
    return [
        f"service {declaration.name} declares dataset {dataset.name} with the warehouse loader "
        f"{dataset.loader!r}, which the warehouse does not have (it has: "
        f"{', '.join(sorted(known))}); fix src/{declaration.name}/{DECLARATION_MODULE}.py."
        for dataset in declaration.datasets
        if dataset.loader is not None and dataset.loader not in known
    ]


def check_loaders(declaration: ServiceDeclaration, known: Collection[str]) -> None:
    """Refuse a declaration naming a warehouse loader that is not in `known`."""
    problems = loader_problems(declaration, known)
    if problems:
        raise DeclarationError(problems[0])


def find_declaration(service: str) -> ServiceDeclaration | None:
    """`<service>.service.SERVICE`, checked; None when the service has no service.py."""
    try:
        module = importlib.import_module(f"{service}.{DECLARATION_MODULE}")
    except ModuleNotFoundError as error:
        if error.name in (service, f"{service}.{DECLARATION_MODULE}"):
            return None
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


def load_declaration(service: str) -> ServiceDeclaration:
    """`<service>.service.SERVICE`, checked; a service without one gets a bare declaration."""
    return find_declaration(service) or ServiceDeclaration(service)


def _declaring_folders(root: Path) -> list[str]:
    """Service folders under `root` that hold a service.py (scripts' folders mark a service)."""
    return [
        module.parent.name
        for module in sorted(root.glob(f"*/{DECLARATION_MODULE}.py"))
        if any((module.parent / folder).is_dir() for folder in SERVICE_SCRIPT_FOLDERS)
    ]


def service_declarations(lake: Lake | None = None) -> dict[str, ServiceDeclaration]:
    """The declarations of the built-in services and, given a lake, of its own service folders,
    by name. Cheap: only the service.py modules are imported."""
    names = set(_declaring_folders(BUILTIN_ROOT))
    if lake is not None and lake.src.is_dir():
        own = _declaring_folders(lake.src)
        if set(own) - names and str(lake.src) not in sys.path:
            # The lake's own services import as the runner's scripts import them (PYTHONPATH).
            sys.path.insert(0, str(lake.src))
        names.update(own)
    return {name: load_declaration(name) for name in sorted(names)}


def declared_services(lake: Lake) -> dict[str, ServiceDeclaration]:
    """Every discovered service's declaration, by name."""
    from common.discovery import discover_services

    return {s.name: load_declaration(s.name) for s in discover_services(lake).services}


def dataset_file(service: str, dataset: str) -> str:
    """The curated file (or glob) of one service's dataset, as its declaration names it."""
    return load_declaration(service).dataset(dataset).file

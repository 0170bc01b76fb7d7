"""Finds services: a folder with extractors/ or cleaners/ is a service (common excluded).

Two places hold them: the built-in services, installed beside the `common` package (the checkout's
src/ in an editable install), which a lake runs as its config/services.json chooses; and the lake's
own src/, whose services always run and override a built-in one of the same name. Replace
`discover_services` to change the convention; the runner only needs its result.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from common.config_files import read_config_object
from common.lake import ALL_BUILTIN, SERVICES_CONFIG, ZONE_NAMES, Lake

CLEANER_ORDER = ("landing2raw", "raw2staging", "staging2curated")
NOT_SERVICES = frozenset({"common", "__pycache__"})
# Where the installed service packages live: the folder holding the `common` package.
BUILTIN_ROOT = Path(__file__).resolve().parents[1]
SELECTION_KEY = "builtin"


@dataclass(frozen=True)
class Service:
    """One service's scripts, in the order they run."""

    name: str
    folder: Path
    extractors: tuple[Path, ...] = ()
    cleaners: tuple[Path, ...] = ()
    builtin: bool = False


@dataclass
class Discovery:
    services: list[Service] = field(default_factory=list)
    broken: dict[str, str] = field(default_factory=dict)


class BrokenService(Exception):
    """A service folder that cannot run; the message says what to fix."""


class SelectionError(Exception):
    """config/services.json cannot say which built-in services run; the message says why."""


def _scripts(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.py") if not p.name.startswith(("_", ".")))


def _check_syntax(script: Path) -> None:
    try:
        compile(script.read_bytes(), str(script), "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as error:
        raise BrokenService(f"{script.name} does not compile: {error}") from error


def order_cleaners(name: str, scripts: list[Path]) -> tuple[Path, ...]:
    """landing2raw → raw2staging → staging2curated, by the `<service>_<step>.py` convention."""
    by_step: dict[str, Path] = {}
    for script in scripts:
        step = script.stem.removeprefix(f"{name}_")
        if step not in CLEANER_ORDER or script.stem != f"{name}_{step}":
            raise BrokenService(
                f"cleaners/{script.name} does not follow the naming convention "
                f"{name}_<{'|'.join(CLEANER_ORDER)}>.py"
            )
        by_step[step] = script
    return tuple(by_step[step] for step in CLEANER_ORDER if step in by_step)


def load_service(folder: Path) -> Service:
    """Read one service folder, or raise BrokenService with the reason."""
    name = folder.name
    if not name.isidentifier() or name.lower() != name:
        raise BrokenService(f"the folder name {name!r} must be a lower-case Python identifier")
    extractors = _scripts(folder / "extractors")
    cleaners = order_cleaners(name, _scripts(folder / "cleaners"))
    for script in (*extractors, *cleaners):
        _check_syntax(script)
    return Service(name, folder, tuple(extractors), cleaners)


def _looks_like_service(folder: Path) -> bool:
    if folder.name in NOT_SERVICES or folder.name.startswith((".", "_")):
        return False
    return (folder / "extractors").is_dir() or (folder / "cleaners").is_dir()


def service_folders(parent: Path) -> dict[str, Path]:
    """The service-shaped folders of `parent`, by name."""
    if not parent.is_dir():
        return {}
    return {f.name: f for f in sorted(parent.iterdir()) if f.is_dir() and _looks_like_service(f)}


def builtin_service_folders(root: Path = BUILTIN_ROOT) -> dict[str, Path]:
    """The installed services: packages (an `__init__.py`) shaped like a service, so that nothing
    else installed beside them is taken for one."""
    return {n: f for n, f in service_folders(root).items() if (f / "__init__.py").is_file()}


def chosen_builtins(lake: Lake, available: set[str]) -> set[str]:
    """The built-in services this lake runs, from config/services.json (none without the file)."""
    path = lake.config / SERVICES_CONFIG
    document = read_config_object(path, SelectionError)
    if document is None:
        return set()
    chosen = document.get(SELECTION_KEY, [])
    if chosen == ALL_BUILTIN:
        return set(available)
    if not isinstance(chosen, list) or not all(isinstance(name, str) for name in chosen):
        raise SelectionError(
            f'"{SELECTION_KEY}" in {path} must be "{ALL_BUILTIN}" or a list of service names.'
        )
    unknown = sorted(set(chosen) - available)
    if unknown:
        raise SelectionError(
            f"{path} names {', '.join(unknown)}, which is not a built-in service "
            f"(built-in: {', '.join(sorted(available))})."
        )
    return set(chosen)


def discover_services(lake: Lake, builtin_root: Path = BUILTIN_ROOT) -> Discovery:
    """Every service of the lake, sorted by name; broken ones are reported apart, by name.

    The lake's own src/ folders come after the built-in ones, so a lake folder named like a
    built-in service replaces it (in the checkout they are the same folders)."""
    found = Discovery()
    builtins = builtin_service_folders(builtin_root)
    try:
        chosen = chosen_builtins(lake, set(builtins))
    except SelectionError as error:
        found.broken[SERVICES_CONFIG] = str(error)
        chosen = set()
    candidates = {name: (folder, True) for name, folder in builtins.items() if name in chosen}
    candidates.update({name: (f, False) for name, f in service_folders(lake.src).items()})
    for name, (folder, builtin) in sorted(candidates.items()):
        try:
            found.services.append(replace(load_service(folder), builtin=builtin))
        except (BrokenService, OSError) as error:
            found.broken[name] = str(error)
    return found


def make_landing_folders(lake: Lake, services: list[Service]) -> None:
    """`1_landing/<service>/` for each service (SPEC: one subfolder per service), so a user has
    a folder to drop an export into before any extractor ran (Capital One is dropped by hand)."""
    for service in services:
        try:
            (lake.zone(ZONE_NAMES[0]) / service.name).mkdir(parents=True, exist_ok=True)
        except OSError:  # a file of that name, a read-only share: the service's cleaner says so
            continue

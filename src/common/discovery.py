"""Finds services: a folder of src/ with extractors/ or cleaners/ is a service (common excluded).

Replace `discover_services` to change the convention; the runner only needs its result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from common.lake import Lake

CLEANER_ORDER = ("landing2raw", "raw2staging", "staging2curated")
NOT_SERVICES = frozenset({"common", "__pycache__"})


@dataclass(frozen=True)
class Service:
    """One service's scripts, in the order they run."""

    name: str
    folder: Path
    extractors: tuple[Path, ...] = ()
    cleaners: tuple[Path, ...] = ()


@dataclass
class Discovery:
    services: list[Service] = field(default_factory=list)
    broken: dict[str, str] = field(default_factory=dict)


class BrokenService(Exception):
    """A service folder that cannot run; the message says what to fix."""


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


def discover_services(lake: Lake) -> Discovery:
    """Every service of the lake, sorted by name; broken ones are reported apart, by name."""
    found = Discovery()
    if not lake.src.is_dir():
        return found
    for folder in sorted(lake.src.iterdir()):
        if folder.name in NOT_SERVICES or folder.name.startswith((".", "_")):
            continue
        if not ((folder / "extractors").is_dir() or (folder / "cleaners").is_dir()):
            continue
        try:
            found.services.append(load_service(folder))
        except (BrokenService, OSError) as error:
            found.broken[folder.name] = str(error)
    return found

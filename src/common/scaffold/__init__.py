"""`bedrot new-service NAME`: a service folder with its declaration (service.py, settings.py),
its three cleaners and a real test."""

from __future__ import annotations

import keyword
from dataclasses import dataclass
from pathlib import Path
from string import Template

from common.discovery import builtin_service_folders
from common.lake import Lake
from common.zones import ensure_service_folders

TEMPLATES = Path(__file__).parent / "templates"
# Each cleaner script is one line that runs its step function from NAME/steps.py.
CLEANER_STEPS = {
    "landing2raw": ("landing_to_raw", "landing -> raw"),
    "raw2staging": ("raw_to_staging", "raw -> staging"),
    "staging2curated": ("staging_to_curated", "staging -> curated"),
}


class ScaffoldError(Exception):
    """The service cannot be made; the message says why."""


@dataclass(frozen=True)
class Scaffolded:
    service_folder: Path
    files: list[Path]


def _render(template: str, service: str, **values: str) -> str:
    return Template((TEMPLATES / f"{template}.tmpl").read_text(encoding="utf-8")).substitute(
        service=service, **values
    )


def check_service_name(name: str) -> None:
    if not name.isidentifier() or name != name.lower() or keyword.iskeyword(name):
        raise ScaffoldError(
            f"{name!r} cannot be a service name: use lower-case letters, digits and underscores, "
            "starting with a letter (for example meta_ads)."
        )
    if name == "common":
        raise ScaffoldError("'common' is the framework's folder, not a service name.")


def new_service(lake: Lake, name: str) -> Scaffolded:
    """Create src/NAME/{extractors,cleaners,cookies}, its declaration, the three cleaners and
    tests/NAME/."""
    check_service_name(name)
    folder = lake.src / name
    if folder.exists():
        raise ScaffoldError(f"{folder} already exists; pick another name or edit that service.")
    if name in builtin_service_folders():
        raise ScaffoldError(
            f"{name} is a built-in service; a new folder of that name would replace it in this "
            "lake. Pick another name, or copy the built-in service's folder to change it."
        )
    files: dict[Path, str] = {
        folder / "extractors" / ".gitkeep": "",
        folder / "cookies" / ".gitkeep": "",
        folder / "__init__.py": _render("package", name),
        folder / "settings.py": _render("settings", name),
        folder / "service.py": _render("service", name),
        folder / "steps.py": _render("steps", name),
        lake.root / "tests" / name / f"test_{name}_cleaners.py": _render("test_cleaners", name),
    }
    for script, (step, title) in CLEANER_STEPS.items():
        files[folder / "cleaners" / f"{name}_{script}.py"] = _render(
            "cleaner", name, step=step, title=title
        )
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    # Saved sessions are secrets: only the owner may list or read them.
    (folder / "cookies").chmod(0o700)
    ensure_service_folders(lake, name)
    return Scaffolded(folder, sorted(files))

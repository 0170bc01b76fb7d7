"""Helpers for service tests: a throwaway lake (built-in services, or copies of them), and running
scripts."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from common.discovery import builtin_service_folders, discover_services
from common.lake import Lake, choose_builtin_services, init_lake, install_defaults, lake_defaults
from common.logs import setup_logging
from common.script import ScriptContext, call_step
from common.zones import ensure_service_folders


def _code_only(folder: str, names: list[str]) -> set[str]:
    """Leave out caches and saved sessions (cookies/ keeps only its .gitkeep)."""
    skipped = {name for name in names if name == "__pycache__" or name.endswith(".pyc")}
    if Path(folder).name == "cookies":
        skipped |= {name for name in names if name != ".gitkeep"}
    return skipped


def lake_with_services(root: Path, source: Lake, services: list[str], etl: bool = False) -> Lake:
    """A new lake at `root` with copies of `services` (their code, no data or cookies), the
    source lake's config/*.json, and with `etl` its warehouse ETL scripts.

    A copy overrides the built-in service of its name. A source without a service's folder (an
    installed package has no checkout) runs the built-in one instead, with the built-in defaults."""
    lake = init_lake(root)
    defaults = Lake(lake_defaults())
    config = source.config if source.config.is_dir() else defaults.config
    for setting in sorted(config.glob("*.json")):
        if not (lake.config / setting.name).exists():
            shutil.copyfile(setting, lake.config / setting.name)
    if etl:
        scripts = sorted(source.etl.glob("*.py")) or sorted(defaults.etl.glob("*.py"))
        for script in scripts:
            shutil.copyfile(script, lake.etl / script.name)
    builtin = [name for name in services if not (source.src / name).is_dir()]
    for name in services:
        if name not in builtin:
            shutil.copytree(source.src / name, lake.src / name, ignore=_code_only)
        ensure_service_folders(lake, name)
    if builtin:
        choose_builtin_services(lake, builtin)
    return lake


def lake_for(root: Path, services: list[str] | None = None) -> Lake:
    """A lake at `root` as `bedrot init` makes it, running the built-in services (all, or only
    `services`) from where they are installed: no code is copied into the lake."""
    lake = init_lake(root)
    if services is not None:
        choose_builtin_services(lake, services)
    install_defaults(lake)
    for name in services if services is not None else sorted(builtin_service_folders()):
        ensure_service_folders(lake, name)
    return lake


def run_in_lake(
    lake: Lake, args: list[str], env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run `python args...` the way a user would, with PROJECT_ROOT naming `lake`."""
    full_env = {**os.environ, "PROJECT_ROOT": str(lake.root), **(env or {})}
    full_env.pop("BEDROT_CORRELATION_ID", None)
    full_env.pop("BEDROT_UNDER_RUNNER", None)
    return subprocess.run(
        [sys.executable, *args],
        cwd=lake.root,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def run_cleaners(lake: Lake, service: str) -> list[subprocess.CompletedProcess[str]]:
    """Run the service's cleaners alone, in order, as `python <its folder>/cleaners/<script>`."""
    (found,) = [s for s in discover_services(lake).services if s.name == service]
    return [run_in_lake(lake, [str(s)]) for s in found.cleaners]


def run_step(lake: Lake, service: str, step: Callable[[ScriptContext], int | None]) -> int:
    """Call one of a service's step functions in this process, as its cleaner script would
    (same context and logging, no subprocess, no run lock): unit tests of step logic use it."""
    log = setup_logging(lake.logs, service, executor_log=True)
    return call_step(ScriptContext(lake, service, log), step)

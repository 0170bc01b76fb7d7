"""Helpers for service tests: a throwaway lake holding copies of services, and running scripts."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from common.discovery import load_service
from common.lake import Lake, init_lake
from common.logs import setup_logging
from common.script import ScriptContext
from common.zones import ensure_service_folders


def _code_only(folder: str, names: list[str]) -> set[str]:
    """Leave out caches and saved sessions (cookies/ keeps only its .gitkeep)."""
    skipped = {name for name in names if name == "__pycache__" or name.endswith(".pyc")}
    if Path(folder).name == "cookies":
        skipped |= {name for name in names if name != ".gitkeep"}
    return skipped


def lake_with_services(root: Path, source: Lake, services: list[str], etl: bool = False) -> Lake:
    """A new lake at `root` with copies of `services` (their code, no data or cookies), the
    source lake's config/*.json, and with `etl` its warehouse ETL scripts."""
    lake = init_lake(root)
    for setting in sorted(source.config.glob("*.json")):
        if not (lake.config / setting.name).exists():
            shutil.copyfile(setting, lake.config / setting.name)
    if etl:
        for script in source.etl.glob("*.py"):
            shutil.copyfile(script, lake.etl / script.name)
    for name in services:
        shutil.copytree(
            source.src / name,
            lake.src / name,
            ignore=_code_only,
        )
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
    """Run the service's cleaners alone, in order, as `python src/<service>/cleaners/<script>`."""
    return [run_in_lake(lake, [str(s)]) for s in load_service(lake.src / service).cleaners]


def run_step(lake: Lake, service: str, step: Callable[[ScriptContext], int | None]) -> int:
    """Call one of a service's step functions in this process, as its cleaner script would
    (same context and logging, no subprocess, no run lock): unit tests of step logic use it."""
    log = setup_logging(lake.logs, service, executor_log=True)
    return step(ScriptContext(lake, service, log)) or 0

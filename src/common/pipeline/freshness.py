"""Lets the runner skip a cleaner, or the warehouse ETL, whose inputs have not changed since it
last succeeded.

A cleaner reads one zone of its service; its fingerprint is that folder's file list with sizes and
modification times, plus the script itself, config/ and the framework version. The ETL reads the
curated zone (not the report or the statements step 6 writes there) and config/, into the
warehouse WAREHOUSE_URL names; its fingerprint is those files' sizes and times, the ETL scripts,
the framework, and which warehouse (for SQLite: that its file is still the same file). Running a
script alone ignores this and always runs; the outputs are the same either way.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import sqlite3
from pathlib import Path

from common import __version__
from common.cleaning import cleaner_config_files
from common.lake import Lake, sqlite_loaded_files, sqlite_warehouse_file, warehouse_url
from common.logs import LOGGER_NAME
from common.zones import (
    CURATED,
    LANDING,
    RAW,
    STAGING,
    STEP6_OUTPUT_FOLDERS,
    TEMP_MARKER,
    atomic_write_text,
    data_files,
    replace_with_retry,
)

STATE_FILE = "_step_state.json"
DAMAGED_SUFFIX = ".damaged"
FRAMEWORK = Path(__file__).resolve().parents[1]
CLEANER_ZONES = {
    "landing2raw": (LANDING, RAW),
    "raw2staging": (RAW, STAGING),
    "staging2curated": (STAGING, CURATED),
}


def cleaner_zones(script: Path) -> tuple[str, str] | None:
    """(input zone, output zone) of a cleaner named by the convention, else None."""
    return CLEANER_ZONES.get(script.stem.rsplit("_", 1)[-1])


def _stat_lines(files: list[Path], root: Path) -> list[str]:
    lines = []
    for path in files:
        stat = path.stat()
        lines.append(f"{path.relative_to(root).as_posix()}|{stat.st_size}|{stat.st_mtime_ns}")
    return lines


@functools.cache
def _framework_code() -> tuple[str, ...]:
    """Read once per run: the framework does not change while a run is going."""
    return tuple(_code_lines(sorted(FRAMEWORK.rglob("*.py"))))


def _code_lines(files: list[Path]) -> list[str]:
    return [f"{path}|{path.stat().st_size}|{path.stat().st_mtime_ns}" for path in files]


def is_etl(lake: Lake, script: Path) -> bool:
    return script.parent.resolve() == lake.etl.resolve()


def _etl_inputs(lake: Lake) -> list[Path]:
    curated = lake.zone(CURATED)
    if not curated.is_dir():
        return []
    return sorted(
        path
        for path in curated.rglob("*")
        if path.is_file()
        and path.relative_to(curated).parts[0] not in STEP6_OUTPUT_FOLDERS
        and path.name != STATE_FILE
        and TEMP_MARKER not in path.name
    )


def _warehouse_lines(lake: Lake) -> list[str]:
    url = warehouse_url(lake)
    lines = [hashlib.sha256(url.encode("utf-8")).hexdigest()]  # it may hold a password
    database = sqlite_warehouse_file(lake)
    if database is not None:
        # What it holds, not its size or time (step 6 writes to it after every load): a backup
        # copied over it, or a new empty one, is loaded again.
        try:
            lines += sqlite_loaded_files(database)
        except (OSError, sqlite3.Error) as error:  # the ETL makes it readable, or says why
            lines.append(f"unreadable warehouse: {type(error).__name__}")
    return lines


def etl_fingerprint(lake: Lake, script: Path) -> str:
    config = (
        sorted(p for p in lake.config.rglob("*") if p.is_file()) if lake.config.is_dir() else []
    )
    etl_code = _code_lines(sorted(script.parent.glob("*.py")))
    lines = [__version__, *_framework_code(), *etl_code, *_warehouse_lines(lake)]
    lines += _stat_lines(config, lake.root) + _stat_lines(_etl_inputs(lake), lake.root)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def input_fingerprint(
    lake: Lake, service: str, script: Path, memo: dict[str, list[str]] | None = None
) -> str | None:
    """The fingerprint of what `script` reads. `memo` (one per run) keeps the config's and each
    service's code lines once they are read: a run's 31 cleaners stat them once, not 31 times."""
    if is_etl(lake, script):
        return etl_fingerprint(lake, script)
    zones = cleaner_zones(script)
    if zones is None:
        return None
    memo = {} if memo is None else memo
    inputs = data_files(lake.zone(zones[0]) / service)
    if "config" not in memo:
        memo["config"] = _stat_lines(cleaner_config_files(lake), lake.root)
    # The script's own service code (parsers, settings) and the framework's code count too.
    folder = script.parents[1]
    if str(folder) not in memo:
        memo[str(folder)] = _code_lines(sorted(folder.rglob("*.py")))
    lines = [__version__, *memo["config"], *memo[str(folder)], *_framework_code()]
    lines += _stat_lines(inputs, lake.root)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def _state_path(lake: Lake, service: str, script: Path) -> Path:
    if is_etl(lake, script):
        return lake.zone(CURATED) / STATE_FILE
    zones = cleaner_zones(script)
    assert zones is not None
    return lake.zone(zones[1]) / service / STATE_FILE


def _read_state(path: Path) -> dict[str, str]:
    """The fingerprints of the last successes; a state file that is cut short or is not a map of
    fingerprints is set aside (once, with a warning) and counts as none: the cleaners run and
    write it anew, which is what a first run does."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as error:
        logging.getLogger(LOGGER_NAME).warning("%s could not be read: %s", path, error)
        return {}
    try:
        state = json.loads(text)
        if not isinstance(state, dict) or not all(
            isinstance(value, str) for value in state.values()
        ):
            raise ValueError("not a map of fingerprints")
    except ValueError as error:
        _set_aside(path, error)
        return {}
    return state


def _set_aside(path: Path, error: ValueError) -> None:
    aside = path.with_name(path.name + DAMAGED_SUFFIX)
    try:
        replace_with_retry(path, aside)
    except OSError:
        aside = path
    logging.getLogger(LOGGER_NAME).warning(
        "%s was damaged (%s): its cleaner runs again and writes it anew; the damaged copy is "
        "kept as %s.",
        path,
        type(error).__name__,
        aside.name,
    )


def is_up_to_date(lake: Lake, service: str, script: Path, fingerprint: str | None) -> bool:
    if fingerprint is None:
        return False
    return _read_state(_state_path(lake, service, script)).get(script.name) == fingerprint


def remember_success(lake: Lake, service: str, script: Path, fingerprint: str | None) -> None:
    if fingerprint is None:
        return
    path = _state_path(lake, service, script)
    state = _read_state(path)
    state[script.name] = fingerprint
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, json.dumps(state, indent=2, sort_keys=True) + "\n")

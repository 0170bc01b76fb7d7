"""Finds the lake root (PROJECT_ROOT, `.env` or the checkout) and refuses folders that are not.

A lake is a data folder: the zones, config/, logs/, and in src/ only the services the lake adds
(or overrides). The framework and the built-in services are the installed packages.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from dotenv import dotenv_values

ZONE_NAMES = ("1_landing", "2_raw", "3_staging", "4_curated", "5_archive")
LAKE_FOLDERS = (*ZONE_NAMES, "config", "logs", "src", "etl", "sandbox")
PACKAGE_ROOT = Path(__file__).resolve().parent
CHECKOUT_ROOT = PACKAGE_ROOT.parents[1]
# Which built-in services a lake runs: {"builtin": "all"} or {"builtin": ["capitalone", ...]}.
# A lake without the file runs only the services of its own src/ (the checkout's src/ has them all).
SERVICES_CONFIG = "services.json"
ALL_BUILTIN = "all"
# What `bedrot init` copies from the built-in defaults (setup.py ships the same files).
DEFAULT_FILES = {"config": ("*.json", "README.md", "extractors/*.json"), "etl": ("*.py",)}
# Where the warehouse is: WAREHOUSE_URL (any SQLAlchemy URL), else SQLite in the lake. Kept here,
# with the lake, so the runner and step 6 can tell where it is without importing SQLAlchemy.
WAREHOUSE_URL_ENV = "WAREHOUSE_URL"
DEFAULT_SQLITE = "data_warehouse/bedrot_analytics.db"
SQLITE_PREFIX = "sqlite:///"


class NotALakeError(Exception):
    """The folder given as the lake root is not a lake; the message is one sentence for the user."""


def is_lake(folder: Path) -> bool:
    """A lake has `config/` beside its landing zone (what `bedrot init` makes) or, in the seed's
    layout that the checkout keeps, beside `src/common/`."""
    if not (folder / "config").is_dir():
        return False
    return (folder / ZONE_NAMES[0]).is_dir() or (folder / "src" / "common").is_dir()


def _dotenv_project_root(folder: Path) -> str | None:
    env_file = folder / ".env"
    if not env_file.is_file():
        return None
    return dotenv_values(env_file).get("PROJECT_ROOT") or None


def _describe_default() -> str:
    if is_lake(CHECKOUT_ROOT):
        return f"the lake is {CHECKOUT_ROOT}"
    return (
        "a lake is a folder holding config/ and the zone folders (make one with `bedrot init DIR`)"
    )


def resolve_lake_root(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Return the lake root, or raise NotALakeError with one sentence naming the right folder.

    Order: an explicit folder, then PROJECT_ROOT from the environment, then PROJECT_ROOT from the
    checkout's `.env`, then the checkout itself. Nothing is created or written here.
    """
    configured = explicit or os.environ.get("PROJECT_ROOT") or _dotenv_project_root(CHECKOUT_ROOT)
    if not configured:
        if is_lake(CHECKOUT_ROOT):
            return CHECKOUT_ROOT
        checkout = (CHECKOUT_ROOT / "pyproject.toml").is_file()
        where = f"{CHECKOUT_ROOT} is not a lake" if checkout else "this install is no checkout"
        raise NotALakeError(f"PROJECT_ROOT is not set and {where}; {_describe_default()}.")
    root = Path(configured).expanduser().resolve()
    if not root.is_dir():
        raise NotALakeError(
            f"PROJECT_ROOT={configured} does not exist; {_describe_default()}, "
            "so set PROJECT_ROOT to it or unset it."
        )
    if not is_lake(root):
        raise NotALakeError(
            f"PROJECT_ROOT={configured} is not a BEDROT lake (it has no config/ beside 1_landing/ "
            f"or src/common/); {_describe_default()}, so set PROJECT_ROOT to it or unset it."
        )
    return root


@dataclass(frozen=True)
class Lake:
    """The folders of one lake."""

    root: Path

    @classmethod
    def locate(cls, explicit: str | os.PathLike[str] | None = None) -> Lake:
        return cls(resolve_lake_root(explicit))

    @property
    def src(self) -> Path:
        return self.root / "src"

    @property
    def config(self) -> Path:
        return self.root / "config"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def etl(self) -> Path:
        return self.root / "etl"

    def relative(self, path: Path) -> str:
        """`path` named from the lake root, the same on every machine (`source_file` columns)."""
        return path.resolve().relative_to(self.root.resolve()).as_posix()

    def zone(self, name: str) -> Path:
        if name not in ZONE_NAMES:
            raise ValueError(f"unknown zone {name!r}; zones are {', '.join(ZONE_NAMES)}")
        return self.root / name


def init_lake(root: Path) -> Lake:
    """Create the folder ladder of a lake at `root` (existing files are left alone); it runs no
    built-in service until `install_defaults` (what `bedrot init` adds) says so."""
    root = root.expanduser().resolve()
    for folder in LAKE_FOLDERS:
        (root / folder).mkdir(parents=True, exist_ok=True)
    return Lake(root)


def lake_defaults() -> Path:
    """The folder holding the built-in config/ and etl/: the installed package's copy
    (common/defaults/), or in a checkout (an editable install) the checkout itself."""
    packaged = PACKAGE_ROOT / "defaults"
    return packaged if (packaged / "config").is_dir() else CHECKOUT_ROOT


def install_defaults(lake: Lake, source: Path | None = None) -> list[Path]:
    """Copy the built-in settings and warehouse entry scripts the lake lacks, and let it run every
    built-in service; a file the lake already has is the owner's and stays. Returns what it wrote.
    """
    source = source or lake_defaults()
    written: list[Path] = []
    for folder, patterns in DEFAULT_FILES.items():
        for pattern in patterns:
            for default in sorted((source / folder).glob(pattern)):
                target = lake.root / folder / default.relative_to(source / folder)
                if default.is_file() and not target.exists():
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(default, target)
                    written.append(target)
    if not (lake.config / SERVICES_CONFIG).exists():
        written.append(choose_builtin_services(lake, ALL_BUILTIN))
    return written


def choose_builtin_services(lake: Lake, chosen: str | list[str]) -> Path:
    """Write config/services.json: which built-in services the lake runs ("all" or names)."""
    path = lake.config / SERVICES_CONFIG
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {"builtin": chosen if isinstance(chosen, str) else sorted(chosen)}
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return path


def make_lake(root: Path) -> Lake:
    """`bedrot init`: the folder ladder, the built-in defaults, every built-in service."""
    lake = init_lake(root)
    install_defaults(lake)
    return lake


def warehouse_url(lake: Lake) -> str:
    """The warehouse's SQLAlchemy URL: WAREHOUSE_URL, else the lake's SQLite file. A relative
    SQLite path (`sqlite:///warehouse.db`) is the lake's, wherever the command runs from."""
    configured = os.environ.get(WAREHOUSE_URL_ENV)
    if configured:
        path = configured[len(SQLITE_PREFIX) :] if configured.startswith(SQLITE_PREFIX) else ""
        if path and not path.startswith(":") and not Path(path.split("?")[0]).is_absolute():
            return f"{SQLITE_PREFIX}{(lake.root / path).as_posix()}"
        return configured
    return f"{SQLITE_PREFIX}{(lake.root / DEFAULT_SQLITE).as_posix()}"


def sqlite_warehouse_file(lake: Lake) -> Path | None:
    """The SQLite warehouse's file, or None when WAREHOUSE_URL names another database."""
    url = warehouse_url(lake)
    return Path(url[len(SQLITE_PREFIX) :]) if url.startswith(SQLITE_PREFIX) else None


# Which files the warehouse holds: these rows of source_files change whenever the ETL loads,
# reloads or drops a file, and only then (step 6 writes other tables). Read with SQLAlchemy by
# the warehouse, without it by the runner and step 6, which only need to know whether it moved.
LOADED_FILES_SQL = "SELECT COUNT(*), MAX(id), SUM(row_count), MAX(loaded_at) FROM source_files"
NOT_LOADED = "no warehouse"


def sqlite_loaded_files(database: Path) -> list[str]:
    """The loaded-files identity of a SQLite warehouse, read-only through the standard library
    (SQLAlchemy alone takes longer to import than the whole check); `NOT_LOADED` without one."""
    if not database.is_file():
        return [NOT_LOADED]
    connection = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
    try:
        row = connection.execute(LOADED_FILES_SQL).fetchone()
    finally:
        connection.close()
    return [str(value) for value in row]

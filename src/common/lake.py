"""Finds the lake root (PROJECT_ROOT, `.env` or the checkout) and refuses folders that are not."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from dotenv import dotenv_values

ZONE_NAMES = ("1_landing", "2_raw", "3_staging", "4_curated", "5_archive")
LAKE_FOLDERS = (*ZONE_NAMES, "config", "logs", "src/common", "etl", "sandbox")
CHECKOUT_ROOT = Path(__file__).resolve().parents[2]


class NotALakeError(Exception):
    """The folder given as the lake root is not a lake; the message is one sentence for the user."""


def is_lake(folder: Path) -> bool:
    """A lake has the framework marker folders `config/` and `src/common/`."""
    return (folder / "config").is_dir() and (folder / "src" / "common").is_dir()


def _dotenv_project_root(folder: Path) -> str | None:
    env_file = folder / ".env"
    if not env_file.is_file():
        return None
    return dotenv_values(env_file).get("PROJECT_ROOT") or None


def _describe_default() -> str:
    if is_lake(CHECKOUT_ROOT):
        return f"the lake is {CHECKOUT_ROOT}"
    return "a lake is a folder holding config/ and src/common/ (make one with `bedrot init DIR`)"


def resolve_lake_root(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Return the lake root, or raise NotALakeError with one sentence naming the right folder.

    Order: an explicit folder, then PROJECT_ROOT from the environment, then PROJECT_ROOT from the
    checkout's `.env`, then the checkout itself. Nothing is created or written here.
    """
    configured = explicit or os.environ.get("PROJECT_ROOT") or _dotenv_project_root(CHECKOUT_ROOT)
    if not configured:
        if is_lake(CHECKOUT_ROOT):
            return CHECKOUT_ROOT
        raise NotALakeError(
            f"PROJECT_ROOT is not set and {CHECKOUT_ROOT} is not a lake; {_describe_default()}."
        )
    root = Path(configured).expanduser().resolve()
    if not root.is_dir():
        raise NotALakeError(
            f"PROJECT_ROOT={configured} does not exist; {_describe_default()}, "
            "so set PROJECT_ROOT to it or unset it."
        )
    if not is_lake(root):
        raise NotALakeError(
            f"PROJECT_ROOT={configured} is not a BEDROT lake (it has no config/ and src/common/ "
            f"folders); {_describe_default()}, so set PROJECT_ROOT to it or unset it."
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

    def zone(self, name: str) -> Path:
        if name not in ZONE_NAMES:
            raise ValueError(f"unknown zone {name!r}; zones are {', '.join(ZONE_NAMES)}")
        return self.root / name


_LAKE_README = """\
This folder marks a BEDROT lake. The framework itself is the installed `common` package;
services live beside this folder in src/<service>/ (make one with `bedrot new-service NAME`).
"""


def init_lake(root: Path) -> Lake:
    """Create the folder ladder of a new lake at `root` (existing files are left alone)."""
    root = root.expanduser().resolve()
    for folder in LAKE_FOLDERS:
        (root / folder).mkdir(parents=True, exist_ok=True)
    marker = root / "src" / "common" / "README.md"
    if not any((root / "src" / "common").iterdir()):
        marker.write_text(_LAKE_README, encoding="utf-8")
    return Lake(root)

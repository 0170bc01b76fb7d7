"""Shared fixtures: a throwaway lake and the `bedrot` command as a user runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from common.lake import Lake, init_lake

BEDROT = Path(sys.executable).with_name("bedrot.exe" if os.name == "nt" else "bedrot")
RunBedrot = Callable[..., subprocess.CompletedProcess[str]]


def bedrot_env(lake_root: Path | None, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BEDROT_")}
    env.pop("PROJECT_ROOT", None)
    if lake_root is not None:
        env["PROJECT_ROOT"] = str(lake_root)
    env.update(extra or {})
    return env


@pytest.fixture
def lake(tmp_path: Path) -> Lake:
    return init_lake(tmp_path / "lake")


def bedrot_in(
    lake: Lake, *args: str, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """`bedrot ARGS` run from `lake`'s root with PROJECT_ROOT naming it, as a user runs it."""
    return subprocess.run(
        [str(BEDROT), *args],
        cwd=lake.root,
        env=bedrot_env(lake.root, env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture
def bedrot(lake: Lake) -> RunBedrot:
    """Run `bedrot ARGS` in the test lake; returns the finished process."""

    def run(
        *args: str, env: dict[str, str] | None = None, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        return bedrot_in(lake, *args, env=env, timeout=timeout)

    return run

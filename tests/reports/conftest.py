"""A demo lake run once through `bedrot run` (report included), copied per test; real Chromium."""

from __future__ import annotations

import io
import logging
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from common.lake import Lake
from common.pipeline.display import PlainDisplay
from common.pipeline.run import PipelineRun, RunOptions
from common.reports.figures import CHARTS, ChartSpec
from common.settings import PipelineSettings
from tests.conftest import BEDROT, bedrot_env
from tests.pgserver import PostgresUnavailable, start_postgres


@pytest.fixture(autouse=True)
def default_warehouse(monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process builds read the lake's own SQLite warehouse, never a developer's WAREHOUSE_URL."""
    monkeypatch.delenv("WAREHOUSE_URL", raising=False)


def run_bedrot(
    lake: Lake, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BEDROT), *args],
        env=bedrot_env(lake.root, env),
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


@pytest.fixture(scope="session")
def report_template(demo_run_template: Path) -> Path:
    """The demo lake after a whole run, report included (shared by every worker)."""
    return demo_run_template


@pytest.fixture
def report_lake(report_template: Path, tmp_path: Path) -> Lake:
    root = tmp_path / "lake"
    shutil.copytree(report_template, root)
    return Lake(root)


def chart(name: str) -> ChartSpec:
    """The report's chart of that name."""
    return next(spec for spec in CHARTS if spec.name == name)


def make_run(lake: Lake, warehouse: bool = True) -> PipelineRun:
    """A run as step 6 sees it, for calling a hook in-process (no script hosts: the hook's
    heavy part runs in this process)."""
    display = PlainDisplay(io.StringIO())
    options = RunOptions(automated=True, warehouse=warehouse)
    return PipelineRun(lake, options, PipelineSettings(), display, logging.getLogger("t"), "t")


@pytest.fixture(scope="session")
def postgres_url_factory() -> Iterator[Callable[[], str]]:
    """Fresh databases on one real PostgreSQL server; skips with the reason when none starts."""
    folder = Path(tempfile.mkdtemp(prefix="bedrot-report-pg-"))
    try:
        server = start_postgres(folder)
    except PostgresUnavailable as reason:
        shutil.rmtree(folder, ignore_errors=True)
        pytest.skip(f"PostgreSQL could not start on this machine: {reason}")
    try:
        yield lambda: server.create_database(f"r{uuid.uuid4().hex[:12]}")
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)

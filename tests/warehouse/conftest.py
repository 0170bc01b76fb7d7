"""A lake whose curated zone holds the demo's curated files, built once and copied per test."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine

from common.lake import Lake
from common.warehouse.database import make_engine
from common.warehouse.etl import ALL_GROUPS, main
from tests.conftest import BEDROT, bedrot_env
from tests.pgserver import PostgresServer, PostgresUnavailable, start_postgres
from tests.steps_support import call_in_process


@pytest.fixture(scope="session")
def curated_template(demo_run_template: Path) -> Path:
    """The demo lake after its run: the warehouse tests copy it without its warehouse."""
    return demo_run_template


@pytest.fixture
def curated_lake(curated_template: Path, tmp_path: Path) -> Lake:
    root = tmp_path / "lake"
    shutil.copytree(curated_template, root, ignore=shutil.ignore_patterns("data_warehouse"))
    return Lake(root)


def bedrot_etl(
    lake: Lake, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`bedrot etl` as a user runs it: its own process (the command's own tests)."""
    return subprocess.run(
        [str(BEDROT), "etl", *args],
        env=bedrot_env(lake.root, env),
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def etl(
    lake: Lake, *groups: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """What `bedrot etl [--groups]` runs (`common.warehouse.etl.main`: the run lock, the ledger,
    the console's lines), called in this process: no interpreter to start and SQLAlchemy to
    import for each of the ~30 loads the warehouse tests make."""
    chosen = list(groups) or list(ALL_GROUPS)
    values = {"PROJECT_ROOT": str(lake.root), **(env or {})}
    return call_in_process("bedrot etl", lambda: main(chosen), values)


@dataclass
class Warehouse:
    """Which database a test loads into: `env` for `bedrot etl`, `engine()` to read it back."""

    name: str
    url: str

    @property
    def env(self) -> dict[str, str]:
        return {"WAREHOUSE_URL": self.url}

    def engine(self) -> Engine:
        return make_engine(self.url)


@dataclass
class NoPostgres:
    """Why no server could start here (shown as the skip reason)."""

    reason: str


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer | NoPostgres]:
    # Outside pytest's private temp folder: the server's own user must reach its data folder.
    folder = Path(tempfile.mkdtemp(prefix="bedrot-pg-"))
    try:
        server = start_postgres(folder)
    except PostgresUnavailable as reason:
        shutil.rmtree(folder, ignore_errors=True)
        yield NoPostgres(f"PostgreSQL could not start on this machine: {reason}")
        return
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


def require_postgres(postgres: PostgresServer | NoPostgres) -> PostgresServer:
    if isinstance(postgres, NoPostgres):
        pytest.skip(postgres.reason)
    return postgres


@pytest.fixture(params=["sqlite", "postgresql"])
def warehouse(
    request: pytest.FixtureRequest, curated_lake: Lake, postgres: PostgresServer | NoPostgres
) -> Warehouse:
    if request.param == "sqlite":
        path = curated_lake.root / "data_warehouse" / "bedrot_analytics.db"
        return Warehouse("sqlite", f"sqlite:///{path}")
    server = require_postgres(postgres)
    return Warehouse("postgresql", server.create_database(f"w{uuid.uuid4().hex[:12]}"))

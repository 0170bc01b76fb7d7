"""The dashboard on PostgreSQL: the demo's curated files loaded by `bedrot etl` into a
PostgreSQL warehouse (WAREHOUSE_URL) show the same figures as the SQLite warehouse of the same
files (money analytics refreshed on both, as a run's step 6 does), through the same read-only
app."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest

from common.dashboard.app import create_app
from common.lake import Lake
from common.money.analytics_settings import load_money_rules
from common.money.refresh import refresh_money_tables
from common.warehouse.database import make_engine, warehouse_url
from tests.dashboard.app_support import dashboard_lake, logged_in_client
from tests.pgserver import PostgresServer
from tests.warehouse.conftest import NoPostgres, etl, postgres, require_postgres

__all__ = ["dashboard_lake", "postgres"]
SAME_ON_BOTH = (
    "/api/kpis/summary",
    "/api/kpis/summary?start=2025-01-01&end=2025-12-31&artist=PIG1987",
    "/api/revenue/by/store",
    "/api/revenue/monthly",
    "/api/expenses/monthly",
)


def answers(lake: Lake) -> dict[str, Any]:
    client = logged_in_client(create_app(lake))
    replies = {path: client.get(path) for path in SAME_ON_BOTH}
    assert {path: r.status_code for path, r in replies.items()} == dict.fromkeys(SAME_ON_BOTH, 200)
    return {path: reply.json() for path, reply in replies.items()}


def test_the_summary_on_postgresql_equals_the_summary_on_sqlite(
    dashboard_lake: Lake,
    postgres: PostgresServer | NoPostgres,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = require_postgres(postgres).create_database(f"dash{uuid.uuid4().hex[:10]}")
    loaded = etl(dashboard_lake, env={"WAREHOUSE_URL": url})
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr

    today = date.today()
    for warehouse in (warehouse_url(dashboard_lake), url):  # as step 6 of a run does
        engine = make_engine(warehouse)
        with engine.begin() as connection:
            refresh_money_tables(connection, load_money_rules(dashboard_lake), today)
        engine.dispose()

    on_sqlite = answers(dashboard_lake)
    monkeypatch.setenv("WAREHOUSE_URL", url)
    on_postgres = answers(dashboard_lake)

    summary = on_postgres["/api/kpis/summary"]
    assert summary["royalties_last_month"]["value"] not in (None, "0")
    assert summary["streams_30d"]["value"]
    for path in SAME_ON_BOTH:
        assert on_postgres[path] == on_sqlite[path], path

"""The report reads a PostgreSQL warehouse (WAREHOUSE_URL) exactly as it reads SQLite."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from common.lake import Lake
from common.reports.build import build_report
from common.reports.figures import CHARTS
from common.reports.warehouse import WarehouseFigures, open_warehouse
from common.warehouse.summary import summarize
from tests.reports.conftest import run_bedrot


def figures_of(lake: Lake) -> dict[str, object]:
    """Every chart's figures (TikTok, Instagram, YouTube, Mailchimp included)."""
    engine = open_warehouse(lake)
    assert engine is not None
    try:
        source = WarehouseFigures(engine, summarize(engine))
        return {spec.name: spec.read(source) for spec in CHARTS}
    finally:
        engine.dispose()


def test_a_postgresql_warehouse_gives_the_same_report_figures_as_sqlite(
    report_lake: Lake, postgres_url_factory: Callable[[], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from_sqlite = figures_of(report_lake)
    url = postgres_url_factory()
    loaded = run_bedrot(report_lake, "etl", env={"WAREHOUSE_URL": url})
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    monkeypatch.setenv("WAREHOUSE_URL", url)

    assert figures_of(report_lake) == from_sqlite
    result = build_report(report_lake)
    assert len(result.drawn) == len(CHARTS)
    assert all(s.figures and s.figures.source.startswith("warehouse") for s in result.drawn)

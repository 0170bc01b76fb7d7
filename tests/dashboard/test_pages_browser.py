"""In real Chromium: logging in shows the overview's KPIs equal to the warehouse's figures, the
charts are drawn by the bundled Plotly, and nothing is fetched from outside 127.0.0.1."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import urlsplit

from playwright.sync_api import Browser

from common.lake import Lake
from tests.dashboard.app_support import (  # noqa: F401
    RunningDashboard,
    browser_login,
    dashboard_lake,
)
from tests.dashboard.test_kpis_api import latest_followers, warehouse

PICO = Decimal(10) ** 12


def warehouse_figures(lake: Lake) -> dict[str, str]:
    """The overview's streams and royalties as SQL on the facts gives them, formatted."""
    db = sqlite3.connect(lake.root / "data_warehouse" / "bedrot_analytics.db")
    newest = date.fromisoformat(
        db.execute("SELECT MAX(stream_date) FROM daily_streams").fetchone()[0]
    )
    streams = db.execute(
        "SELECT SUM(streams) FROM daily_streams WHERE stream_date BETWEEN ? AND ?",
        ((newest - timedelta(days=29)).isoformat(), newest.isoformat()),
    ).fetchone()[0]
    month = db.execute("SELECT MAX(reporting_date) FROM royalty_lines").fetchone()[0][:7]
    lines = db.execute(
        "SELECT earnings_picousd FROM royalty_lines WHERE reporting_date LIKE ?", (month + "%",)
    ).fetchall()
    royalties = sum((Decimal(v) for (v,) in lines), Decimal(0)) / PICO
    return {"streams_30d": f"{streams:,}", "royalties_last_month": f"${royalties:,.2f}"}


def test_logging_in_shows_the_warehouses_figures_fetched_only_locally(
    chromium: Browser, dashboard_lake: Lake  # noqa: F811
) -> None:
    expected = warehouse_figures(dashboard_lake)
    requested: list[str] = []
    with RunningDashboard(dashboard_lake) as server:
        page = chromium.new_page()
        page.on("request", lambda request: requested.append(request.url))
        page.goto(server.url + "/")
        assert "/login" in page.url
        browser_login(page)
        for key, text in expected.items():
            assert page.locator(f'[data-kpi="{key}"]').first.inner_text() == text
        tiktok = page.locator("#kpi-followers_tiktok .value").inner_text()
        assert tiktok == f"{latest_followers(warehouse(dashboard_lake), 'TikTok'):,}"
        page.goto(server.url + "/streams")
        page.wait_for_selector("body[data-charts-drawn]")
        assert page.locator("#streams-daily .main-svg").count() >= 1
        page.close()
    hosts = {urlsplit(url).hostname for url in requested if not url.startswith("data:")}
    assert hosts == {"127.0.0.1"}, requested

"""The dashboard in real Chromium: log in, a page updating in place after an ETL load, logging
out, and the seed's start_dashboard.py opening the logins page."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from playwright.sync_api import Browser

from common.lake import Lake
from tests.conftest import bedrot_env, bedrot_in
from tests.dashboard.app_support import (
    RunningDashboard,
    browser_login,
    dashboard_lake,
    free_port,
)
from tests.dashboard.test_app_live import add_a_day_of_streams

__all__ = ["dashboard_lake"]
CHECKOUT = Path(__file__).resolve().parents[2]
STREAMS_KPI = '[data-kpi="streams_30d"]'


def test_an_open_page_updates_in_place_within_two_seconds_of_an_etl_load(
    dashboard_lake: Lake, chromium: Browser
) -> None:
    with RunningDashboard(dashboard_lake) as running:
        context = chromium.new_context()
        page = context.new_page()
        page.goto(running.url + "/")
        assert page.url.startswith(running.url + "/login")
        browser_login(page)
        assert page.url == running.url + "/"
        page.wait_for_selector('#live-status[data-state="live"]', timeout=10_000)
        before = page.text_content(STREAMS_KPI)
        page.evaluate("window.sameDocument = true")
        add_a_day_of_streams(dashboard_lake, 1_000_000)
        loaded = bedrot_in(dashboard_lake, "etl", "--groups", "streaming")
        assert loaded.returncode == 0, loaded.stdout + loaded.stderr
        started = time.monotonic()
        page.wait_for_function(
            f"document.querySelector('{STREAMS_KPI}').textContent !== {before!r}",
            timeout=2_000,
        )
        assert time.monotonic() - started < 2
        assert page.evaluate("window.sameDocument") is True  # no reload
        assert page.get_attribute("body", "data-live-updates") == "1"
        context.close()


def test_logging_out_in_the_browser_ends_the_session(
    dashboard_lake: Lake, chromium: Browser
) -> None:
    with RunningDashboard(dashboard_lake) as running:
        context = chromium.new_context()
        page = context.new_page()
        page.goto(running.url + "/streams")
        browser_login(page)
        assert page.url == running.url + "/streams"
        session_cookies = context.cookies()
        with page.expect_navigation():
            page.click("form.logout button")
        assert page.url == running.url + "/login"
        page.goto(running.url + "/")
        assert page.url.startswith(running.url + "/login")
        # The old cookie, put back by hand, opens nothing either.
        context.add_cookies(session_cookies)  # type: ignore[arg-type]
        assert page.request.get(running.url + "/api/kpis/summary").status == 401
        context.close()


def test_start_dashboard_opens_the_logins_page(
    dashboard_lake: Lake, chromium: Browser, tmp_path: Path
) -> None:
    opened = tmp_path / "opened.txt"
    recorder = tmp_path / "browser.sh"
    recorder.write_text(f"#!/bin/sh\nprintf '%s' \"$1\" > {opened}\n", encoding="utf-8")
    recorder.chmod(0o755)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, str(CHECKOUT / "src/common/cookie_refresh/start_dashboard.py"),
         "--port", str(port)],
        cwd=dashboard_lake.root,
        env=bedrot_env(dashboard_lake.root, {"BROWSER": str(recorder)}),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not opened.exists() or not opened.read_text(encoding="utf-8"):
            assert server.poll() is None, server.communicate()[0]
            assert time.monotonic() < deadline, "no page was opened"
            time.sleep(0.1)
        url = opened.read_text(encoding="utf-8")
        assert url == f"http://127.0.0.1:{port}/logins"
        context = chromium.new_context()
        page = context.new_page()
        page.goto(url)
        browser_login(page)
        assert page.url == url
        assert page.locator("a.active").text_content() == "Logins"
        context.close()
    finally:
        if os.name == "posix":
            server.terminate()
        else:
            server.kill()
        output = server.communicate(timeout=30)[0]
    assert "Traceback" not in output

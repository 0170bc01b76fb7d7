"""What the app tests share: a demo lake with a dashboard user, a logged-in client, a real
server on 127.0.0.1 and real Chromium."""

from __future__ import annotations

import atexit
import functools
import re
import shutil
import socket
import tempfile
import threading
import time
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from playwright.sync_api import Page

from common.dashboard.app import create_app
from common.dashboard.auth import SESSION_COOKIE
from common.dashboard.settings import DashboardSettings, users_path
from common.dashboard.users import UserStore
from common.lake import Lake

OWNER, PASSWORD = "owner", "correct horse battery staple"
TOKEN_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


@functools.cache
def _owner_users_file() -> Path:
    """A users file with the one dashboard user, made once per test process (an argon2 hash
    takes ~0.1 s of CPU) and copied into each test's lake."""
    folder = tempfile.mkdtemp(prefix="bedrot-users-")
    atexit.register(shutil.rmtree, folder, True)
    made = Path(folder) / "dashboard_users.json"
    UserStore(made).add(OWNER, PASSWORD)
    return made


@pytest.fixture
def dashboard_lake(
    demo_run_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Lake:
    """A copy of the demo lake after a whole run, with one dashboard user."""
    monkeypatch.delenv("WAREHOUSE_URL", raising=False)
    root = tmp_path / "lake"
    shutil.copytree(demo_run_template, root)
    lake = Lake(root)
    shutil.copy2(_owner_users_file(), users_path(lake))  # copy2 keeps its 0600
    return lake


def form_token(html: str) -> str:
    found = TOKEN_FIELD.search(html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def post_login(
    client: TestClient, user: str = OWNER, password: str = PASSWORD, next_path: str = "/"
) -> int:
    """Fill and send the login form as a browser would; the response's status."""
    token = form_token(client.get("/login").text)
    response = client.post(
        "/login",
        data={"username": user, "password": password, "csrf_token": token, "next": next_path},
        follow_redirects=False,
    )
    return int(response.status_code)


def logged_in_client(app: FastAPI, base_url: str = "http://testserver") -> TestClient:
    client = TestClient(app, base_url=base_url)
    assert post_login(client) == 303
    return client


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class RunningDashboard:
    """The app served by uvicorn on 127.0.0.1 in a thread of the test process."""

    def __init__(self, lake: Lake, settings: DashboardSettings | None = None) -> None:
        self.port = free_port()
        self.app = create_app(lake, settings)
        config = uvicorn.Config(
            self.app, host="127.0.0.1", port=self.port, ws="websockets-sansio", log_level="warning"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> RunningDashboard:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            assert time.monotonic() < deadline and self.thread.is_alive(), "server did not start"
            time.sleep(0.05)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def browser_login(page: Page, user: str = OWNER, password: str = PASSWORD) -> None:
    """On the login page: type the name and password and submit, as the owner would."""
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("button[type=submit]")


def login_over_http(base_url: str, user: str = OWNER, password: str = PASSWORD) -> str:
    """Log in to a running dashboard through its form; the session cookie's value."""
    import httpx

    with httpx.Client(base_url=base_url, follow_redirects=False) as client:
        token = form_token(client.get("/login").text)
        response = client.post(
            "/login", data={"username": user, "password": password, "csrf_token": token}
        )
        assert response.status_code == 303, response.text
        return str(client.cookies[SESSION_COOKIE])

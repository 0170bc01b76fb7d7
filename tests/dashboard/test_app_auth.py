"""The dashboard's door: every route refuses a missing, forged or expired session; logging in
and out; CSRF on the forms; cookie flags; slowing of wrong passwords."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, APIWebSocketRoute, iter_route_contexts
from fastapi.testclient import TestClient
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.websockets import WebSocketDisconnect

from common.dashboard.app import create_app
from common.dashboard.auth import SESSION_COOKIE
from common.dashboard.settings import DashboardSettings, users_path
from common.dashboard.users import UserStore
from common.lake import Lake
from tests.dashboard.app_support import (
    OWNER,
    PASSWORD,
    dashboard_lake,
    form_token,
    logged_in_client,
    post_login,
)

__all__ = ["dashboard_lake"]
OPEN_ROUTES = {"/login", "/healthz", "/favicon.ico", "/static/plotly.min.js", "/static"}
PARAMETER = re.compile(r"\{[^}]+\}")


@pytest.fixture
def app(lake: Lake) -> FastAPI:
    UserStore(users_path(lake)).add(OWNER, PASSWORD)
    return create_app(lake, DashboardSettings())


def walk(app: FastAPI, fill: bool = True) -> Iterator[tuple[str, str]]:
    """Every (method, path) the app answers, path parameters filled in; "WS" for WebSockets.
    (FastAPI includes routers lazily: its own iterator sees through them, as /openapi.json does.)"""
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, Mount) or context.path is None:
            continue
        path = PARAMETER.sub("x", context.path) if fill else context.path
        if isinstance(route, (WebSocketRoute, APIWebSocketRoute)):
            yield "WS", path
        elif isinstance(route, (APIRoute, Route)):
            for method in sorted(context.methods or {"GET"}):
                yield method, path


def assert_refused(client: TestClient, method: str, path: str) -> None:
    if method == "WS":
        with pytest.raises(WebSocketDisconnect) as closed:
            with client.websocket_connect(path):
                pass
        assert closed.value.code == 4401, path
        return
    response = client.request(method, path, follow_redirects=False)
    if path.startswith("/api") or path == "/openapi.json":
        assert response.status_code == 401, (method, path, response.status_code)
        if method != "HEAD":
            assert "Log in" in response.json()["detail"]
    else:
        assert response.status_code == 303, (method, path, response.status_code)
        assert response.headers["location"].startswith("/login"), (method, path)


def expired_session_id(app: FastAPI) -> str:
    sessions = app.state.sessions
    session = sessions.start(OWNER)
    started = session.expires_at - sessions.lifetime_seconds
    sessions.clock = lambda: started + sessions.lifetime_seconds + 1
    return str(session.session_id)


def test_every_route_and_the_live_channel_refuse_missing_forged_and_expired_sessions(
    app: FastAPI,
) -> None:
    routes = [(m, p) for m, p in walk(app) if p not in OPEN_ROUTES]
    # The walk sees the whole app: the login's own routes, FastAPI's docs and the live channel.
    assert {("GET", "/docs"), ("GET", "/openapi.json"), ("WS", "/ws"), ("POST", "/logout")} <= set(
        routes
    )
    for label, cookie in (("missing", None), ("forged", "made-up-session-id"), ("expired", "")):
        client = TestClient(app)
        if label == "expired":
            cookie = expired_session_id(app)
        if cookie is not None:
            client.cookies.set(SESSION_COOKIE, cookie)
        for method, path in routes:
            assert_refused(client, method, path)


def test_a_valid_session_opens_every_page_and_api_route(dashboard_lake: Lake) -> None:
    app = create_app(dashboard_lake)
    client = logged_in_client(app)
    for method, path in walk(app, fill=False):
        if method != "GET" or path in OPEN_ROUTES or "{" in path:
            continue
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 200, (path, response.status_code, response.text[:300])
    with client.websocket_connect("/ws") as live:
        assert live.receive_json() == {"type": "connection:status", "status": "connected"}


def test_logging_out_ends_the_session_on_the_server(app: FastAPI) -> None:
    client = logged_in_client(app)
    session_id = client.cookies[SESSION_COOKIE]
    page = client.get("/docs")
    assert page.status_code == 200 and OWNER in page.text
    # A logout without the page's token is refused and changes nothing.
    assert client.post("/logout", data={}, follow_redirects=False).status_code == 403
    assert client.get("/docs", follow_redirects=False).status_code == 200
    done = client.post(
        "/logout", data={"csrf_token": form_token(page.text)}, follow_redirects=False
    )
    assert done.status_code == 303 and done.headers["location"] == "/login"
    assert SESSION_COOKIE not in client.cookies
    # The old cookie, replayed, no longer opens anything.
    replay = TestClient(app)
    replay.cookies.set(SESSION_COOKIE, session_id)
    for method, path in (("GET", "/docs"), ("GET", "/api/x"), ("WS", "/ws")):
        assert_refused(replay, method, path)


def test_the_session_cookie_is_httponly_strict_expiring_and_secure_over_https(
    app: FastAPI,
) -> None:
    for base_url, secure in (("http://testserver", False), ("https://testserver", True)):
        client = TestClient(app, base_url=base_url)
        token = form_token(client.get("/login").text)
        response = client.post(
            "/login",
            data={"username": OWNER, "password": PASSWORD, "csrf_token": token},
            follow_redirects=False,
        )
        cookie = next(
            c for c in response.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE)
        )
        flags = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
        assert {"httponly", "max-age"} <= flags
        assert "samesite=strict" in cookie.lower()
        assert ("secure" in flags) is secure


def test_the_login_form_refuses_a_post_without_its_csrf_token(app: FastAPI) -> None:
    client = TestClient(app)
    response = client.post(
        "/login",
        data={"username": OWNER, "password": PASSWORD, "csrf_token": "guessed"},
        follow_redirects=False,
    )
    assert response.status_code == 400
    assert "expired" in response.text
    assert SESSION_COOKIE not in client.cookies


def test_there_is_no_default_user(lake: Lake) -> None:
    client = TestClient(create_app(lake))
    for user, password in (("admin", "admin"), ("admin", "password"), ("bedrot", "bedrot")):
        assert post_login(client, user, password) == 401
    assert not users_path(lake).exists()


def test_login_goes_back_to_the_page_asked_for_but_never_to_another_site(app: FastAPI) -> None:
    asked = TestClient(app).get("/docs", follow_redirects=False)
    assert asked.headers["location"] == "/login?next=/docs"
    for next_path, landing in (("/docs", "/docs"), ("//evil.example/x", "/"), ("https://e.x", "/")):
        client = TestClient(app)
        token = form_token(client.get("/login").text)
        response = client.post(
            "/login",
            data={"username": OWNER, "password": PASSWORD, "csrf_token": token, "next": next_path},
            follow_redirects=False,
        )
        assert response.headers["location"] == landing


class FrozenClock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_twenty_wrong_passwords_in_a_row_are_slowed(app: FastAPI) -> None:
    clock = FrozenClock()
    app.state.throttle.clock = clock
    client = TestClient(app)
    statuses = [post_login(client, OWNER, f"wrong guess {n}") for n in range(20)]
    # Three free mistakes, the fourth starts a wait: the other sixteen are not even checked.
    assert statuses[:4] == [401] * 4
    assert statuses[4:] == [429] * 16
    # Not even the right password gets in while the wait lasts.
    assert post_login(client) == 429
    # Each further failure doubles the wait.
    waits = []
    for _ in range(4):
        token = form_token(client.get("/login").text)
        refused = client.post(
            "/login", data={"username": OWNER, "password": "x", "csrf_token": token}
        )
        waits.append(int(refused.headers["retry-after"]))
        clock.now += waits[-1]
        assert post_login(client, OWNER, "still wrong") == 401
    assert waits == [2, 4, 8, 16]
    clock.now += 1000
    assert post_login(client) == 303


def test_guessing_other_names_from_one_address_is_slowed_too(app: FastAPI) -> None:
    app.state.throttle.clock = FrozenClock()
    client = TestClient(app)
    statuses = [post_login(client, f"name{n}", "wrong password") for n in range(20)]
    assert statuses.count(429) >= 16
    response = client.get("/login")
    assert response.status_code == 200


def test_a_second_visit_to_the_login_page_keeps_the_form_on_screen_valid(app: FastAPI) -> None:
    """A second tab, or the browser's own favicon request, must not expire the first form."""
    client = TestClient(app)
    first = form_token(client.get("/login").text)
    assert client.get("/favicon.ico").status_code == 204
    client.get("/login?next=/streams")
    response = client.post(
        "/login",
        data={"username": OWNER, "password": PASSWORD, "csrf_token": first},
        follow_redirects=False,
    )
    assert response.status_code == 303


def test_removing_a_user_or_changing_the_password_ends_open_sessions(app: FastAPI) -> None:
    store: UserStore = app.state.users
    store.add("second", "second's password")
    owner = logged_in_client(app)
    second = TestClient(app)
    assert post_login(second, "second", "second's password") == 303
    store.set_password(OWNER, "a brand new password")  # as `bedrot dashboard passwd` would
    store.remove("second")  # as `bedrot dashboard remove-user` would, from another process
    for client in (owner, second):
        assert_refused(client, "GET", "/docs")
        assert_refused(client, "WS", "/ws")
    assert post_login(TestClient(app), OWNER, "a brand new password") == 303

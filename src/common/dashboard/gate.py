"""The one door: every request without a valid session is refused before any route runs.

A middleware rather than a dependency on each router, so that a route added later, FastAPI's
own /docs and /openapi.json, and the WebSocket are closed by default. Only the login page, the
static files, /favicon.ico and /healthz (which show no data) are open. Refusals: /api/* and
/openapi.json answer 401 JSON, the WebSocket closes with 4401, pages redirect to the login page.
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import HTTPConnection
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocketClose

from common.dashboard.auth import SESSION_COOKIE, SessionStore
from common.dashboard.users import UserStore

OPEN_PATHS = frozenset({"/login", "/healthz", "/favicon.ico"})
OPEN_PREFIXES = ("/static/",)
JSON_PREFIXES = ("/api/", "/openapi.json")
WEBSOCKET_UNAUTHORIZED = 4401
LOGIN_FIRST = "Log in to the dashboard first (your session is missing or has expired)."


def is_open(path: str) -> bool:
    return path in OPEN_PATHS or path.startswith(OPEN_PREFIXES)


def login_redirect(path: str) -> RedirectResponse:
    wanted = f"?next={quote(path, safe='/')}" if path not in ("/", "/login") else ""
    return RedirectResponse(f"/login{wanted}", status_code=303)


def refusal(path: str) -> Response:
    if path == "/api" or path.startswith(JSON_PREFIXES):
        return JSONResponse({"detail": LOGIN_FIRST}, status_code=401)
    return login_redirect(path)


class SessionGate:
    """Puts the caller's `Session` in `request.state.session`, or refuses the request."""

    def __init__(self, app: ASGIApp, sessions: SessionStore, users: UserStore) -> None:
        self.app = app
        self.sessions = sessions
        self.users = users

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or is_open(scope["path"]):
            await self.app(scope, receive, send)
            return
        connection = HTTPConnection(scope)
        session = self.sessions.find(connection.cookies.get(SESSION_COOKIE))
        if session is not None and not self.users.holds_session_of(
            session.user, session.started_at
        ):
            self.sessions.end(session.session_id)  # removed, or the password changed since
            session = None
        if session is None:
            if scope["type"] == "websocket":
                await WebSocketClose(code=WEBSOCKET_UNAUTHORIZED, reason="log in first")(
                    scope, receive, send
                )
            else:
                await refusal(scope["path"])(scope, receive, send)
            return
        scope.setdefault("state", {})["session"] = session
        await self.app(scope, receive, send)

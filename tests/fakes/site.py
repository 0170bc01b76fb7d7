"""A fake web site on 127.0.0.1: login form, 2FA, session cookie, expired-session redirect,
and whatever pages, downloads and XHR endpoints a service's fake adds with `route`.

A request to a protected route without a valid session cookie is redirected to the login
page, as the real sites do when a session has expired.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit

USERNAME, PASSWORD, TWO_FACTOR_CODE = "owner@bedrot.test", "correct horse", "424242"
SESSION_DAYS = 30


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    cookies: dict[str, str]

    def form(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.body.decode("utf-8")).items()}

    def json(self) -> Any:
        return json.loads(self.body or b"null")


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)

    @staticmethod
    def html(text: str, status: int = 200) -> Response:
        return Response(status, text.encode("utf-8"))

    @staticmethod
    def json(document: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
        return Response(status, json.dumps(document).encode(), "application/json", headers or {})

    @staticmethod
    def redirect(location: str, headers: dict[str, str] | None = None) -> Response:
        return Response(302, b"", headers={"Location": location, **(headers or {})})

    @staticmethod
    def download(name: str, content: bytes, content_type: str) -> Response:
        disposition = f'attachment; filename="{name}"'
        return Response(200, content, content_type, {"Content-Disposition": disposition})


Handler = Callable[[Request], Response]
LOGIN_PAGE = """<html><head><title>Log in</title></head><body>
<form method="post" action="{action}">
<input id="username" name="username"><input id="password" name="password" type="password">
<button id="submit" type="submit">Log in</button></form></body></html>"""
TWO_FACTOR_PAGE = """<html><head><title>Two-factor</title></head><body>
<form method="post" action="{action}"><input id="code" name="code">
<button id="verify" type="submit">Verify</button></form></body></html>"""


class FakeSite:
    """One service's fake. `valid_sessions` holds the cookie values the site accepts."""

    def __init__(
        self,
        cookie_name: str = "session",
        login_path: str = "/login",
        home_path: str = "/",
        after_login_script: str = "",
    ) -> None:
        self.cookie_name = cookie_name
        self.login_path = login_path
        self.home_path = home_path
        self.after_login_script = after_login_script
        self.valid_sessions: set[str] = set()
        self.routes: dict[tuple[str, str], tuple[Handler, bool]] = {}
        self.requests: list[Request] = []
        self._pending_2fa: set[str] = set()
        self._server: ThreadingHTTPServer | None = None

    def route(self, method: str, path: str, protected: bool = True) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self.routes[(method, path)] = (handler, protected)
            return handler

        return register

    @property
    def base_url(self) -> str:
        assert self._server is not None, "start the site first"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def new_session(self) -> str:
        token = "fake-session-" + secrets.token_hex(12)
        self.valid_sessions.add(token)
        return token

    def session_cookie(self, token: str, days: float = SESSION_DAYS) -> dict[str, Any]:
        """A Playwright storage-state cookie for this site."""
        return {
            "name": self.cookie_name,
            "value": token,
            "domain": "127.0.0.1",
            "path": "/",
            "expires": time.time() + days * 86400,
            "httpOnly": True,
            "secure": False,
            "sameSite": "Lax",
        }

    def storage_state(self, token: str | None = None, **extra: Any) -> dict[str, Any]:
        """A saved login the site accepts (a fresh session unless `token` is given)."""
        state: dict[str, Any] = {"cookies": [self.session_cookie(token or self.new_session())]}
        state["origins"] = extra.get("origins", [])
        return state

    def is_logged_in(self, request: Request) -> bool:
        return request.cookies.get(self.cookie_name) in self.valid_sessions

    def _login(self, request: Request) -> Response:
        if request.method == "GET":
            return Response.html(LOGIN_PAGE.format(action=self.login_path))
        form = request.form()
        if (form.get("username"), form.get("password")) != (USERNAME, PASSWORD):
            return Response.html(LOGIN_PAGE.format(action=self.login_path), 401)
        pending = secrets.token_hex(8)
        self._pending_2fa.add(pending)
        return Response.redirect("/2fa", {"Set-Cookie": f"pending={pending}; Path=/"})

    def _two_factor(self, request: Request) -> Response:
        if request.cookies.get("pending") not in self._pending_2fa:
            return Response.redirect(self.login_path)
        if request.method == "GET":
            return Response.html(TWO_FACTOR_PAGE.format(action="/2fa"))
        if request.form().get("code") != TWO_FACTOR_CODE:
            return Response.html(TWO_FACTOR_PAGE.format(action="/2fa"), 401)
        token = self.new_session()
        cookie = f"{self.cookie_name}={token}; Path=/; Max-Age={SESSION_DAYS * 86400}; HttpOnly"
        if self.after_login_script:
            page = f"<html><body><script>{self.after_login_script}\n"
            page += f"location.href={json.dumps(self.home_path)};</script></body></html>"
            return Response(200, page.encode(), headers={"Set-Cookie": cookie})
        return Response.redirect(self.home_path, {"Set-Cookie": cookie})

    def handle(self, request: Request) -> Response:
        self.requests.append(request)
        if request.path == self.login_path:
            return self._login(request)
        if request.path == "/2fa":
            return self._two_factor(request)
        found = self.routes.get((request.method, request.path))
        if found is None:
            return Response.html("<html><body>Not found</body></html>", 404)
        handler, protected = found
        if protected and not self.is_logged_in(request):
            # As real sites do: the refused cookie is dropped on the way to the login page.
            forget = f"{self.cookie_name}=; Path=/; Max-Age=0"
            return Response.redirect(self.login_path, {"Set-Cookie": forget})
        return handler(request)

    @contextmanager
    def running(self) -> Iterator[Self]:
        site = self

        class RequestHandler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                jar = SimpleCookie(self.headers.get("Cookie", ""))
                request = Request(
                    self.command,
                    parts.path,
                    parse_qs(parts.query, keep_blank_values=True),
                    {k.lower(): v for k, v in self.headers.items()},
                    self.rfile.read(length) if length else b"",
                    {key: morsel.value for key, morsel in jar.items()},
                )
                response = site.handle(request)
                self.send_response(response.status)
                self.send_header("Content-Type", response.content_type)
                self.send_header("Content-Length", str(len(response.body)))
                for name, value in response.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(response.body)

            do_GET = do_POST = _serve

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), RequestHandler)
        thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._server.shutdown()
            self._server.server_close()

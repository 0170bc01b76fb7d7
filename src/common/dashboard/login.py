"""The login page, logging in and logging out.

The login form carries a CSRF token before any session exists: a random value set in a cookie
when the page is shown and repeated in a hidden field; a POST whose two copies differ is
refused, so another site cannot log a browser in to an account of its choosing. Logging out is
a POST carrying the session's own token; it deletes the session on the server.
"""

from __future__ import annotations

import math
import re
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from common.dashboard.auth import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    LoginThrottle,
    Session,
    SessionStore,
    new_token,
    same_token,
)
from common.dashboard.users import UserError, UserStore

router = APIRouter(include_in_schema=False)
LOGIN_FORM_SECONDS = 3600
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")
Field = Annotated[str, Form()]


def _auth(request: Request) -> tuple[SessionStore, LoginThrottle, UserStore]:
    app_state = request.app.state
    return app_state.sessions, app_state.throttle, app_state.users


def safe_next(target: str | None) -> str:
    """Only a path of this site: never `//elsewhere` or `https://elsewhere` (open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def _is_https(request: Request) -> bool:
    return request.url.scheme == "https"


def login_page(
    request: Request, message: str = "", status_code: int = 200, next_path: str = "/"
) -> Response:
    # One token per browser, kept while it lasts: a second tab (or the browser's own favicon
    # request) must not invalidate the form already on screen.
    kept = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    token = kept if TOKEN_SHAPE.fullmatch(kept) else new_token()
    templates: Jinja2Templates = request.app.state.templates
    response = templates.TemplateResponse(
        request,
        "login.html",
        {"csrf_token": token, "message": message, "next": safe_next(next_path)},
        status_code=status_code,
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        max_age=LOGIN_FORM_SECONDS,
        path="/login",
        httponly=True,
        samesite="strict",
        secure=_is_https(request),
    )
    return response


@router.get("/login")
def show_login(request: Request, next: str = "/") -> Response:
    sessions, _, _ = _auth(request)
    if sessions.find(request.cookies.get(SESSION_COOKIE)):
        return RedirectResponse(safe_next(next), status_code=303)
    return login_page(request, next_path=next)


@router.post("/login")
async def log_in(
    request: Request,
    username: Field = "",
    password: Field = "",
    csrf_token: Field = "",
    next: Field = "/",
) -> Response:
    sessions, throttle, users = _auth(request)
    if not same_token(csrf_token, request.cookies.get(LOGIN_CSRF_COOKIE)):
        return login_page(request, "The login form expired; please log in again.", 400, next)
    address = request.client.host if request.client else "unknown"
    wait = throttle.wait_seconds(username, address)
    if wait > 0:
        seconds = math.ceil(wait)
        response = login_page(
            request,
            f"Too many wrong passwords for this name or from this address: try again in "
            f"{seconds} seconds.",
            429,
            next,
        )
        response.headers["Retry-After"] = str(seconds)
        return response
    try:
        valid = await run_in_threadpool(users.verify, username, password)
    except UserError as problem:
        return login_page(request, str(problem), 500, next)
    if not valid:
        throttle.failed(username, address)
        return login_page(request, "Wrong user name or password.", 401, next)
    throttle.succeeded(username)
    return _logged_in(request, sessions.start(username), next)


def _logged_in(request: Request, session: Session, next_path: str) -> Response:
    response = RedirectResponse(safe_next(next_path), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        session.session_id,
        max_age=request.app.state.settings.session_seconds,
        path="/",
        httponly=True,
        samesite="strict",
        secure=_is_https(request),
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login", httponly=True, samesite="strict")
    return response


@router.post("/logout")
async def log_out(request: Request, csrf_token: Field = "") -> Response:
    session: Session = request.state.session
    if not same_token(csrf_token, session.csrf_token):
        return Response("The logout form expired; reload the page.", status_code=403)
    request.app.state.sessions.end(session.session_id)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response

"""A `requests` session carrying a saved browser login, for services whose data is an API call
(TooLost's portal API, Linktree's GraphQL) once the user has logged in through the browser."""

from __future__ import annotations

from typing import TYPE_CHECKING

import requests

from common.extract.errors import ExtractionFailed
from common.sessions.store import read_session, stored_value

if TYPE_CHECKING:
    from common.extract.runtime import ExtractorContext

REFUSED = frozenset({401, 403})


def logged_in_session(ctx: ExtractorContext, login: str | None = None) -> requests.Session:
    """Cookies of the saved login, plus `Authorization: Bearer <jwt>` when the policy names one."""
    name = login or ctx.service
    ctx.ensure_login(name)
    state = read_session(ctx.session_file(name))
    session = requests.Session()
    for cookie in state.get("cookies", []):
        session.cookies.set(
            str(cookie.get("name")),
            str(cookie.get("value")),
            domain=str(cookie.get("domain", "")),
            path=str(cookie.get("path", "/")),
        )
    jwt_name = ctx.policy.jwt_name
    token = stored_value(state, jwt_name) if jwt_name else None
    if token:
        session.headers["Authorization"] = f"Bearer {token}"
    return session


def get_json(ctx: ExtractorContext, session: requests.Session, url: str, login: str) -> bytes:
    """GET an API URL; a 401/403 means the site refused the saved login (remembered, no retry)."""
    response = session.get(url, timeout=ctx.config.timeout_seconds)
    ctx.script.log.debug(
        "%s: GET %s answered HTTP %d (%d bytes).",
        ctx.service,
        url.split("?")[0],
        response.status_code,
        len(response.content),
        extra={"service": ctx.service},
    )
    if response.status_code in REFUSED:
        raise ctx.turned_away(login, f"the API answered {response.status_code}")
    if response.status_code != 200:
        raise ExtractionFailed(f"{url.split('?')[0]} answered HTTP {response.status_code}.")
    return response.content

"""API tokens of the services that log in over OAuth (YouTube, Instagram, Mailchimp, Meta Ads).

The first token comes from `.env` (the environment variable the service's login policy names in
`token_env`); a token the extractor renews (a refresh-token grant, a long-lived token refresh)
is saved in the service's session file, `src/<service>/cookies/<login>.json`, under
`"api_token"`: mode 0600, backed up before every save, its values masked in every log line.
A saved token is newer than the `.env` one, so it wins, unless the user has since pasted a
different token into `.env` (the saved one records the fingerprint of the `.env` token it grew
from): a new `.env` token always replaces what was renewed from an older one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from common.redact import REDACTOR
from common.sessions.store import SessionFileError, read_session, save_session, token_fingerprint

if TYPE_CHECKING:
    from common.extract.runtime import ExtractorContext

TOKEN_KEY = "api_token"
# A token this close to its expiry is renewed before it is used.
RENEW_MARGIN = timedelta(minutes=5)


@dataclass(frozen=True)
class ApiToken:
    access_token: str
    refresh_token: str | None = None
    expires_at: datetime | None = None
    # The fingerprint of the `.env` token this one was renewed from (None: not from `.env`).
    env_fingerprint: str | None = None

    def usable(self, now: datetime) -> bool:
        """False once the token is within RENEW_MARGIN of its expiry (unknown expiry: usable)."""
        return self.expires_at is None or now + RENEW_MARGIN < self.expires_at

    def as_json(self) -> dict[str, Any]:
        return {
            "access_token": self.access_token,
            "refresh_token": self.refresh_token,
            "expires_at": self.expires_at.isoformat() if self.expires_at else None,
            "env_fingerprint": self.env_fingerprint,
        }

    @classmethod
    def from_json(cls, saved: dict[str, Any]) -> ApiToken | None:
        access = saved.get("access_token")
        if not isinstance(access, str) or not access:
            return None
        refresh = saved.get("refresh_token")
        expires = saved.get("expires_at")
        origin = saved.get("env_fingerprint")
        return cls(
            access,
            refresh if isinstance(refresh, str) and refresh else None,
            datetime.fromisoformat(expires) if isinstance(expires, str) and expires else None,
            origin if isinstance(origin, str) and origin else None,
        )

    @classmethod
    def expiring_in(
        cls, access_token: str, seconds: float | None, refresh_token: str | None = None
    ) -> ApiToken:
        """A token as OAuth answers it: `expires_in` seconds from now (None: no expiry given)."""
        expires = None
        if seconds is not None:
            expires = datetime.now(timezone.utc) + timedelta(seconds=float(seconds))
        return cls(access_token, refresh_token, expires)


def remember(token: ApiToken) -> None:
    """Mask the token's secrets in every later log line."""
    REDACTOR.add(token.access_token)
    if token.refresh_token:
        REDACTOR.add(token.refresh_token)


def _saved(path: Path) -> ApiToken | None:
    if not path.is_file():
        return None
    try:
        state = read_session(path)
    except SessionFileError:
        return None
    found = state.get(TOKEN_KEY)
    return ApiToken.from_json(found) if isinstance(found, dict) else None


def current_token(
    ctx: ExtractorContext, login: str | None = None, refresh_env: str | None = None
) -> ApiToken | None:
    """The token to call the API with: the one saved by the last renewal, else the `.env` one
    (`token_env`, with `refresh_env` naming the variable of its refresh token, if any)."""
    access = os.environ.get(ctx.policy.token_env or "", "").strip()
    saved = _saved(ctx.session_file(login))
    if saved is not None and (not access or saved.env_fingerprint == token_fingerprint(access)):
        remember(saved)
        return saved
    if not access:
        return None
    refresh = os.environ.get(refresh_env or "", "").strip() or None
    token = ApiToken(access, refresh, env_fingerprint=token_fingerprint(access))
    remember(token)
    return token


def save_token(ctx: ExtractorContext, token: ApiToken, login: str | None = None) -> Path:
    """Keep a renewed token in the session file (0600, the old file backed up first), with the
    fingerprint of the `.env` token it grew from, so that a new `.env` token still wins later."""
    if token.env_fingerprint is None:
        access = os.environ.get(ctx.policy.token_env or "", "").strip()
        if access:
            token = replace(token, env_fingerprint=token_fingerprint(access))
    remember(token)
    name = login or ctx.service
    path = ctx.session_file(name)
    state: dict[str, Any] = {"cookies": [], "origins": []}
    if path.is_file():
        try:
            state = read_session(path)
        except SessionFileError:
            pass  # an unreadable file is backed up by save_session and replaced
    state[TOKEN_KEY] = token.as_json()
    keep = ctx.cookie_policy.keep_backups
    return save_session(ctx.script.lake, ctx.service, name, state, keep, datetime.now(timezone.utc))

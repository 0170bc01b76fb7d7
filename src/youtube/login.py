"""The YouTube login: the access token from .env or the one last renewed, and its renewal.

Google access tokens last an hour; the refresh token (YOUTUBE_REFRESH_TOKEN with the OAuth
client's YOUTUBE_CLIENT_ID and YOUTUBE_CLIENT_SECRET) renews them. A renewed token is saved by
`common.extract.tokens.save_token` (0600, masked in every log line). When Google refuses the
refresh token the login is turned away: automated runs skip YouTube with a WARNING; an
interactive run also opens the consent page (`consent_url`) so the owner can grant access again.
"""

from __future__ import annotations

import os
import webbrowser
from collections.abc import Callable
from datetime import datetime, timezone

from common.extract.errors import SessionExpired
from common.extract.runtime import ExtractorContext
from common.extract.tokens import ApiToken, current_token, save_token
from common.sessions.store import expired_reason
from youtube.api import refresh_access_token
from youtube.pull import PullSettings
from youtube.settings import CLIENT_ID_ENV, CLIENT_SECRET_ENV, REFRESH_ENV, SERVICE

HEADLESS_ENV = "BEDROT_BROWSER_HEADLESS"
TOKEN_URL = "token_url"


def _env(name: str) -> str:
    return os.environ.get(name, "").strip()


def open_consent_page(ctx: ExtractorContext, settings: PullSettings) -> None:
    """Interactive runs only: show the owner where to grant access again."""
    if ctx.automated or not settings.consent_url:
        return
    ctx.script.log.warning(
        "YouTube: grant access again at %s, then put the new YOUTUBE_ACCESS_TOKEN and "
        "YOUTUBE_REFRESH_TOKEN in .env.",
        settings.consent_url,
    )
    if _env(HEADLESS_ENV) != "1":
        webbrowser.open(settings.consent_url)


def usable_token(ctx: ExtractorContext, settings: PullSettings) -> ApiToken:
    """The token to start with, or SessionExpired (no token at all, or one Google refused
    before and that .env has not replaced since)."""
    token = current_token(ctx, SERVICE, REFRESH_ENV)
    refused = expired_reason(ctx.script.lake, SERVICE, SERVICE, _env(ctx.policy.token_env or ""))
    if token is None or refused:
        reason = refused or f"{ctx.policy.token_env} is not set in the environment or .env"
        open_consent_page(ctx, settings)
        raise SessionExpired(SERVICE, SERVICE, reason)
    return token


def renewal(ctx: ExtractorContext, token: ApiToken) -> Callable[[], str] | None:
    """The renewal of `token`, or None when no refresh token and OAuth client are at hand."""
    refresh = _env(REFRESH_ENV) or token.refresh_token
    client_id, secret = _env(CLIENT_ID_ENV), _env(CLIENT_SECRET_ENV)
    if not (refresh and client_id and secret):
        return None

    def renew() -> str:
        renewed = refresh_access_token(
            ctx.config.url(TOKEN_URL), client_id, secret, refresh, ctx.config.timeout_seconds
        )
        fresh = ApiToken.expiring_in(renewed.access_token, renewed.expires_in, refresh)
        saved = save_token(ctx, fresh, SERVICE)
        ctx.script.log.info(
            "YouTube: renewed the access token with the refresh token; saved in %s.",
            ctx.script.lake.relative(saved),
        )
        return fresh.access_token

    return renew


def needs_renewal(token: ApiToken) -> bool:
    return not token.usable(datetime.now(timezone.utc))

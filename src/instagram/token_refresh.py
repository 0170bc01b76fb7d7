"""Renewing Instagram's long-lived token (60 days) before it lapses.

`GET /refresh_access_token?grant_type=ig_refresh_token` answers a new token and its
`expires_in`; the new one is saved 0600 in the session file (common.extract.tokens) and wins
over `.env` from then on. A token whose expiry is unknown (the one pasted into `.env`) is renewed
once to learn it; a renewal that fails for any reason but a refused token or an unreachable
network is a WARNING and the pull goes on with the current token.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

from common.extract.errors import ExtractionFailed
from common.extract.retrying import NetworkUnreachable
from common.extract.tokens import ApiToken, save_token
from instagram.graph_client import GraphClient, MetricRefused

if TYPE_CHECKING:
    from common.extract.runtime import ExtractorContext

GRANT = "ig_refresh_token"
REFRESH_URL = "refresh_token"


def due(token: ApiToken, within_days: int, now: datetime) -> bool:
    return token.expires_at is None or token.expires_at - now <= timedelta(days=within_days)


def renew_if_due(
    ctx: ExtractorContext, client: GraphClient, token: ApiToken, within_days: int
) -> ApiToken:
    """The token to pull with: renewed and saved when it is within `within_days` of expiry.
    A refused token raises TokenRefused (the caller skips the service)."""
    if not due(token, within_days, datetime.now(timezone.utc)):
        return token
    params = {"grant_type": GRANT, "access_token": token.access_token}
    try:
        answer = client.get(ctx.config.url(REFRESH_URL), params, "the token renewal")
    except NetworkUnreachable:
        raise  # without a network the pull cannot go on either
    except (ExtractionFailed, MetricRefused) as error:
        ctx.script.log.warning(
            "instagram: could not renew the access token (%s); this pull uses the current one.",
            error,
            extra={"service": ctx.service},
        )
        return token
    access, seconds = answer.get("access_token"), answer.get("expires_in")
    if not isinstance(access, str) or not access or not isinstance(seconds, (int, float)):
        ctx.script.log.warning(
            "instagram: the token renewal answered no token and expiry; this pull uses the "
            "current one.",
            extra={"service": ctx.service},
        )
        return token
    renewed = ApiToken.expiring_in(access, float(seconds))
    save_token(ctx, renewed)
    client.use_token(access)
    assert renewed.expires_at is not None
    ctx.script.log.info(
        "instagram: renewed the access token; the new one lasts until %s and is saved in the "
        "session file.",
        f"{renewed.expires_at:%Y-%m-%d}",
        extra={"service": ctx.service},
    )
    return renewed

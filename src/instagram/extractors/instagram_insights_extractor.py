"""Instagram: account insights per day, followers and media insights from the Graph API, one
landed JSON file per pull.

The API version, metrics and windows are in config/extractors/instagram.json; the token is
INSTAGRAM_ACCESS_TOKEN and the account INSTAGRAM_USER_ID, from the environment or .env. The
long-lived token is renewed before it lapses and the new one saved in the session file; a token
Instagram refuses is remembered: no run uses it again until a new one is put in .env.
"""

from __future__ import annotations

import os

from common.extract.errors import SessionExpired
from common.extract.runtime import ExtractorContext, run_extractor
from common.extract.tokens import current_token
from common.zones import LANDING, service_zone
from instagram.dates import pacific_today
from instagram.graph_client import GraphClient, TokenRefused
from instagram.pull import (
    Endpoints,
    InsightsPull,
    instagram_user_id,
    landing_bytes,
    newest_pulled_day,
    pull_document,
    pull_window,
)
from instagram.pull_settings import PullSettings, load_pull_settings
from instagram.settings import SERVICE, TOKEN_ENV
from instagram.token_refresh import renew_if_due


def endpoints(ctx: ExtractorContext, settings: PullSettings, user_id: str) -> Endpoints:
    version = settings.api_version
    return Endpoints(
        account=ctx.config.url("account", api_version=version, user_id=user_id),
        insights=ctx.config.url("insights", api_version=version, user_id=user_id),
        media=ctx.config.url("media", api_version=version, user_id=user_id),
        media_insights=lambda media_id: ctx.config.url(
            "media_insights", api_version=version, media_id=media_id
        ),
    )


def extract(ctx: ExtractorContext) -> None:
    ctx.ensure_login()
    settings = load_pull_settings(ctx.config)
    user_id = instagram_user_id(os.environ)
    token = current_token(ctx)
    if token is None:
        raise SessionExpired(SERVICE, SERVICE, f"{TOKEN_ENV} is not set in the environment or .env")
    client = GraphClient(
        token.access_token, settings.retry, ctx.config.timeout_seconds, ctx.script.log
    )
    window = pull_window(
        newest_pulled_day(service_zone(ctx.script.lake, LANDING, SERVICE)),
        pacific_today(),
        settings,
    )
    ctx.script.log.info(
        "Pulling Instagram insights of %s for %s (%s).",
        user_id,
        f"{window.first} to {window.last}" if window else "no new whole day",
        settings.api_version,
    )
    try:
        if settings.refresh_tokens:
            renew_if_due(ctx, client, token, settings.refresh_within_days)
        pull = InsightsPull(client, endpoints(ctx, settings, user_id), settings, ctx.script.log)
        document = pull_document(pull, user_id, window)
    except TokenRefused as refused:
        raise ctx.turned_away(ctx.service, refused.reason) from None
    ctx.land(ctx.landing_name("insights", "json"), landing_bytes(document))


if __name__ == "__main__":
    raise SystemExit(run_extractor(SERVICE, extract))

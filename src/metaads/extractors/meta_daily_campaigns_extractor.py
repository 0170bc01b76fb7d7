"""Meta Ads: daily campaign insights from the Graph API, one landed JSON file per pull.

The API version, fields, level and windows are in config/extractors/metaads.json; the token is
META_ACCESS_TOKEN and the ad account META_AD_ACCOUNT_ID, from the environment or .env. A token
Meta refuses is remembered: no run uses it again until a new one is put in .env.
"""

from __future__ import annotations

import os
from datetime import date

from common.extract.runtime import ExtractorContext, run_extractor
from common.zones import LANDING, service_zone
from metaads.insights_api import InsightsApi, TokenRefused
from metaads.pull import (
    INSIGHTS_URL,
    ad_account_id,
    landing_document,
    load_pull_settings,
    newest_pulled_day,
    pull_window,
)
from metaads.settings import SERVICE


def extract(ctx: ExtractorContext) -> None:
    ctx.ensure_login()
    settings = load_pull_settings(ctx.config)
    account = ad_account_id(os.environ)
    url = ctx.config.url(INSIGHTS_URL, api_version=settings.api_version, account_id=account)
    token = os.environ.get(ctx.policy.token_env or "", "")
    api = InsightsApi(url, token, settings, ctx.config.timeout_seconds, ctx.script.log)
    newest = newest_pulled_day(service_zone(ctx.script.lake, LANDING, SERVICE))
    window = pull_window(newest, date.today(), settings)
    ctx.script.log.info(
        "Pulling %s-level insights of act_%s from %s to %s (%s).",
        settings.level,
        account,
        window.since,
        window.until,
        settings.api_version,
    )
    try:
        pages = list(api.pages(window))
    except TokenRefused as refused:
        raise ctx.turned_away(ctx.service, refused.reason) from None
    ctx.land(ctx.landing_name("insights", "json"), landing_document(pages))


if __name__ == "__main__":
    raise SystemExit(run_extractor(SERVICE, extract))

"""Mailchimp: campaign reports, audience growth per month and audience size, one landed JSON
file per pull (Marketing API v3).

The key is MAILCHIMP_API_KEY, from the environment or .env; its suffix (`-us6`) names the data
center. URLs, page size and windows are in config/extractors/mailchimp.json. A key Mailchimp
refuses is remembered: no run uses it again until a new one is put in .env.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from common.extract.runtime import ExtractorContext, run_extractor
from common.extract.tokens import current_token
from common.zones import LANDING, service_zone
from mailchimp.marketing_api import KeyRefused, MarketingApi, api_url
from mailchimp.pull import landing_document, newest_landed_send, since_send_time
from mailchimp.settings import SERVICE, load_pull_settings


def audience_ids(ctx: ExtractorContext, api: MarketingApi, key: str) -> list[str]:
    """The configured audiences, else every audience of the account."""
    settings = load_pull_settings(ctx.config)
    if settings.list_ids:
        return list(settings.list_ids)
    url = api_url(ctx.config.url("lists"), key)
    found = api.collection(url, "lists", "the audiences", {"fields": "lists.id,total_items"})
    return [str(item["id"]) for item in found if isinstance(item, dict) and "id" in item]


def audiences(
    ctx: ExtractorContext, api: MarketingApi, key: str
) -> list[tuple[dict[str, Any], list[Any]]]:
    """Each audience's object (its size in `stats`) and its months of growth."""
    pulled = []
    for list_id in audience_ids(ctx, api, key):
        audience = api.document(
            api_url(ctx.config.url("list", list_id=list_id), key), f"audience {list_id}"
        )
        growth_url = api_url(ctx.config.url("growth_history", list_id=list_id), key)
        months = api.collection(growth_url, "history", f"the growth of audience {list_id}", {})
        pulled.append((audience, months))
    return pulled


def extract(ctx: ExtractorContext) -> None:
    ctx.ensure_login()
    token = current_token(ctx)
    if token is None:
        raise ctx.turned_away(ctx.service, "MAILCHIMP_API_KEY is not set")
    key = token.access_token
    settings = load_pull_settings(ctx.config)
    api = MarketingApi(key, settings, ctx.config.timeout_seconds, ctx.script.log)
    newest = newest_landed_send(service_zone(ctx.script.lake, LANDING, SERVICE))
    since = since_send_time(newest, date.today(), settings)
    ctx.script.log.info("Pulling Mailchimp campaign reports sent since %s.", since.isoformat())
    try:
        reports = api.collection(
            api_url(ctx.config.url("reports"), key),
            "reports",
            "the campaign reports",
            {"since_send_time": since.isoformat()},
        )
        pulled = audiences(ctx, api, key)
    except KeyRefused as refused:
        raise ctx.turned_away(ctx.service, refused.reason) from None
    ctx.land(ctx.landing_name("reports", "json"), landing_document(reports, pulled))


if __name__ == "__main__":
    raise SystemExit(run_extractor(SERVICE, extract))

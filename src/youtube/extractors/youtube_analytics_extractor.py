"""YouTube: channel and per-video daily analytics (Analytics API v2) and the channel's statistics
(Data API v3), three landed JSON files per pull.

URLs and the window are in config/extractors/youtube.json; the token is YOUTUBE_ACCESS_TOKEN
(renewed with YOUTUBE_REFRESH_TOKEN, YOUTUBE_CLIENT_ID and YOUTUBE_CLIENT_SECRET), from the
environment or .env. A login Google refuses is remembered: no run uses it again until .env
holds a new one.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from common.extract.runtime import ExtractorContext, run_extractor
from common.zones import LANDING, service_zone
from youtube.api import RefreshRefused, TokenRefused, YouTubeApi
from youtube.login import needs_renewal, open_consent_page, renewal, usable_token
from youtube.pull import (
    PullWindow,
    load_pull_settings,
    merged_table,
    newest_landed_day,
    pull_window,
    report_params,
)
from youtube.settings import DAILY_METRICS, SERVICE

REPORTS_URL, CHANNELS_URL = "reports", "channels"


def video_pages(api: YouTubeApi, url: str, window: PullWindow, size: int) -> list[dict[str, Any]]:
    """Every page of the per-video report (`startIndex` is 1-based), until a short page."""
    pages: list[dict[str, Any]] = []
    while True:
        params = {
            **report_params(window, "day,video", DAILY_METRICS),
            "maxResults": str(size),
            "startIndex": str(len(pages) * size + 1),
        }
        page = api.get(url, params, f"per-video report (page {len(pages) + 1})")
        pages.append(page)
        if len(page.get("rows") or []) < size:
            return pages


def _document(content: dict[str, Any]) -> bytes:
    return json.dumps(content, ensure_ascii=False, indent=2).encode("utf-8")


def extract(ctx: ExtractorContext) -> None:
    settings = load_pull_settings(ctx.config)
    token = usable_token(ctx, settings)
    renew = renewal(ctx, token)
    api = YouTubeApi(
        token.access_token, renew, settings, ctx.config.timeout_seconds, ctx.script.log
    )
    newest = newest_landed_day(service_zone(ctx.script.lake, LANDING, SERVICE))
    window = pull_window(newest, date.today(), settings)
    ctx.script.log.info("Pulling YouTube analytics from %s to %s.", window.start, window.end)
    reports = ctx.config.url(REPORTS_URL)
    try:
        if needs_renewal(token):
            api.renew_now()
        channel = api.get(reports, report_params(window, "day", DAILY_METRICS), "channel report")
        videos = merged_table(video_pages(api, reports, window, settings.page_size))
        stats = api.get(
            ctx.config.url(CHANNELS_URL),
            {"part": "snippet,statistics", "mine": "true"},
            "channel statistics",
        )
    except RefreshRefused as refused:
        open_consent_page(ctx, settings)
        raise ctx.turned_away(SERVICE, refused.reason) from None
    except TokenRefused as refused:
        raise ctx.turned_away(SERVICE, refused.reason) from None
    ctx.land(ctx.landing_name("channel_daily", "json"), _document(channel))
    ctx.land(ctx.landing_name("video_daily", "json"), _document(videos))
    ctx.land(ctx.landing_name("channel_stats", "json"), _document(stats))


if __name__ == "__main__":
    raise SystemExit(run_extractor(SERVICE, extract))

"""TikTok Studio: the 365-day Overview and Followers exports of each account.

Each account has its own saved login (src/tiktok/cookies/<account>.json, `bedrot cookies
refresh --service tiktok`) and so its own browser profile; the accounts are listed in
config/cookie_refresh_config.json. An account whose login cannot be used is skipped with a
WARNING and the others go on. URLs and selectors are in config/extractors/tiktok.json.
"""

from __future__ import annotations

from common.extract.pages import site_page
from common.extract.runtime import ExtractorContext, run_extractor
from tiktok.settings import SERVICE
from tiktok.studio import (
    DEFAULT_RANGE_DAYS,
    FOLLOWERS_TAB,
    FOLLOWERS_URL,
    OVERVIEW_TAB,
    OVERVIEW_URL,
    download_tab,
    export_dates,
    landing_name,
    range_mismatch,
)


def extract_account(ctx: ExtractorContext, account: str) -> None:
    with site_page(ctx, account) as site:
        suggested, overview = download_tab(site, OVERVIEW_URL)
        dates = export_dates(suggested, int(ctx.started.timestamp()))
        mismatch = range_mismatch(dates, int(ctx.config.setting("range_days", DEFAULT_RANGE_DAYS)))
        if mismatch:
            ctx.script.log.warning(
                "%s: %s: %s.", SERVICE, account, mismatch, extra={"service": SERVICE}
            )
        ctx.land(landing_name(OVERVIEW_TAB, dates, account), overview)
        _, followers = download_tab(site, FOLLOWERS_URL)
        # Studio names this zip Followers_<handle>.zip, without dates. It is the same window,
        # exported moments after the Overview, so it carries the Overview's dates.
        ctx.land(landing_name(FOLLOWERS_TAB, dates, account), followers)


def extract(ctx: ExtractorContext) -> None:
    for account in ctx.policy.logins:
        with ctx.each_login(account):
            extract_account(ctx, account)


if __name__ == "__main__":
    raise SystemExit(run_extractor(SERVICE, extract))

"""TooLost: the portal's Spotify and Apple Music analytics JSON, then new monthly sales reports.

URLs, selectors and the notice wording are in config/extractors/toolost.json. The login is the
saved browser session in src/toolost/cookies/toolost.json, whose localStorage holds the portal's
7-day JWT (`jwt_token`), sent to the API as a Bearer token (`bedrot cookies refresh --service
toolost`). The API answers only the year to date; the cleaners keep the history.
"""

from __future__ import annotations

from common.extract.http import get_json, logged_in_session
from common.extract.pages import site_page
from common.extract.runtime import ExtractorContext, run_extractor
from toolost.sales_reports import land_new_sales_reports

SERVICE = "toolost"
# Each URL name is also the landed dataset; the cleaners tell the platform by the JSON's keys.
ANALYTICS = ("spotify_analytics", "apple_analytics")


def land_analytics(ctx: ExtractorContext) -> None:
    with logged_in_session(ctx) as session:
        for name in ANALYTICS:
            content = get_json(ctx, session, ctx.config.url(name), SERVICE)
            ctx.land(ctx.landing_name(name, "json"), content)


def extract(ctx: ExtractorContext) -> None:
    land_analytics(ctx)
    with site_page(ctx) as site:
        land_new_sales_reports(ctx, site)


if __name__ == "__main__":
    raise SystemExit(run_extractor(SERVICE, extract))

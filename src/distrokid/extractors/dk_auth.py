"""DistroKid: the streams and Apple Music stats pages (HTML) and the bank details download.

URLs and selectors are in config/extractors/distrokid.json; the login is the saved browser
session in src/distrokid/cookies/distrokid.json (`bedrot cookies refresh --service distrokid`).
"""

from __future__ import annotations

from pathlib import Path

from common.extract.pages import site_page
from common.extract.runtime import ExtractorContext, run_extractor

SERVICE = "distrokid"
STATS_PAGES = (("streams", "streams_chart"), ("applemusic", "applemusic_chart"))


def extract(ctx: ExtractorContext) -> None:
    with site_page(ctx) as site:
        for url_name, chart in STATS_PAGES:
            site.goto(url_name)
            site.find(chart)
            ctx.land(ctx.landing_name(url_name, "html"), site.content().encode("utf-8"))
        site.goto("bank_details")
        suggested, content = site.download("bank_download")
        extension = Path(suggested).suffix.lstrip(".").lower() or "tsv"
        ctx.land(ctx.landing_name("bank_details", extension), content)


if __name__ == "__main__":
    raise SystemExit(run_extractor(SERVICE, extract))

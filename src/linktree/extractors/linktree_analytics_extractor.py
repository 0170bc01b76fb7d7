"""Linktree: the admin analytics page for the last 365 days, daily, as its GraphQL answers.

Selectors and the GraphQL operations to keep are in config/extractors/linktree.json; the login
is the saved browser session in src/linktree/cookies/linktree.json (`bedrot cookies refresh
--service linktree`). Each kept answer lands as one capture record the cleaners read.
"""

from __future__ import annotations

from common.extract.pages import site_page
from common.extract.runtime import ExtractorContext, run_extractor
from linktree.admin_page import capture_analytics
from linktree.settings import SERVICE


def extract(ctx: ExtractorContext) -> None:
    with site_page(ctx) as site:
        kept = capture_analytics(ctx, site)
    for _, answer in sorted(kept.items()):
        ctx.land(answer.landing_name(ctx.started), answer.landing_record())


if __name__ == "__main__":
    raise SystemExit(run_extractor(SERVICE, extract))

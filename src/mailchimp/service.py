"""Mailchimp declares itself: its curated datasets, API-key login, freshness windows and demo."""

from __future__ import annotations

from common.declarations import Dataset, HealthWindow, LoginDeclaration, ServiceDeclaration
from mailchimp.settings import CURATED_AUDIENCE, CURATED_CAMPAIGNS, CURATED_GROWTH, KEY_ENV
from mailchimp.settings import SERVICE as NAME

SERVICE = ServiceDeclaration(
    NAME,
    datasets=(
        Dataset("campaigns", CURATED_CAMPAIGNS, keys=("campaign_id",), loader="email_campaigns"),
        Dataset(
            "list_growth", CURATED_GROWTH, keys=("list_id", "month"), loader="email_list_growth"
        ),
        Dataset(
            "audience", CURATED_AUDIENCE, keys=("list_id", "snapshot_date"), loader="email_audience"
        ),
    ),
    # An API key in .env (it never expires by itself; a revoked key is answered with 401).
    login=LoginDeclaration(
        "oauth",
        max_age_days=365,
        refresh_interval_days=180,
        priority="LOW",
        token_env=KEY_ENV,
    ),
    # Newsletters go out every week or two: a quiet week is not stale data.
    health=HealthWindow(warn_days=8, fail_days=15),
    priority="LOW",
    demo_writer="mailchimp.demo:write_mailchimp",
    description="Email campaign reports, audience growth per month and audience size (API v3).",
)

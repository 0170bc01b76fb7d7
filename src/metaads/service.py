"""Meta Ads declares itself: its curated datasets, token login, freshness windows and demo."""

from __future__ import annotations

from common.declarations import Dataset, HealthWindow, LoginDeclaration, ServiceDeclaration
from metaads.settings import (
    CURATED_ACTIONS,
    CURATED_DAILY,
    CURATED_PERIODS,
    CURATED_SUMMARY,
)
from metaads.settings import SERVICE as NAME

# Which ad a row is about, at its level (a manual export may carry names without ids).
_ENTITY = ("level", "campaign_id", "campaign", "adset_id", "adset", "ad_id", "ad")

SERVICE = ServiceDeclaration(
    NAME,
    datasets=(
        Dataset(
            "daily_performance", CURATED_DAILY, keys=("date", *_ENTITY), loader="ad_performance"
        ),
        Dataset(
            "period_performance",
            CURATED_PERIODS,
            keys=("date_start", "date_stop", *_ENTITY),
            loader="ad_periods",
        ),
        Dataset(
            "actions", CURATED_ACTIONS, keys=("date", *_ENTITY, "action_type"), loader="ad_actions"
        ),
        Dataset("campaign_summary", CURATED_SUMMARY, keys=("campaign_id", "campaign")),
    ),
    # A system-user token in the environment, not a browser session.
    login=LoginDeclaration(
        "oauth",
        max_age_days=60,
        refresh_interval_days=30,
        priority="LOW",
        token_env="META_ACCESS_TOKEN",
    ),
    health=HealthWindow(warn_days=2, fail_days=5),
    priority="LOW",
    demo_writer="metaads.demo:write_metaads",
    description="Daily campaign insights (Graph API responses and Ads Manager exports).",
)

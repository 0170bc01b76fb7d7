"""Instagram declares itself: its curated datasets, token login, freshness windows and demo."""

from __future__ import annotations

from common.declarations import Dataset, HealthWindow, LoginDeclaration, ServiceDeclaration
from instagram.settings import CURATED_DAILY, CURATED_MEDIA, CURATED_MEDIA_DAILY
from instagram.settings import SERVICE as NAME
from instagram.settings import TOKEN_ENV

SERVICE = ServiceDeclaration(
    NAME,
    datasets=(
        Dataset("daily", CURATED_DAILY, keys=("account", "date"), loader="instagram_daily"),
        Dataset("media", CURATED_MEDIA, keys=("media_id",), loader="instagram_media"),
        Dataset(
            "media_daily",
            CURATED_MEDIA_DAILY,
            keys=("media_id", "date"),
            loader="instagram_media_daily",
        ),
    ),
    # A long-lived token in .env (renewed by the extractor before it lapses), no browser login.
    login=LoginDeclaration(
        "oauth",
        max_age_days=60,
        refresh_interval_days=50,
        priority="MEDIUM",
        token_env=TOKEN_ENV,
    ),
    # Insights settle over two days; a pull is daily.
    health=HealthWindow(warn_days=3, fail_days=7),
    priority="MEDIUM",
    demo_writer="instagram.demo:write_instagram",
    description="Account insights per day, posts and reels with their metrics (Graph API "
    "pulls and Business Suite exports).",
)

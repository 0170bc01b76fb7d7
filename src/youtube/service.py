"""YouTube declares itself: curated datasets, OAuth token login, freshness windows and demo."""

from __future__ import annotations

from common.declarations import Dataset, HealthWindow, LoginDeclaration, ServiceDeclaration
from youtube.settings import (
    CURATED_CHANNEL_DAILY,
    CURATED_CHANNEL_STATS,
    CURATED_VIDEO_DAILY,
    CURATED_VIDEOS,
)
from youtube.settings import SERVICE as NAME
from youtube.settings import TOKEN_ENV

SERVICE = ServiceDeclaration(
    NAME,
    datasets=(
        Dataset("channel_daily", CURATED_CHANNEL_DAILY, keys=("date",), loader="youtube_daily"),
        Dataset(
            "video_daily",
            CURATED_VIDEO_DAILY,
            keys=("date", "video_id"),
            loader="youtube_video_daily",
        ),
        Dataset("channel_stats", CURATED_CHANNEL_STATS, keys=("date", "channel_id")),
        Dataset("videos", CURATED_VIDEOS, keys=("video_id",)),
    ),
    # Google OAuth: an access token (1 h) renewed with the refresh token, both from .env.
    login=LoginDeclaration(
        "oauth",
        max_age_days=180,
        refresh_interval_days=90,
        priority="MEDIUM",
        token_env=TOKEN_ENV,
    ),
    # The Analytics API answers 2–3 days behind: a 4-day-old newest day is normal.
    health=HealthWindow(warn_days=5, fail_days=10),
    priority="MEDIUM",
    demo_writer="youtube.demo:write_youtube",
    description="Channel and per-video daily analytics, channel statistics (YouTube APIs, "
    "Studio exports).",
)

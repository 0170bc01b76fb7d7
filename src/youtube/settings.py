"""YouTube names: zone file names, the login's environment variables and the metric columns."""

from __future__ import annotations

SERVICE = "youtube"
# The label's channel as the warehouse names the account (one channel per OAuth login).
ACCOUNT = "channel"

STAGING_CHANNEL_DAILY = "youtube_channel_daily.csv"
STAGING_VIDEO_DAILY = "youtube_video_daily.csv"
STAGING_CHANNEL_STATS = "youtube_channel_stats.csv"
STAGING_VIDEOS = "youtube_videos.csv"
CURATED_CHANNEL_DAILY = "youtube_channel_daily_curated.csv"
CURATED_VIDEO_DAILY = "youtube_video_daily_curated.csv"
CURATED_CHANNEL_STATS = "youtube_channel_stats_curated.csv"
CURATED_VIDEOS = "youtube_videos_curated.csv"

API_SUFFIXES = (".json",)
EXPORT_SUFFIXES = (".csv",)
RAW_SUFFIX = ".ndjson"

TOKEN_ENV = "YOUTUBE_ACCESS_TOKEN"
REFRESH_ENV = "YOUTUBE_REFRESH_TOKEN"
CLIENT_ID_ENV = "YOUTUBE_CLIENT_ID"
CLIENT_SECRET_ENV = "YOUTUBE_CLIENT_SECRET"

# The daily metrics asked of the Analytics API, channel-wide and per video (FORMATS.md §2.7).
DAILY_METRICS = (
    "views",
    "estimatedMinutesWatched",
    "averageViewDuration",
    "likes",
    "shares",
    "subscribersGained",
    "subscribersLost",
)
# Our column for each metric (the same in raw, staging, curated and the warehouse).
METRIC_COLUMNS = {
    "views": "views",
    "estimatedMinutesWatched": "minutes_watched",
    "averageViewDuration": "average_view_duration_seconds",
    "likes": "likes",
    "shares": "shares",
    "subscribersGained": "subscribers_gained",
    "subscribersLost": "subscribers_lost",
}
COUNT_COLUMNS = (
    "views", "likes", "shares", "subscribers_gained", "subscribers_lost",
)  # fmt: skip
# Minutes watched may be fractional (the Reporting API's 24.5): kept as exact decimal text.
DAILY_COLUMNS = (
    "views", "minutes_watched", "average_view_duration_seconds", "likes", "shares",
    "subscribers_gained", "subscribers_lost",
)  # fmt: skip
STATS_COLUMNS = ("subscriber_count", "view_count", "video_count", "hidden_subscriber_count")
VIDEO_COLUMNS = (
    "title", "published", "duration_seconds", "views", "average_view_duration_seconds",
    "average_percentage_viewed", "subscribers", "likes",
)  # fmt: skip

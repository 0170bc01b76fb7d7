"""YouTube: the channel per day (social_daily, platform "YouTube", and youtube_channel_daily)
and each video per day (youtube_videos, youtube_video_daily)."""

from __future__ import annotations

import polars as pl
from sqlalchemy import insert, select, update

from common.warehouse.loaders.frames import check_columns, read_curated
from common.warehouse.loading import LoadContext, bulk_insert
from common.warehouse.models import SocialDaily, table
from common.warehouse.youtube_tables import YouTubeChannelDaily, YouTubeVideo, YouTubeVideoDaily

PLATFORM = "YouTube"
ACCOUNT = "channel"
SOCIAL_COLUMNS = (
    "activity_date", "platform_id", "account", "video_views", "likes", "shares", "followers",
    "new_followers", "source_file_id",
)  # fmt: skip
CHANNEL_COLUMNS = (
    "activity_date", "minutes_watched", "average_view_duration_seconds", "subscribers_gained",
    "subscribers_lost", "source_file_id",
)  # fmt: skip
VIDEO_COLUMNS = (
    "activity_date", "video_ref", "views", "minutes_watched", "average_view_duration_seconds",
    "likes", "shares", "subscribers_gained", "subscribers_lost", "source_file_id",
)  # fmt: skip
MINUTES_SCALE = 4
# What youtube_channel_daily holds for a day; a day with none of them (the day of a statistics
# snapshot the Analytics API has not answered yet) only has its subscriber count in social_daily.
CHANNEL_METRICS = (
    "minutes_watched", "average_view_duration_seconds", "subscribers_gained", "subscribers_lost",
)  # fmt: skip


def _count(column: str, alias: str | None = None) -> pl.Expr:
    return pl.col(column).cast(pl.Int64, strict=True).alias(alias or column)


def _minutes() -> pl.Expr:
    """Exact decimal text for the NUMERIC column (never a float)."""
    minutes = pl.col("minutes_watched").str.to_decimal(scale=MINUTES_SCALE)
    return minutes.cast(pl.String).alias("minutes_watched")


def _seconds() -> pl.Expr:
    seconds = pl.col("average_view_duration_seconds").cast(pl.Float64, strict=True)
    return seconds.round(0).cast(pl.Int64).alias("average_view_duration_seconds")


def load_youtube_daily(ctx: LoadContext) -> int:
    """A row a day in social_daily (views, likes, shares, subscriber count, gained − lost) and
    the day's minutes watched, average duration, gained and lost in youtube_channel_daily (for
    the days that have any of them)."""
    daily = read_curated(ctx.path)
    required = ("date", "views", "likes", "shares", "net_subscribers", "subscriber_count")
    check_columns(daily, (*required, "minutes_watched"), ctx.path.name)
    youtube = ctx.dimensions.platforms([PLATFORM], kind="social")[PLATFORM]
    social = daily.select(
        pl.col("date").alias("activity_date"),
        pl.lit(youtube).alias("platform_id"),
        pl.lit(ACCOUNT).alias("account"),
        _count("views", "video_views"),
        _count("likes"),
        _count("shares"),
        _count("subscriber_count", "followers"),
        _count("net_subscribers", "new_followers"),
        pl.lit(ctx.source_file_id).alias("source_file_id"),
    )
    bulk_insert(ctx.connection, table(SocialDaily), SOCIAL_COLUMNS, social)
    measured = daily.filter(pl.any_horizontal(pl.col(c).is_not_null() for c in CHANNEL_METRICS))
    channel = measured.select(
        pl.col("date").alias("activity_date"),
        _minutes(),
        _seconds(),
        _count("subscribers_gained"),
        _count("subscribers_lost"),
        pl.lit(ctx.source_file_id).alias("source_file_id"),
    )
    bulk_insert(ctx.connection, table(YouTubeChannelDaily), CHANNEL_COLUMNS, channel)
    return social.height


def _videos(ctx: LoadContext, daily: pl.DataFrame) -> dict[str, int]:
    """Ids of the videos in `daily`, added when new; a known video takes its newest title."""
    videos = table(YouTubeVideo)
    titles = dict(daily.group_by("video_id").agg(pl.col("title").drop_nulls().last()).iter_rows())
    found = ctx.connection.execute(
        select(videos.c.video_id, videos.c.id).where(videos.c.video_id.in_(list(titles)))
    )
    known: dict[str, int] = {str(video): int(ref) for video, ref in found}
    for video, title in titles.items():
        if video not in known:
            known[video] = ctx.connection.execute(
                insert(videos).returning(videos.c.id), {"video_id": video, "title": title}
            ).scalar_one()
        elif title:
            ctx.connection.execute(
                update(videos).where(videos.c.id == known[video]).values(title=title)
            )
    return known


def load_youtube_video_daily(ctx: LoadContext) -> int:
    daily = read_curated(ctx.path)
    check_columns(daily, ("date", "video_id", "title", "views", "minutes_watched"), ctx.path.name)
    videos = _videos(ctx, daily)
    rows = daily.select(
        pl.col("date").alias("activity_date"),
        pl.col("video_id").replace_strict(videos, return_dtype=pl.Int64).alias("video_ref"),
        _count("views"),
        _minutes(),
        _seconds(),
        _count("likes"),
        _count("shares"),
        _count("subscribers_gained"),
        _count("subscribers_lost"),
        pl.lit(ctx.source_file_id).alias("source_file_id"),
    )
    return bulk_insert(ctx.connection, table(YouTubeVideoDaily), VIDEO_COLUMNS, rows)

"""etl_social_media_performance: TikTok per account, Linktree daily, Meta Ads campaigns."""

from __future__ import annotations

import polars as pl

from common.warehouse.loaders.frames import check_columns, read_curated
from common.warehouse.loading import LoadContext, Source, bulk_insert
from common.warehouse.models import LinkAnalyticsDaily, SocialDaily, table

LINK_COLUMNS = (
    "analytics_date", "total_views", "unique_views", "total_clicks", "unique_clicks",
    "click_through_rate", "is_partial_day", "source_file_id",
)  # fmt: skip


def _counts(*columns: str) -> list[pl.Expr]:
    return [pl.col(column).cast(pl.Int64, strict=True) for column in columns]


def _flag(column: str) -> pl.Expr:
    return pl.col(column).str.to_lowercase().is_in(["true", "1", "yes"])


def load_link_analytics(ctx: LoadContext) -> int:
    """Linktree's daily views and clicks; CTR is a 0–1 fraction; today's partial day flagged."""
    daily = read_curated(ctx.path)
    check_columns(
        daily, ("date", "total_views", "total_clicks", "ctr", "is_partial_day"), ctx.path.name
    )
    rows = daily.select(
        pl.col("date").alias("analytics_date"),
        *_counts("total_views", "unique_views", "total_clicks", "unique_clicks"),
        pl.col("ctr").cast(pl.Float64, strict=True).alias("click_through_rate"),
        _flag("is_partial_day").alias("is_partial_day"),
        pl.lit(ctx.source_file_id).alias("source_file_id"),
    )
    return bulk_insert(ctx.connection, table(LinkAnalyticsDaily), LINK_COLUMNS, rows)


SOCIAL_COLUMNS = (
    "activity_date", "platform_id", "account", "artist_id", "video_views", "profile_views",
    "likes", "comments", "shares", "followers", "new_followers", "engagement_rate",
    "source_file_id",
)  # fmt: skip
TIKTOK_COUNTS = (
    "video_views", "profile_views", "likes", "comments", "shares", "followers", "new_followers"
)  # fmt: skip


def load_tiktok_daily(ctx: LoadContext) -> int:
    """TikTok per account and day; the artist comes through the aliases."""
    daily = read_curated(ctx.path)
    check_columns(daily, ("account", "artist", "date", *TIKTOK_COUNTS), ctx.path.name)
    tiktok = ctx.dimensions.platforms(["TikTok"], kind="social")["TikTok"]
    artists = {name: ctx.dimensions.artist(name) for name in daily["artist"].drop_nulls().unique()}
    rows = daily.select(
        pl.col("date").alias("activity_date"),
        pl.lit(tiktok).alias("platform_id"),
        pl.col("account"),
        pl.col("artist")
        .replace_strict(artists, default=None, return_dtype=pl.Int64)
        .alias("artist_id"),
        *_counts(*TIKTOK_COUNTS),
        pl.col("engagement_rate").cast(pl.Float64, strict=True),
        pl.lit(ctx.source_file_id).alias("source_file_id"),
    )
    return bulk_insert(ctx.connection, table(SocialDaily), SOCIAL_COLUMNS, rows)


SOURCES: tuple[Source, ...] = (
    Source("tiktok_daily", "tiktok_daily_curated.csv", (table(SocialDaily),), load_tiktok_daily),
    Source(
        "link_analytics",
        "linktree_analytics_curated.csv",
        (table(LinkAnalyticsDaily),),
        load_link_analytics,
    ),
)

"""Instagram's curated files into the warehouse: per account and day into social_daily
(platform "Instagram") and instagram_daily; media and their daily snapshots."""

from __future__ import annotations

import polars as pl

from common.warehouse.instagram_tables import InstagramDaily, InstagramMedia, InstagramMediaDaily
from common.warehouse.loaders.frames import check_columns, read_curated
from common.warehouse.loading import LoadContext, bulk_insert
from common.warehouse.models import SocialDaily, table

PLATFORM = "Instagram"
SOCIAL_COLUMNS = (
    "activity_date", "platform_id", "account", "artist_id", "video_views", "profile_views",
    "likes", "comments", "shares", "followers", "new_followers", "source_file_id",
)  # fmt: skip
EXTRA_COLUMNS = (
    "reach", "views_follower", "views_non_follower", "website_clicks", "profile_links_taps",
    "accounts_engaged", "total_interactions", "saves",
)  # fmt: skip
MEDIA_METRICS = ("reach", "views", "likes", "comments", "saved", "shares")
MEDIA_TEXT = ("media_id", "account", "media_type", "media_product_type", "caption_excerpt",
              "posted_at", "permalink")  # fmt: skip


def _counts(*columns: str) -> list[pl.Expr]:
    return [pl.col(column).cast(pl.Int64, strict=True) for column in columns]


def _day(column: str, alias: str | None = None) -> pl.Expr:
    """A curated ISO day, checked, passed on as its text (as the other social loaders do)."""
    checked = pl.col(column).str.to_date("%Y-%m-%d", strict=True).dt.strftime("%Y-%m-%d")
    return checked.alias(alias or column)


def _artist_of_account(ctx: LoadContext, daily: pl.DataFrame) -> pl.Expr:
    """The artist whose name or alias the account is (config/artists.json: zone.a0 is ZONE A0);
    an account the config does not know stays without one (a handle never becomes an artist)."""
    found = {}
    for account in daily["account"].drop_nulls().unique().to_list():
        known = ctx.dimensions.directory.resolve(account)
        found[account] = ctx.dimensions.artist(known.name) if known else None
    return (
        pl.col("account")
        .replace_strict(found, default=None, return_dtype=pl.Int64)
        .alias("artist_id")
    )


def load_instagram_daily(ctx: LoadContext) -> int:
    """One social_daily row per account and day (views in video_views, as TikTok's) and the
    same day's Instagram-only metrics in instagram_daily."""
    daily = read_curated(ctx.path)
    required = ("account", "date", "views", "profile_views", "followers", *EXTRA_COLUMNS)
    check_columns(daily, required, ctx.path.name)
    platform = ctx.dimensions.platforms([PLATFORM], kind="social")[PLATFORM]
    social = daily.select(
        _day("date", "activity_date"),
        pl.lit(platform).alias("platform_id"),
        pl.col("account"),
        _artist_of_account(ctx, daily),
        pl.col("views").cast(pl.Int64, strict=True).alias("video_views"),
        *_counts("profile_views", "likes", "comments", "shares", "followers", "new_followers"),
        pl.lit(ctx.source_file_id).alias("source_file_id"),
    )
    extra = daily.select(
        pl.col("account"),
        _day("date", "activity_date"),
        *_counts(*EXTRA_COLUMNS),
        pl.lit(ctx.source_file_id).alias("source_file_id"),
    )
    rows = bulk_insert(ctx.connection, table(SocialDaily), SOCIAL_COLUMNS, social)
    bulk_insert(ctx.connection, table(InstagramDaily), extra.columns, extra)
    return rows


def load_instagram_media(ctx: LoadContext) -> int:
    media = read_curated(ctx.path)
    check_columns(media, (*MEDIA_TEXT, "posted_date", "metrics_date", *MEDIA_METRICS),
                  ctx.path.name)  # fmt: skip
    rows = media.select(
        *MEDIA_TEXT,
        _day("posted_date"),
        _day("metrics_date"),
        *_counts(*MEDIA_METRICS),
        pl.lit(ctx.source_file_id).alias("source_file_id"),
    )
    return bulk_insert(ctx.connection, table(InstagramMedia), rows.columns, rows)


def load_instagram_media_daily(ctx: LoadContext) -> int:
    snapshots = read_curated(ctx.path)
    check_columns(snapshots, ("media_id", "account", "date", *MEDIA_METRICS), ctx.path.name)
    rows = snapshots.select(
        "media_id",
        "account",
        _day("date", "snapshot_date"),
        *_counts(*MEDIA_METRICS),
        pl.lit(ctx.source_file_id).alias("source_file_id"),
    )
    return bulk_insert(ctx.connection, table(InstagramMediaDaily), rows.columns, rows)

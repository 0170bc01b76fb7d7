"""etl_social_media_performance: TikTok per account, Linktree daily, Meta Ads campaigns (per day
and per reported range)."""

from __future__ import annotations

from decimal import Decimal

import polars as pl

from common.warehouse.loaders.frames import check_columns, money, read_curated, require_numbers
from common.warehouse.loading import LoadContext, bulk_insert
from common.warehouse.models import (
    AdAction,
    AdPerformanceDaily,
    AdPerformancePeriod,
    LinkAnalyticsDaily,
    SocialDaily,
    table,
)
from common.warehouse.types import MONEY_SCALE
from common.warehouse.views import DOLLAR

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


LEVEL_RANK = {"campaign": 1, "adset": 2, "ad": 3}
AD_COLUMNS = (
    "performance_date", "campaign_id", "level_rank", "adset_external_id", "adset_name",
    "ad_external_id", "spend", "currency", "impressions", "clicks", "link_clicks", "reach",
    "ctr_percent", "source_file_id",
)  # fmt: skip
PERIOD_COLUMNS = (
    "period_start", "period_end", "days", "campaign_id", "level_rank", "adset_external_id",
    "adset_name", "ad_external_id", "spend", "currency", "impressions", "clicks", "link_clicks",
    "reach", "ctr_percent", "source_file_id",
)  # fmt: skip
ACTION_COLUMNS = (
    "action_date", "campaign_id", "level_rank", "adset_external_id", "ad_external_id",
    "action_type", "value", "source_file_id",
)  # fmt: skip


def _campaign_key() -> pl.Expr:
    """Meta's campaign id, or the name when a manual export carried none."""
    return pl.coalesce(pl.col("campaign_id"), pl.lit("name:") + pl.col("campaign"))


def _campaigns(ctx: LoadContext, frame: pl.DataFrame) -> dict[str, int]:
    columns = [c for c in ("artist", "track", "targeting") if c in frame.columns]
    rows = frame.select(_campaign_key().alias("key"), "campaign", *columns).unique("key")
    meta = ctx.dimensions.platforms(["Meta Ads"], kind="advertising")["Meta Ads"]
    return ctx.dimensions.campaigns(
        [
            {
                "external_id": r["key"],
                "name": r["campaign"],
                "platform_id": meta,
                "artist_id": ctx.dimensions.artist(r["artist"]) if r.get("artist") else None,
                "track": r.get("track"),
                "targeting": r.get("targeting"),
            }
            for r in rows.iter_rows(named=True)
        ]
    )


def _level() -> pl.Expr:
    return pl.col("level").replace_strict(LEVEL_RANK, return_dtype=pl.Int64).alias("level_rank")


def _unknown_currency_as_empty() -> pl.Expr:
    """An API pull without `account_currency` (and no default_currency) leaves the currency
    unknown; ad_performance_daily.currency is NOT NULL, so unknown is stored as empty text
    rather than refusing the whole file (v_ad_spend shows it as NULL, like the period table)."""
    return pl.col("currency").fill_null("").alias("currency")


def _amount(value: Decimal) -> str:
    """An exact amount with its cents (100.50), more decimals only where it has them."""
    cents = value.quantize(Decimal("0.01"))
    return f"{cents:f}" if cents == value else f"{value.normalize():f}"


def _warn_of_other_currencies(ctx: LoadContext, frame: pl.DataFrame) -> None:
    """Spend in another currency than the dollar is kept with its currency, and v_ad_spend (every
    dollar figure) leaves it out: the warehouse converts no currency. Say so, with the sums."""
    other = frame.filter(pl.col("currency").is_not_null() & (pl.col("currency") != "")).filter(
        pl.col("currency").str.to_uppercase() != DOLLAR
    )
    if other.is_empty():
        return
    sums = other.group_by("currency").agg(
        pl.col("spend").str.to_decimal(scale=MONEY_SCALE).sum().alias("spend")
    )
    amounts = ", ".join(f"{_amount(spend)} {currency}" for currency, spend in sorted(sums.rows()))
    ctx.warnings.append(
        f"Meta Ads spend of {amounts} is kept with its currency but left out of every dollar "
        "figure (v_ad_spend: net income, statements, cost per stream, the report's and the "
        "dashboard's ad spend); the warehouse converts no currency."
    )


def load_ad_performance(ctx: LoadContext) -> int:
    daily = read_curated(ctx.path)
    check_columns(daily, ("date", "level", "campaign", "spend", "currency"), ctx.path.name)
    require_numbers(daily, ("spend",), ctx.path.name)
    _warn_of_other_currencies(ctx, daily)
    campaigns = _campaigns(ctx, daily)
    rows = daily.select(
        pl.col("date").alias("performance_date"),
        _campaign_key().replace_strict(campaigns, return_dtype=pl.Int64).alias("campaign_id"),
        _level(),
        pl.col("adset_id").alias("adset_external_id"),
        pl.col("adset").alias("adset_name"),
        pl.col("ad_id").alias("ad_external_id"),
        money("spend", ctx.dialect),
        _unknown_currency_as_empty(),
        *_counts("impressions", "clicks", "link_clicks", "reach"),
        pl.col("ctr").cast(pl.Float64, strict=True).alias("ctr_percent"),
        pl.lit(ctx.source_file_id).alias("source_file_id"),
    )
    return bulk_insert(ctx.connection, table(AdPerformanceDaily), AD_COLUMNS, rows)


def _days_covered() -> pl.Expr:
    """How many days a range covers, both ends included (the view prefers the narrowest)."""
    first = pl.col("date_start").str.to_date("%Y-%m-%d")
    last = pl.col("date_stop").str.to_date("%Y-%m-%d")
    return ((last - first).dt.total_days() + 1).alias("days")


def load_ad_periods(ctx: LoadContext) -> int:
    """Meta Ads rows over a range of days, kept apart from the daily rows (see v_ad_spend)."""
    periods = read_curated(ctx.path)
    required = ("date_start", "date_stop", "level", "campaign", "spend", "currency")
    check_columns(periods, required, ctx.path.name)
    require_numbers(periods, ("spend",), ctx.path.name)
    _warn_of_other_currencies(ctx, periods)
    campaigns = _campaigns(ctx, periods)
    rows = periods.select(
        pl.col("date_start").alias("period_start"),
        pl.col("date_stop").alias("period_end"),
        _days_covered(),
        _campaign_key().replace_strict(campaigns, return_dtype=pl.Int64).alias("campaign_id"),
        _level(),
        pl.col("adset_id").alias("adset_external_id"),
        pl.col("adset").alias("adset_name"),
        pl.col("ad_id").alias("ad_external_id"),
        money("spend", ctx.dialect),
        pl.col("currency"),
        *_counts("impressions", "clicks", "link_clicks", "reach"),
        pl.col("ctr").cast(pl.Float64, strict=True).alias("ctr_percent"),
        pl.lit(ctx.source_file_id).alias("source_file_id"),
    )
    return bulk_insert(ctx.connection, table(AdPerformancePeriod), PERIOD_COLUMNS, rows)


def load_ad_actions(ctx: LoadContext) -> int:
    actions = read_curated(ctx.path)
    check_columns(actions, ("date", "level", "campaign", "action_type", "value"), ctx.path.name)
    require_numbers(actions, ("value",), ctx.path.name)
    campaigns = _campaigns(ctx, actions)
    rows = actions.select(
        pl.col("date").alias("action_date"),
        _campaign_key().replace_strict(campaigns, return_dtype=pl.Int64).alias("campaign_id"),
        _level(),
        pl.col("adset_id").alias("adset_external_id"),
        pl.col("ad_id").alias("ad_external_id"),
        pl.col("action_type"),
        money("value", ctx.dialect),
        pl.lit(ctx.source_file_id).alias("source_file_id"),
    )
    return bulk_insert(ctx.connection, table(AdAction), ACTION_COLUMNS, rows)

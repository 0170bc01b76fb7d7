"""etl_social_media_performance: TikTok per account, Linktree daily, Meta Ads campaigns."""

from __future__ import annotations

import polars as pl

from common.warehouse.loaders.frames import check_columns, read_curated
from common.warehouse.loading import LoadContext, Source, bulk_insert
from common.warehouse.models import LinkAnalyticsDaily, table

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


SOURCES: tuple[Source, ...] = (
    Source(
        "link_analytics",
        "linktree_analytics_curated.csv",
        (table(LinkAnalyticsDaily),),
        load_link_analytics,
    ),
)

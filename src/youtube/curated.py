"""The curated YouTube tables: channel per day, video per day, channel snapshots and videos.

YouTube views are YouTube's own count of plays on the channel. They are never added to the
distributors' streams (tidy_daily_streams.csv) nor to the "YouTube (Ads)" royalty units of the
bank details: those are Content ID / Art Track plays counted by the distributor.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from youtube.settings import DAILY_COLUMNS

if TYPE_CHECKING:
    import polars as pl

ORIGIN = ("extracted_at", "source_file")
CHANNEL_DAILY_COLUMNS = (
    "date", *DAILY_COLUMNS, "net_subscribers", "subscriber_count", *ORIGIN,
)  # fmt: skip
VIDEO_DAILY_COLUMNS = ("date", "video_id", "title", *DAILY_COLUMNS, "net_subscribers", *ORIGIN)
STATS_COLUMNS = (
    "date", "channel_id", "channel_title", "subscriber_count", "view_count", "video_count",
    *ORIGIN,
)  # fmt: skip


def _net_subscribers() -> pl.Expr:
    """Gained − lost, where both are known (Studio's "Subscribers" column is already net)."""
    import polars as pl

    gained = pl.col("subscribers_gained").cast(pl.Int64)
    lost = pl.col("subscribers_lost").cast(pl.Int64)
    return (gained - lost).alias("net_subscribers")


def _snapshot_counts(stats: pl.DataFrame) -> pl.DataFrame:
    """Per snapshot day, the subscriber count pulled then and where it came from (a hidden
    count gives no row)."""
    import polars as pl

    known = stats.filter(pl.col("subscriber_count").is_not_null())
    return known.group_by("date", maintain_order=True).agg(
        pl.col("subscriber_count").last(),
        *(pl.col(name).last().alias(f"snapshot_{name}") for name in ORIGIN),
    )


def channel_daily(staged: pl.DataFrame, stats: pl.DataFrame) -> pl.DataFrame:
    """A row a day, with the subscriber count of that day's snapshot where one was pulled.

    A snapshot is taken on the pull's day, which the Analytics API only answers 2-3 days later:
    that day gets a row of its own (the count, its metrics empty until a later pull gives them),
    so the count is never lost for want of a daily row to sit on."""
    import polars as pl

    counts = _snapshot_counts(stats)
    joined = staged.with_columns(_net_subscribers()).join(
        counts, on="date", how="full", coalesce=True
    )
    origin = [pl.coalesce(name, f"snapshot_{name}").alias(name) for name in ORIGIN]
    return joined.with_columns(origin).sort("date").select(CHANNEL_DAILY_COLUMNS)


def video_daily(staged: pl.DataFrame, videos: pl.DataFrame) -> pl.DataFrame:
    """A row per day and video, titled from the newest Studio table that listed the video."""
    titles = videos.select("video_id", "title")
    return (
        staged.with_columns(_net_subscribers())
        .join(titles, on="video_id", how="left")
        .sort(["date", "video_id"])
        .select(VIDEO_DAILY_COLUMNS)
    )


def channel_stats(staged: pl.DataFrame) -> pl.DataFrame:
    return staged.sort(["date", "channel_id"]).select(STATS_COLUMNS)

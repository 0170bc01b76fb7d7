"""The curated TikTok tables: daily metrics with followers, activity, viewers, content, snapshots.

new_followers is followers minus the previous calendar day's followers, both from
FollowerHistory (the file's own difference column is a day off); empty when either day is
unknown. engagement_rate = (likes + comments + shares) / video_views, empty when views are 0.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from common.series import EXTRACTED_AT
from tiktok.history import history_schema
from tiktok.settings import (
    CONTENT,
    CURATED_NAMES,
    DAILY_CURATED,
    FOLLOWER_ACTIVITY,
    FOLLOWER_GENDER,
    FOLLOWER_HISTORY,
    FOLLOWER_TERRITORIES,
    OVERVIEW,
    VIEWERS,
    Dataset,
)

DAILY = DAILY_CURATED
DAILY_COLUMNS = (
    "account",
    "artist",
    "date",
    "video_views",
    "profile_views",
    "likes",
    "comments",
    "shares",
    "engagement_rate",
    "followers",
    "new_followers",
)
PROVENANCE = (EXTRACTED_AT, "source_file")
# Curated file and its columns for each dataset published as it is staged.
TABLES: dict[Dataset, tuple[str, tuple[str, ...]]] = {
    FOLLOWER_ACTIVITY: (
        CURATED_NAMES[FOLLOWER_ACTIVITY.name],
        ("account", "artist", "date", "hour", "active_followers", *PROVENANCE),
    ),
    VIEWERS: (
        CURATED_NAMES[VIEWERS.name],
        (
            "account",
            "artist",
            "date",
            "total_viewers",
            "new_viewers",
            "returning_viewers",
            *PROVENANCE,
        ),
    ),
    CONTENT: (
        CURATED_NAMES[CONTENT.name],
        (
            "account",
            "artist",
            "date",
            "video_id",
            "video_title",
            "video_link",
            "posted_on",
            "likes",
            "comments",
            "shares",
            "views",
            *PROVENANCE,
        ),
    ),
    FOLLOWER_GENDER: (
        CURATED_NAMES[FOLLOWER_GENDER.name],
        ("account", "artist", "export_date", "gender", "distribution", *PROVENANCE),
    ),
    FOLLOWER_TERRITORIES: (
        CURATED_NAMES[FOLLOWER_TERRITORIES.name],
        ("account", "artist", "export_date", "territory", "distribution", *PROVENANCE),
    ),
}
SNAPSHOTS = (FOLLOWER_GENDER, FOLLOWER_TERRITORIES)


def followers_with_change(history: pl.DataFrame) -> pl.DataFrame:
    """(account, artist, date, followers, new_followers) from the follower history."""
    previous_day = pl.col("date").shift(1).over("account")
    previous = pl.col("followers").shift(1).over("account")
    return history.sort("account", "date").select(
        "account",
        "artist",
        "date",
        "followers",
        pl.when(pl.col("date") - previous_day == pl.duration(days=1))
        .then(pl.col("followers") - previous)
        .alias("new_followers"),
    )


def engagement_rate() -> pl.Expr:
    views = pl.col("video_views")
    engaged = pl.col("likes") + pl.col("comments") + pl.col("shares")
    return pl.when(views != 0).then(engaged / views).alias("engagement_rate")


def daily(overview: pl.DataFrame | None, history: pl.DataFrame | None) -> pl.DataFrame:
    """One row per account and day of either the overview or the follower history."""
    metrics = (overview if overview is not None else _empty(OVERVIEW)).select(
        "account", "artist", "date", *OVERVIEW.metrics
    )
    followers = followers_with_change(history if history is not None else _empty(FOLLOWER_HISTORY))
    joined = metrics.join(
        followers, on=["account", "date"], how="full", coalesce=True, suffix="_followers"
    ).with_columns(pl.coalesce("artist", "artist_followers").alias("artist"))
    return joined.with_columns(engagement_rate()).select(DAILY_COLUMNS).sort("account", "date")


def _empty(dataset: Dataset) -> pl.DataFrame:
    return pl.DataFrame(schema=history_schema(dataset))


def table(dataset: Dataset, history: pl.DataFrame) -> pl.DataFrame:
    """A staged history as its curated table (snapshots name their date export_date)."""
    _, columns = TABLES[dataset]
    keys = ["account", *dataset.keys]
    if dataset in SNAPSHOTS:
        history = history.rename({"date": "export_date"})
        keys = [key.replace("date", "export_date") for key in keys]
    return history.select(columns).sort(keys)


def curated_tables(staged: Mapping[Dataset, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """Every curated file that the staged datasets make, by file name."""
    tables = {
        TABLES[dataset][0]: table(dataset, history)
        for dataset, history in staged.items()
        if dataset in TABLES
    }
    if OVERVIEW in staged or FOLLOWER_HISTORY in staged:
        tables[DAILY] = daily(staged.get(OVERVIEW), staged.get(FOLLOWER_HISTORY))
    return tables

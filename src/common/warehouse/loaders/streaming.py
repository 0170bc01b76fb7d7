"""etl_streaming_performance: distributor daily streams; Spotify audience kept apart."""

from __future__ import annotations

import polars as pl

from common.warehouse.loaders.frames import check_columns, read_curated
from common.warehouse.loading import LoadContext, bulk_insert
from common.warehouse.models import DailyStreams, SpotifyAudienceDaily, table

# The shared daily streams file's count columns → the platform each counts.
PLATFORM_COLUMNS = {"spotify_streams": "Spotify", "apple_streams": "Apple Music"}
STREAM_COLUMNS = ("stream_date", "distributor", "platform_id", "streams", "source_file_id")


def load_daily_streams(ctx: LoadContext) -> int:
    """One row per (date, distributor, platform); combined_streams is derived, not stored.
    An empty count is a day the distributor did not report: no row, never 0 streams."""
    tidy = read_curated(ctx.path)
    check_columns(tidy, ("date", "source", *PLATFORM_COLUMNS), ctx.path.name)
    platforms = ctx.dimensions.platforms(PLATFORM_COLUMNS.values())
    long = pl.concat(
        tidy.select(
            pl.col("date").alias("stream_date"),
            pl.col("source").alias("distributor"),
            pl.lit(platforms[name]).alias("platform_id"),
            pl.col(column).cast(pl.Int64, strict=True).alias("streams"),
            pl.lit(ctx.source_file_id).alias("source_file_id"),
        )
        for column, name in PLATFORM_COLUMNS.items()
    ).filter(pl.col("streams").is_not_null())
    return bulk_insert(ctx.connection, table(DailyStreams), STREAM_COLUMNS, long)


AUDIENCE_COLUMNS = (
    "audience_date", "artist_id", "listeners", "streams", "followers", "streams_28d",
    "source_file_id",
)  # fmt: skip


def load_spotify_audience(ctx: LoadContext) -> int:
    audience = read_curated(ctx.path)
    check_columns(audience, ("date", "artist", "listeners", "streams", "followers"), ctx.path.name)
    artists = {name: ctx.dimensions.artist(name) for name in audience["artist"].unique().to_list()}
    counts = ("listeners", "streams", "followers", "streams_28d")
    rows = audience.select(
        pl.col("date").alias("audience_date"),
        pl.col("artist").replace_strict(artists, return_dtype=pl.Int64).alias("artist_id"),
        *[
            pl.col(c).cast(pl.Int64, strict=True) if c in audience.columns else pl.lit(None)
            for c in counts
        ],
        pl.lit(ctx.source_file_id).alias("source_file_id"),
    )
    return bulk_insert(ctx.connection, table(SpotifyAudienceDaily), AUDIENCE_COLUMNS, rows)

"""YouTube in the warehouse, beside `social_daily` (which holds the channel's views, likes,
shares, subscriber count and net new subscribers per day, platform "YouTube"): the channel's
other daily metrics, the videos, and each video's daily metrics.

YouTube views are YouTube's own plays: never add them to `daily_streams` (distributors) nor to
the "YouTube (Ads)" royalty units of `royalty_lines`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Connection,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from common.warehouse.models import Base, table

# Minutes watched may be fractional (Reporting API): exact to 4 decimals.
MINUTES = Numeric(20, 4)


class YouTubeChannelDaily(Base):
    """The channel's per-day metrics that social_daily has no column for."""

    __tablename__ = "youtube_channel_daily"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    activity_date: Mapped[date] = mapped_column(Date, unique=True)
    minutes_watched: Mapped[Decimal | None] = mapped_column(MINUTES)
    average_view_duration_seconds: Mapped[int | None] = mapped_column(Integer)
    subscribers_gained: Mapped[int | None] = mapped_column(BigInteger)
    subscribers_lost: Mapped[int | None] = mapped_column(BigInteger)
    source_file_id: Mapped[int] = mapped_column(ForeignKey("source_files.id"), index=True)


class YouTubeVideo(Base):
    """A video of the channel, by YouTube's 11-character id; the title is the newest seen."""

    __tablename__ = "youtube_videos"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    video_id: Mapped[str] = mapped_column(String(20), unique=True)
    title: Mapped[str | None] = mapped_column(String(500))


class YouTubeVideoDaily(Base):
    __tablename__ = "youtube_video_daily"
    __table_args__ = (UniqueConstraint("video_ref", "activity_date"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    activity_date: Mapped[date] = mapped_column(Date, index=True)
    video_ref: Mapped[int] = mapped_column(ForeignKey("youtube_videos.id"), index=True)
    views: Mapped[int | None] = mapped_column(BigInteger)
    minutes_watched: Mapped[Decimal | None] = mapped_column(MINUTES)
    average_view_duration_seconds: Mapped[int | None] = mapped_column(Integer)
    likes: Mapped[int | None] = mapped_column(BigInteger)
    shares: Mapped[int | None] = mapped_column(BigInteger)
    subscribers_gained: Mapped[int | None] = mapped_column(BigInteger)
    subscribers_lost: Mapped[int | None] = mapped_column(BigInteger)
    source_file_id: Mapped[int] = mapped_column(ForeignKey("source_files.id"), index=True)


YOUTUBE_MODELS = (YouTubeChannelDaily, YouTubeVideo, YouTubeVideoDaily)


def create_youtube_tables(connection: Connection) -> None:
    """The YouTube tables; safe to run again."""
    for model in YOUTUBE_MODELS:
        table(model).create(connection, checkfirst=True)

"""Instagram in the warehouse beside `social_daily` (which holds its views, profile views,
likes, comments, shares and followers per account and day, platform "Instagram"): the metrics
only Instagram has per day, each post or reel with its newest metrics, and each one's metrics
as seen on each day it was pulled. Reach is never summed across days or posts: it counts
accounts, and the same account is reached again."""

from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, Connection, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from common.warehouse.models import Base, table


def _source() -> Mapped[int]:
    return mapped_column(ForeignKey("source_files.id"), index=True)


class InstagramDaily(Base):
    """Per account and day: what social_daily has no column for."""

    __tablename__ = "instagram_daily"
    __table_args__ = (UniqueConstraint("account", "activity_date"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account: Mapped[str] = mapped_column(String(100))
    activity_date: Mapped[date] = mapped_column(Date, index=True)
    reach: Mapped[int | None] = mapped_column(BigInteger)
    views_follower: Mapped[int | None] = mapped_column(BigInteger)
    views_non_follower: Mapped[int | None] = mapped_column(BigInteger)
    website_clicks: Mapped[int | None] = mapped_column(BigInteger)
    profile_links_taps: Mapped[int | None] = mapped_column(BigInteger)
    accounts_engaged: Mapped[int | None] = mapped_column(BigInteger)
    total_interactions: Mapped[int | None] = mapped_column(BigInteger)
    saves: Mapped[int | None] = mapped_column(BigInteger)
    source_file_id: Mapped[int] = _source()


class InstagramMedia(Base):
    """One post, reel or story: what it is, and its newest lifetime metrics."""

    __tablename__ = "instagram_media"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    media_id: Mapped[str] = mapped_column(String(40), unique=True)
    account: Mapped[str] = mapped_column(String(100))
    media_type: Mapped[str | None] = mapped_column(String(30))
    media_product_type: Mapped[str | None] = mapped_column(String(30))
    caption_excerpt: Mapped[str | None] = mapped_column(String(200))
    posted_at: Mapped[str | None] = mapped_column(String(30))
    posted_date: Mapped[date | None] = mapped_column(Date, index=True)
    permalink: Mapped[str | None] = mapped_column(String(300))
    metrics_date: Mapped[date] = mapped_column(Date)
    reach: Mapped[int | None] = mapped_column(BigInteger)
    views: Mapped[int | None] = mapped_column(BigInteger)
    likes: Mapped[int | None] = mapped_column(BigInteger)
    comments: Mapped[int | None] = mapped_column(BigInteger)
    saved: Mapped[int | None] = mapped_column(BigInteger)
    shares: Mapped[int | None] = mapped_column(BigInteger)
    source_file_id: Mapped[int] = _source()


class InstagramMediaDaily(Base):
    """A media's lifetime metrics as seen on one day (the day-to-day change is that day's)."""

    __tablename__ = "instagram_media_daily"
    __table_args__ = (UniqueConstraint("media_id", "snapshot_date"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    media_id: Mapped[str] = mapped_column(String(40), index=True)
    account: Mapped[str] = mapped_column(String(100))
    snapshot_date: Mapped[date] = mapped_column(Date, index=True)
    reach: Mapped[int | None] = mapped_column(BigInteger)
    views: Mapped[int | None] = mapped_column(BigInteger)
    likes: Mapped[int | None] = mapped_column(BigInteger)
    comments: Mapped[int | None] = mapped_column(BigInteger)
    saved: Mapped[int | None] = mapped_column(BigInteger)
    shares: Mapped[int | None] = mapped_column(BigInteger)
    source_file_id: Mapped[int] = _source()


INSTAGRAM_MODELS = (InstagramDaily, InstagramMedia, InstagramMediaDaily)


def create_instagram_tables(connection: Connection) -> None:
    """The Instagram tables; safe to run again."""
    for model in INSTAGRAM_MODELS:
        table(model).create(connection, checkfirst=True)

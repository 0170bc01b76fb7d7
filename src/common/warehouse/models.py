"""The warehouse schema (3NF). Dimensions first, then facts; every fact row names its source file.

Distributor streams (`daily_streams`) and Spotify-reported audience (`spotify_audience_daily`)
both count Spotify streams and are kept in separate tables on purpose: never add them. Use the
views `v_streams_daily_by_platform` (distributors only) and `v_spotify_audience` (Spotify only).

Money attributes keep their names (`RoyaltyLine.earnings_usd`) and read back as exact Decimal
dollars; their database columns say the unit stored, whole picodollars (`earnings_picousd`), and
the readable views (common.warehouse.views) show dollars beside the exact text.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ColumnElement,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    case,
    func,
    type_coerce,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from common.warehouse.types import Money, Percent


class Base(DeclarativeBase):
    pass


class Artist(Base):
    __tablename__ = "artists"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class ArtistAlias(Base):
    """Every spelling seen ('ZONE A0', 'zone.a0', 'Zone A0') points at one artist."""

    __tablename__ = "artist_aliases"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alias: Mapped[str] = mapped_column(String(200), unique=True)
    artist_id: Mapped[int] = mapped_column(ForeignKey("artists.id"), index=True)


class Platform(Base):
    """A store, social network or ad platform. An unknown store becomes its own row."""

    __tablename__ = "platforms"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(40), default="store")


class Release(Base):
    __tablename__ = "releases"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    upc: Mapped[str] = mapped_column(String(20), unique=True)


class Track(Base):
    __tablename__ = "tracks"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    isrc: Mapped[str] = mapped_column(String(20), unique=True)
    title: Mapped[str | None] = mapped_column(String(500))
    release_id: Mapped[int | None] = mapped_column(ForeignKey("releases.id"), index=True)


class TrackArtist(Base):
    """Collaborations: one row per (track, artist)."""

    __tablename__ = "track_artists"
    __table_args__ = (UniqueConstraint("track_id", "artist_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    track_id: Mapped[int] = mapped_column(ForeignKey("tracks.id"), index=True)
    artist_id: Mapped[int] = mapped_column(ForeignKey("artists.id"), index=True)


class Territory(Base):
    """ISO 3166 alpha-2 codes, plus DistroKid's OU (other/unknown) and XK (Kosovo)."""

    __tablename__ = "territories"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)


class SourceFile(Base):
    """Lineage: one row per curated file loaded, with the content hash that was loaded."""

    __tablename__ = "source_files"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    path: Mapped[str] = mapped_column(String(500), unique=True)
    dataset: Mapped[str] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64))
    row_count: Mapped[int] = mapped_column(Integer)
    loaded_at: Mapped[datetime] = mapped_column(DateTime)


class OriginFile(Base):
    """Lineage below the curated file: the raw export a royalty line or an expense came from,
    named once here and by its id on each row (a path on every line was a third of
    royalty_lines). The readable views (`v_royalty_lines`, `v_expenses`) show the path."""

    __tablename__ = "origin_files"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    path: Mapped[str] = mapped_column(String(500), unique=True)


class EtlRun(Base):
    __tablename__ = "etl_runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(20))
    correlation_id: Mapped[str] = mapped_column(String(40))
    summary: Mapped[str] = mapped_column(Text, default="")


def _source() -> Mapped[int]:
    return mapped_column(ForeignKey("source_files.id"), index=True)


def _origin() -> Mapped[int | None]:
    """An `origin_files` id. No foreign key: PostgreSQL would validate it again after every
    large load, and lineage rows are never deleted. Nullable, as migration 13 adds it."""
    return mapped_column(Integer)


class DailyStreams(Base):
    """Distributor-reported daily streams per platform (DistroKid, TooLost)."""

    __tablename__ = "daily_streams"
    __table_args__ = (UniqueConstraint("stream_date", "distributor", "platform_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    stream_date: Mapped[date] = mapped_column(Date, index=True)
    distributor: Mapped[str] = mapped_column(String(40))
    platform_id: Mapped[int] = mapped_column(ForeignKey("platforms.id"), index=True)
    streams: Mapped[int] = mapped_column(BigInteger)
    source_file_id: Mapped[int] = _source()


class SpotifyAudienceDaily(Base):
    """Spotify for Artists audience, kept apart from distributor streams (never add the two)."""

    __tablename__ = "spotify_audience_daily"
    __table_args__ = (UniqueConstraint("artist_id", "audience_date"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    audience_date: Mapped[date] = mapped_column(Date, index=True)
    artist_id: Mapped[int] = mapped_column(ForeignKey("artists.id"), index=True)
    listeners: Mapped[int | None] = mapped_column(BigInteger)
    streams: Mapped[int | None] = mapped_column(BigInteger)
    followers: Mapped[int | None] = mapped_column(BigInteger)
    streams_28d: Mapped[int | None] = mapped_column(BigInteger)
    source_file_id: Mapped[int] = _source()


class RoyaltyLine(Base):
    """One DistroKid bank-details line item; negative earnings are royalty adjustments.

    One index: `reporting_date` (statements read a period, the newest date). Every figure by
    store, artist, track or territory reads the pre-aggregated groups
    (common.warehouse.aggregates), so an index per dimension would only make each load sort
    every line again (migration 12 drops them). Nor is `source_file_id` indexed (migration 14):
    one curated file feeds every line, so a reload deletes them all and the index only cost
    each load a sort of every line (PostgreSQL now checks a deleted `source_files` row, a
    retired curated file of any dataset, with one scan of the lines: rare)."""

    __tablename__ = "royalty_lines"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reporting_date: Mapped[date] = mapped_column(Date, index=True)
    sale_month: Mapped[str] = mapped_column(String(7))
    platform_id: Mapped[int] = mapped_column(ForeignKey("platforms.id"))
    artist_id: Mapped[int | None] = mapped_column(ForeignKey("artists.id"))
    track_id: Mapped[int | None] = mapped_column(ForeignKey("tracks.id"))
    release_id: Mapped[int | None] = mapped_column(ForeignKey("releases.id"))
    territory_id: Mapped[int | None] = mapped_column(ForeignKey("territories.id"))
    title: Mapped[str | None] = mapped_column(String(500))
    item_type: Mapped[str | None] = mapped_column(String(20))
    quantity: Mapped[int] = mapped_column(BigInteger)
    team_percentage: Mapped[Decimal | None] = mapped_column(Percent)
    earnings_usd: Mapped[Decimal] = mapped_column("earnings_picousd", Money)
    songwriter_royalties_withheld_usd: Mapped[Decimal | None] = mapped_column(
        "songwriter_royalties_withheld_picousd", Money
    )
    recoup_usd: Mapped[Decimal | None] = mapped_column("recoup_picousd", Money)
    origin_file_id: Mapped[int | None] = _origin()
    origin_row: Mapped[int] = mapped_column(Integer)
    source_file_id: Mapped[int] = mapped_column(ForeignKey("source_files.id"))


class Expense(Base):
    """A Capital One card transaction: a debit is an expense, a credit a refund or payment."""

    __tablename__ = "expenses"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    transaction_date: Mapped[date] = mapped_column(Date, index=True)
    posted_date: Mapped[date | None] = mapped_column(Date)
    card_last4: Mapped[str | None] = mapped_column(String(4))
    description: Mapped[str] = mapped_column(String(500))
    category: Mapped[str | None] = mapped_column(String(100), index=True)
    debit_usd: Mapped[Decimal | None] = mapped_column("debit_picousd", Money)
    credit_usd: Mapped[Decimal | None] = mapped_column("credit_picousd", Money)
    amount_usd: Mapped[Decimal] = mapped_column("amount_picousd", Money)
    kind: Mapped[str] = mapped_column(String(20))
    origin_file_id: Mapped[int | None] = _origin()
    origin_row: Mapped[int] = mapped_column(Integer)
    source_file_id: Mapped[int] = _source()


# The category Capital One files a payment of the card's balance under. Every other credit is a
# merchant's refund, which gives back part of what an expense cost.
CARD_PAYMENT_CATEGORY = "Payment/Credit"


def is_card_payment() -> ColumnElement[bool]:
    """Whether an `expenses` row pays the card's balance (money moved, nothing spent)."""
    return func.lower(func.coalesce(Expense.category, "")) == CARD_PAYMENT_CATEGORY.lower()


def card_spending() -> ColumnElement[Any]:
    """What an `expenses` row cost the label, exact (money, signed): its debit, less its credit
    (a refund gives the money back: a negative amount, in the month of the refund); a payment of
    the card costs nothing. Every figure of card expenses sums this, never the debits alone."""
    debit = func.coalesce(type_coerce(Expense.debit_usd, BigInteger), 0)
    credit = func.coalesce(type_coerce(Expense.credit_usd, BigInteger), 0)
    return type_coerce(case((is_card_payment(), 0), else_=debit - credit), Money)


class Campaign(Base):
    __tablename__ = "campaigns"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    external_id: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(500))
    platform_id: Mapped[int] = mapped_column(ForeignKey("platforms.id"), index=True)
    artist_id: Mapped[int | None] = mapped_column(ForeignKey("artists.id"), index=True)
    track: Mapped[str | None] = mapped_column(String(300))
    targeting: Mapped[str | None] = mapped_column(String(300))


class AdPerformanceDaily(Base):
    """Meta Ads per day at the level Meta reported (1 campaign, 2 ad set, 3 ad). Reach is as
    reported: never sum it across rows. Add spend through v_ad_spend (each day once, at one
    level, and periods only where no day is reported)."""

    __tablename__ = "ad_performance_daily"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    performance_date: Mapped[date] = mapped_column(Date, index=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    level_rank: Mapped[int] = mapped_column(Integer)
    adset_external_id: Mapped[str | None] = mapped_column(String(40))
    adset_name: Mapped[str | None] = mapped_column(String(500))
    ad_external_id: Mapped[str | None] = mapped_column(String(40))
    spend: Mapped[Decimal] = mapped_column("spend_picousd", Money)
    currency: Mapped[str] = mapped_column(String(3))
    impressions: Mapped[int | None] = mapped_column(BigInteger)
    clicks: Mapped[int | None] = mapped_column(BigInteger)
    link_clicks: Mapped[int | None] = mapped_column(BigInteger)
    reach: Mapped[int | None] = mapped_column(BigInteger)
    ctr_percent: Mapped[float | None] = mapped_column(Float)
    source_file_id: Mapped[int] = _source()


class AdPerformancePeriod(Base):
    """Meta Ads over a range of days (an Ads Manager export from "Reporting starts" to "Reporting
    ends", a pull without `time_increment=1`), at the level Meta reported. Never add these to
    the daily rows: `v_ad_spend` uses a range only for days no daily row covers, and of
    overlapping ranges only the narrowest. Reach is Meta's, deduplicated over the period."""

    __tablename__ = "ad_performance_period"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period_start: Mapped[date] = mapped_column(Date, index=True)
    period_end: Mapped[date] = mapped_column(Date, index=True)
    days: Mapped[int] = mapped_column(Integer)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    level_rank: Mapped[int] = mapped_column(Integer)
    adset_external_id: Mapped[str | None] = mapped_column(String(40))
    adset_name: Mapped[str | None] = mapped_column(String(500))
    ad_external_id: Mapped[str | None] = mapped_column(String(40))
    spend: Mapped[Decimal] = mapped_column("spend_picousd", Money)
    currency: Mapped[str | None] = mapped_column(String(3))
    impressions: Mapped[int | None] = mapped_column(BigInteger)
    clicks: Mapped[int | None] = mapped_column(BigInteger)
    link_clicks: Mapped[int | None] = mapped_column(BigInteger)
    reach: Mapped[int | None] = mapped_column(BigInteger)
    ctr_percent: Mapped[float | None] = mapped_column(Float)
    source_file_id: Mapped[int] = _source()


class AdAction(Base):
    __tablename__ = "ad_actions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action_date: Mapped[date] = mapped_column(Date, index=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    level_rank: Mapped[int] = mapped_column(Integer)
    adset_external_id: Mapped[str | None] = mapped_column(String(40))
    ad_external_id: Mapped[str | None] = mapped_column(String(40))
    action_type: Mapped[str] = mapped_column(String(200))
    value: Mapped[Decimal] = mapped_column("value_picousd", Money)
    source_file_id: Mapped[int] = _source()


class SocialDaily(Base):
    """TikTok per account and day."""

    __tablename__ = "social_daily"
    __table_args__ = (UniqueConstraint("platform_id", "account", "activity_date"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    activity_date: Mapped[date] = mapped_column(Date, index=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("platforms.id"), index=True)
    account: Mapped[str] = mapped_column(String(100))
    artist_id: Mapped[int | None] = mapped_column(ForeignKey("artists.id"), index=True)
    video_views: Mapped[int | None] = mapped_column(BigInteger)
    profile_views: Mapped[int | None] = mapped_column(BigInteger)
    likes: Mapped[int | None] = mapped_column(BigInteger)
    comments: Mapped[int | None] = mapped_column(BigInteger)
    shares: Mapped[int | None] = mapped_column(BigInteger)
    followers: Mapped[int | None] = mapped_column(BigInteger)
    new_followers: Mapped[int | None] = mapped_column(BigInteger)
    engagement_rate: Mapped[float | None] = mapped_column(Float)
    source_file_id: Mapped[int] = _source()


class LinkAnalyticsDaily(Base):
    __tablename__ = "link_analytics_daily"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    analytics_date: Mapped[date] = mapped_column(Date, unique=True)
    total_views: Mapped[int | None] = mapped_column(BigInteger)
    unique_views: Mapped[int | None] = mapped_column(BigInteger)
    total_clicks: Mapped[int | None] = mapped_column(BigInteger)
    unique_clicks: Mapped[int | None] = mapped_column(BigInteger)
    click_through_rate: Mapped[float | None] = mapped_column(Float)
    is_partial_day: Mapped[bool] = mapped_column(Boolean, default=False)
    source_file_id: Mapped[int] = _source()


# The v_ad_spend view (migration 4 gives it its readable columns): the Meta Ads rows whose spend
# may be added up, each day and each range counted once. On its own MetaData, so that no
# `create_all` makes it a table; `AD_SPEND.c.spend` is the exact spend (spend_picousd).
AD_SPEND: Table = Table(
    "v_ad_spend",
    MetaData(),
    Column("campaign_id", Integer),
    Column("campaign", String),
    Column("span_start", Date),
    Column("span_end", Date),
    Column("days", Integer),
    Column("span_kind", String),
    Column("level_rank", Integer),
    Column("adset_external_id", String),
    Column("ad_external_id", String),
    Column("spend_picousd", Money, key="spend"),
    Column("spend_usd", Float),
    Column("spend_exact", String),
    Column("currency", String),
    Column("link_clicks", BigInteger),
    Column("source_file_id", Integer),
)


def table(model: type[Base]) -> Table:
    """The Core table of a model (typed as a Table, unlike `table(Model)`)."""
    return Base.metadata.tables[model.__tablename__]


def database_columns(table: Table) -> dict[str, str]:
    """Attribute name -> database column name of the model mapped to `table`: a money attribute
    `earnings_usd` is the column `earnings_picousd` (a column without a model keeps its name)."""
    for mapper in Base.registry.mappers:
        if mapper.local_table is table:
            return {attribute.key: attribute.columns[0].name for attribute in mapper.column_attrs}
    return {}

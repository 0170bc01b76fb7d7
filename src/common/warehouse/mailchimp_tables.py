"""Mailchimp in the warehouse: email campaigns, audience growth per month, audience snapshots.

Rates are REAL fractions of 1 as Mailchimp reports them (0.5116 is 51.16 %); counts are whole.
Opens include Apple Mail's machine opens; the proxy-excluded columns leave them out.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Connection,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from common.warehouse.models import Base, table


def _source() -> Mapped[int]:
    return mapped_column(ForeignKey("source_files.id"), index=True)


def _count() -> Mapped[int | None]:
    return mapped_column(BigInteger)


class EmailCampaign(Base):
    """One sent campaign's report: the newest figures Mailchimp gave for it."""

    __tablename__ = "email_campaigns"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[str] = mapped_column(String(40), unique=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("platforms.id"), index=True)
    list_id: Mapped[str | None] = mapped_column(String(40), index=True)
    list_name: Mapped[str | None] = mapped_column(String(300))
    title: Mapped[str | None] = mapped_column(String(500))
    subject_line: Mapped[str | None] = mapped_column(String(500))
    campaign_type: Mapped[str | None] = mapped_column(String(40))
    send_time: Mapped[datetime | None] = mapped_column(DateTime)
    send_date: Mapped[date | None] = mapped_column(Date, index=True)
    emails_sent: Mapped[int | None] = _count()
    hard_bounces: Mapped[int | None] = _count()
    soft_bounces: Mapped[int | None] = _count()
    syntax_errors: Mapped[int | None] = _count()
    bounces: Mapped[int | None] = _count()
    opens_total: Mapped[int | None] = _count()
    unique_opens: Mapped[int | None] = _count()
    proxy_excluded_opens: Mapped[int | None] = _count()
    proxy_excluded_unique_opens: Mapped[int | None] = _count()
    clicks_total: Mapped[int | None] = _count()
    unique_clicks: Mapped[int | None] = _count()
    unique_subscriber_clicks: Mapped[int | None] = _count()
    unsubscribed: Mapped[int | None] = _count()
    abuse_reports: Mapped[int | None] = _count()
    open_rate: Mapped[float | None] = mapped_column(Float)
    proxy_excluded_open_rate: Mapped[float | None] = mapped_column(Float)
    click_rate: Mapped[float | None] = mapped_column(Float)
    source_file_id: Mapped[int] = _source()


class EmailListGrowth(Base):
    """One audience's month of growth, as Mailchimp's growth history reports it."""

    __tablename__ = "list_growth"
    __table_args__ = (UniqueConstraint("list_id", "month"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    list_id: Mapped[str] = mapped_column(String(40), index=True)
    month: Mapped[str] = mapped_column(String(7), index=True)
    existing: Mapped[int | None] = _count()
    imports: Mapped[int | None] = _count()
    optins: Mapped[int | None] = _count()
    subscribed: Mapped[int | None] = _count()
    unsubscribed: Mapped[int | None] = _count()
    reconfirm: Mapped[int | None] = _count()
    cleaned: Mapped[int | None] = _count()
    pending: Mapped[int | None] = _count()
    deleted: Mapped[int | None] = _count()
    transactional: Mapped[int | None] = _count()
    source_file_id: Mapped[int] = _source()


class EmailAudienceSnapshot(Base):
    """An audience's size on a day a pull saw it (Mailchimp tells only the current size)."""

    __tablename__ = "email_audience_snapshots"
    __table_args__ = (UniqueConstraint("list_id", "snapshot_date"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    list_id: Mapped[str] = mapped_column(String(40), index=True)
    list_name: Mapped[str | None] = mapped_column(String(300))
    snapshot_date: Mapped[date] = mapped_column(Date, index=True)
    member_count: Mapped[int | None] = _count()
    unsubscribe_count: Mapped[int | None] = _count()
    cleaned_count: Mapped[int | None] = _count()
    source_file_id: Mapped[int] = _source()


MAILCHIMP_MODELS: tuple[type[Base], ...] = (EmailCampaign, EmailListGrowth, EmailAudienceSnapshot)


def create_mailchimp_tables(connection: Connection) -> None:
    """The three Mailchimp tables; safe to run again."""
    for model in MAILCHIMP_MODELS:
        table(model).create(connection, checkfirst=True)

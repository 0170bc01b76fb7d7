"""Mailchimp's curated files into the warehouse: campaigns, growth months, audience snapshots."""

from __future__ import annotations

import polars as pl

from common.warehouse.loaders.frames import check_columns, read_curated
from common.warehouse.loading import LoadContext, bulk_insert
from common.warehouse.mailchimp_tables import (
    EmailAudienceSnapshot,
    EmailCampaign,
    EmailListGrowth,
)
from common.warehouse.models import table

PLATFORM, KIND = "Mailchimp", "email"
CAMPAIGN_TEXT = ("campaign_id", "list_id", "list_name", "title", "subject_line", "campaign_type")
CAMPAIGN_COUNTS = (
    "emails_sent", "hard_bounces", "soft_bounces", "syntax_errors", "bounces", "opens_total",
    "unique_opens", "proxy_excluded_opens", "proxy_excluded_unique_opens", "clicks_total",
    "unique_clicks", "unique_subscriber_clicks", "unsubscribed", "abuse_reports",
)  # fmt: skip
CAMPAIGN_RATES = ("open_rate", "proxy_excluded_open_rate", "click_rate")
GROWTH_COUNTS = (
    "existing", "imports", "optins", "subscribed", "unsubscribed", "reconfirm", "cleaned",
    "pending", "deleted", "transactional",
)  # fmt: skip
AUDIENCE_COUNTS = ("member_count", "unsubscribe_count", "cleaned_count")


def _counts(columns: tuple[str, ...]) -> list[pl.Expr]:
    return [pl.col(column).cast(pl.Int64, strict=True) for column in columns]


def _day(column: str) -> pl.Expr:
    """A day as ISO text, checked (dates travel to the driver as text, as in the other loaders)."""
    return pl.col(column).str.to_date("%Y-%m-%d", strict=True).dt.to_string("%Y-%m-%d")


def _utc_moment(column: str) -> pl.Expr:
    """An ISO time with its offset as naive UTC text, the form SQLAlchemy's DateTime reads."""
    moment = pl.col(column).str.to_datetime(time_zone="UTC", strict=True)
    return moment.dt.to_string("%Y-%m-%d %H:%M:%S.%6f").alias(column)


def _source(ctx: LoadContext) -> pl.Expr:
    return pl.lit(ctx.source_file_id).alias("source_file_id")


def load_email_campaigns(ctx: LoadContext) -> int:
    """Each campaign once (its newest report), send time in UTC, rates as fractions."""
    campaigns = read_curated(ctx.path)
    check_columns(campaigns, ("campaign_id", "send_time", *CAMPAIGN_COUNTS), ctx.path.name)
    mailchimp = ctx.dimensions.platforms([PLATFORM], kind=KIND)[PLATFORM]
    rows = campaigns.select(
        *CAMPAIGN_TEXT,
        pl.lit(mailchimp).alias("platform_id"),
        _utc_moment("send_time"),
        _day("send_date"),
        *_counts(CAMPAIGN_COUNTS),
        *[pl.col(column).cast(pl.Float64, strict=True) for column in CAMPAIGN_RATES],
        _source(ctx),
    )
    return bulk_insert(ctx.connection, table(EmailCampaign), rows.columns, rows)


def load_email_list_growth(ctx: LoadContext) -> int:
    growth = read_curated(ctx.path)
    check_columns(growth, ("list_id", "month", *GROWTH_COUNTS), ctx.path.name)
    rows = growth.select("list_id", "month", *_counts(GROWTH_COUNTS), _source(ctx))
    return bulk_insert(ctx.connection, table(EmailListGrowth), rows.columns, rows)


def load_email_audience(ctx: LoadContext) -> int:
    audience = read_curated(ctx.path)
    check_columns(audience, ("list_id", "snapshot_date", *AUDIENCE_COUNTS), ctx.path.name)
    rows = audience.select(
        "list_id", "list_name", _day("snapshot_date"), *_counts(AUDIENCE_COUNTS), _source(ctx)
    )
    return bulk_insert(ctx.connection, table(EmailAudienceSnapshot), rows.columns, rows)

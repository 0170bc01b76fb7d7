"""The money analytics tables (per-stream rates, reporting lag, expected against actual, what
each campaign bought, ad charges and net income) and their readable views.

They are derived: `common.money.refresh` rebuilds them whole from the royalty lines, daily
streams, expenses and ad spend, so they never disagree with the facts they come from. Money is
stored as whole picodollars like every fact table; the views show it as dollars (`*_usd`) and
as exact decimal text (`*_exact`). A rate is a fraction of a cent, kept as text with 15
decimals (`rate_exact`) beside a REAL (`rate_usd`) for charting tools.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    Connection,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from common.warehouse.models import Base
from common.warehouse.money_sql import readable_sql
from common.warehouse.types import Money


class MoneyStreamRate(Base):
    """Royalty per stream of one sale month at one level: a store in a country, a store, or all
    stores (`level`), with the trailing rate that predicts the month (see docs/money.md)."""

    __tablename__ = "money_stream_rates"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sale_month: Mapped[str] = mapped_column(String(7), index=True)
    level: Mapped[str] = mapped_column(String(20))
    platform_id: Mapped[int | None] = mapped_column(ForeignKey("platforms.id"), index=True)
    territory_id: Mapped[int | None] = mapped_column(ForeignKey("territories.id"))
    units: Mapped[int] = mapped_column(BigInteger)
    royalty_usd: Mapped[Decimal] = mapped_column("royalty_picousd", Money)
    rate_exact: Mapped[str | None] = mapped_column(String(40))
    rate_usd: Mapped[float | None] = mapped_column(Float)
    trailing_units: Mapped[int | None] = mapped_column(BigInteger)
    trailing_royalty_usd: Mapped[Decimal | None] = mapped_column("trailing_royalty_picousd", Money)
    trailing_rate_exact: Mapped[str | None] = mapped_column(String(40))
    trailing_rate_usd: Mapped[float | None] = mapped_column(Float)
    trailing_basis: Mapped[str | None] = mapped_column(String(40))


class MoneyReportingLag(Base):
    """How many months after the sale month a store's royalties reach the bank details."""

    __tablename__ = "money_reporting_lag"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform_id: Mapped[int | None] = mapped_column(ForeignKey("platforms.id"), unique=True)
    lines: Mapped[int] = mapped_column(BigInteger)
    min_months: Mapped[int] = mapped_column(Integer)
    median_months: Mapped[int] = mapped_column(Integer)
    high_months: Mapped[int] = mapped_column(Integer)
    high_percentile: Mapped[int] = mapped_column(Integer)
    max_months: Mapped[int] = mapped_column(Integer)


class MoneyExpectedActual(Base):
    """One sale month of one store: what the distributor's streams should have earned against
    what the bank details paid, and whether the month is still open."""

    __tablename__ = "money_expected_actual"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sale_month: Mapped[str] = mapped_column(String(7), index=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("platforms.id"), index=True)
    distributor_streams: Mapped[int] = mapped_column(BigInteger)
    rate_exact: Mapped[str | None] = mapped_column(String(40))
    rate_basis: Mapped[str | None] = mapped_column(String(40))
    expected_usd: Mapped[Decimal | None] = mapped_column("expected_picousd", Money)
    actual_usd: Mapped[Decimal] = mapped_column("actual_picousd", Money)
    actual_lines: Mapped[int] = mapped_column(BigInteger)
    actual_units: Mapped[int] = mapped_column(BigInteger)
    lag_months: Mapped[int] = mapped_column(Integer)
    judged_from: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))


class MoneyCampaignAttribution(Base):
    """What one Meta campaign bought: streams above the baseline, its share of them, its cost."""

    __tablename__ = "money_campaign_attribution"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), unique=True)
    window_start: Mapped[date] = mapped_column(Date)
    window_end: Mapped[date] = mapped_column(Date)
    days: Mapped[int] = mapped_column(Integer)
    spend_usd: Mapped[Decimal] = mapped_column("spend_picousd", Money)
    during_streams: Mapped[int | None] = mapped_column(BigInteger)
    baseline_streams: Mapped[int | None] = mapped_column(BigInteger)
    lift_streams: Mapped[int | None] = mapped_column(BigInteger)
    campaigns_sharing: Mapped[int] = mapped_column(Integer)
    incremental_streams: Mapped[int | None] = mapped_column(BigInteger)
    cost_per_incremental_usd: Mapped[Decimal | None] = mapped_column(
        "cost_per_incremental_picousd", Money
    )
    followers_gained: Mapped[int | None] = mapped_column(BigInteger)
    rate_exact: Mapped[str | None] = mapped_column(String(40))
    break_even_streams: Mapped[int | None] = mapped_column(BigInteger)


class MoneyAdCharge(Base):
    """A card charge the ad-charge rule picked out, and whether Meta's spend covers it."""

    __tablename__ = "money_ad_charges"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    expense_id: Mapped[int] = mapped_column(ForeignKey("expenses.id"), unique=True)
    matched: Mapped[bool] = mapped_column(Boolean)
    matched_spend_usd: Mapped[Decimal] = mapped_column("matched_spend_picousd", Money)


class MoneyNetIncome(Base):
    """One month: royalties received − card expenses − Meta ad spend, each counted once."""

    __tablename__ = "money_net_income"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[str] = mapped_column(String(7), unique=True)
    royalties_usd: Mapped[Decimal] = mapped_column("royalties_picousd", Money)
    expenses_usd: Mapped[Decimal] = mapped_column("expenses_picousd", Money)
    matched_ad_charges_usd: Mapped[Decimal] = mapped_column("matched_ad_charges_picousd", Money)
    ad_spend_usd: Mapped[Decimal] = mapped_column("ad_spend_picousd", Money)
    net_income_usd: Mapped[Decimal] = mapped_column("net_income_picousd", Money)


MONEY_TABLES = (
    MoneyStreamRate,
    MoneyReportingLag,
    MoneyExpectedActual,
    MoneyCampaignAttribution,
    MoneyAdCharge,
    MoneyNetIncome,
)


def _views(dialect: str) -> dict[str, str]:
    return {
        "v_stream_rates": f"""
SELECT r.sale_month AS sale_month, r.level AS level, p.name AS store, t.code AS country,
       r.units AS streams, {readable_sql("r.royalty_picousd", "royalty", dialect)},
       r.rate_usd AS rate_usd, r.rate_exact AS rate_exact,
       r.trailing_units AS trailing_streams,
       {readable_sql("r.trailing_royalty_picousd", "trailing_royalty", dialect)},
       r.trailing_rate_usd AS trailing_rate_usd, r.trailing_rate_exact AS trailing_rate_exact,
       r.trailing_basis AS trailing_basis
FROM money_stream_rates r
LEFT JOIN platforms p ON p.id = r.platform_id
LEFT JOIN territories t ON t.id = r.territory_id""",
        "v_reporting_lag": """
SELECT COALESCE(p.name, 'all stores') AS store, l.lines AS lines, l.min_months AS min_months,
       l.median_months AS median_months, l.high_months AS high_months,
       l.high_percentile AS high_percentile, l.max_months AS max_months
FROM money_reporting_lag l LEFT JOIN platforms p ON p.id = l.platform_id""",
        "v_expected_vs_actual": f"""
SELECT e.sale_month AS sale_month, p.name AS store, e.distributor_streams AS distributor_streams,
       e.rate_exact AS rate_exact, e.rate_basis AS rate_basis,
       {readable_sql("e.expected_picousd", "expected", dialect)},
       {readable_sql("e.actual_picousd", "actual", dialect)},
       e.actual_lines AS actual_lines, e.actual_units AS actual_units,
       e.lag_months AS lag_months, e.judged_from AS judged_from, e.status AS status
FROM money_expected_actual e JOIN platforms p ON p.id = e.platform_id""",
        "v_campaign_attribution": f"""
SELECT c.name AS campaign, r.name AS artist, c.track AS track, a.window_start AS window_start,
       a.window_end AS window_end, a.days AS days,
       {readable_sql("a.spend_picousd", "spend", dialect)},
       a.during_streams AS during_streams, a.baseline_streams AS baseline_streams,
       a.lift_streams AS lift_streams, a.campaigns_sharing AS campaigns_sharing,
       a.incremental_streams AS incremental_streams,
       {readable_sql("a.cost_per_incremental_picousd", "cost_per_incremental", dialect)},
       a.followers_gained AS followers_gained, a.rate_exact AS rate_exact,
       a.break_even_streams AS break_even_streams
FROM money_campaign_attribution a JOIN campaigns c ON c.id = a.campaign_id
LEFT JOIN artists r ON r.id = c.artist_id""",
        "v_ad_charges": f"""
SELECT x.transaction_date AS transaction_date, x.description AS description,
       {readable_sql("x.debit_picousd", "charge", dialect)}, m.matched AS matched,
       {readable_sql("m.matched_spend_picousd", "matched_spend", dialect)}
FROM money_ad_charges m JOIN expenses x ON x.id = m.expense_id""",
        "v_net_income": f"""
SELECT n.month AS month, {readable_sql("n.royalties_picousd", "royalties", dialect)},
       {readable_sql("n.expenses_picousd", "expenses", dialect)},
       {readable_sql("n.matched_ad_charges_picousd", "matched_ad_charges", dialect)},
       {readable_sql("n.ad_spend_picousd", "ad_spend", dialect)},
       {readable_sql("n.net_income_picousd", "net_income", dialect)}
FROM money_net_income n""",
    }


def create_money_tables(connection: Connection) -> None:
    """The money analytics tables and views; safe to run again (views are replaced)."""
    for model in MONEY_TABLES:
        Base.metadata.tables[model.__tablename__].create(connection, checkfirst=True)
    for name, body in _views(connection.dialect.name).items():
        connection.execute(text(f"DROP VIEW IF EXISTS {name}"))
        connection.execute(text(f"CREATE VIEW {name} AS {body}"))

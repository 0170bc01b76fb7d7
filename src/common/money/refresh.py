"""Rebuild the money analytics tables from the warehouse's facts, in one transaction.

The tables are derived, never edited: every refresh recomputes them whole (GROUP BY in SQL with
exact sums, then a few thousand keys in Python), so a reloaded or corrected export changes them
on the next refresh. The report (step 6) and `bedrot reconcile` refresh them before reading.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, delete, insert, inspect, select

from common.money.analytics_settings import MoneyRules
from common.money.attribution import (
    Attribution,
    attribute,
    campaign_windows,
    catalogue_streams_by_day,
    followers_by_artist,
)
from common.money.net_income import (
    ChargeMatch,
    MonthIncome,
    campaign_spend_by_day,
    card_expenses,
    match_ad_charges,
    net_income_by_month,
    royalties_by_reporting_month,
    total_by_day,
)
from common.money.rates import (
    Earned,
    Key,
    Rate,
    TrailingRates,
    level_of,
    rate_rows,
    rolled_up,
    streaming_earnings,
)
from common.money.reconcile import (
    ExpectedActual,
    ReportingLag,
    distributor_streams,
    expected_against_actual,
    reporting_lags,
)
from common.warehouse.models import Base, Campaign, Platform, Territory, table
from common.warehouse.money_tables import (
    MONEY_TABLES,
    MoneyAdCharge,
    MoneyCampaignAttribution,
    MoneyExpectedActual,
    MoneyNetIncome,
    MoneyReportingLag,
    MoneyStreamRate,
    create_money_tables,
)


@dataclass(frozen=True)
class MoneyAnalytics:
    """Everything one refresh computed, for the report and the reconcile command."""

    rates: list[tuple[Key, Earned, Rate | None, Rate | None, Earned]]
    lags: dict[str | None, ReportingLag]
    expected: list[ExpectedActual]
    attributions: list[Attribution]
    ad_charges: list[ChargeMatch]
    net_income: list[MonthIncome]


def compute_money_analytics(
    connection: Connection, rules: MoneyRules, today: date
) -> MoneyAnalytics:
    monthly = rolled_up(streaming_earnings(connection, rules))
    trailing = TrailingRates(monthly, rules)
    lags = reporting_lags(connection, rules)
    expected = expected_against_actual(
        distributor_streams(connection, rules), monthly, trailing, lags, rules, today
    )
    spend = campaign_spend_by_day(connection)
    artists = {int(i): a for i, a in connection.execute(select(Campaign.id, Campaign.artist_id))}
    attributions = attribute(
        campaign_windows(spend, artists),
        catalogue_streams_by_day(connection),
        followers_by_artist(connection),
        lambda month: trailing.rate(month, None, None),
    )
    daily_spend = total_by_day(spend)
    charges = card_expenses(connection)
    matches = match_ad_charges(charges, daily_spend, rules.ad_charges)
    income = net_income_by_month(
        royalties_by_reporting_month(connection), charges, matches, daily_spend
    )
    return MoneyAnalytics(
        list(rate_rows(monthly, trailing)), lags, expected, attributions, matches, income
    )


def _ids(connection: Connection, model: type[Platform] | type[Territory]) -> dict[str, int]:
    name = Platform.name if model is Platform else Territory.code
    return {str(n): int(i) for i, n in connection.execute(select(model.id, name))}


def _rate_values(
    analytics: MoneyAnalytics, stores: dict[str, int], countries: dict[str, int]
) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for (month, store, country), earned, own, trailing, window in analytics.rates:
        rows.append(
            {
                "sale_month": month,
                "level": level_of(store, country),
                "platform_id": stores.get(store) if store is not None else None,
                "territory_id": countries.get(country) if country else None,
                "units": earned.units,
                "royalty_usd": earned.royalty,
                "rate_exact": own.text if own else None,
                "rate_usd": float(own.per_stream) if own else None,
                "trailing_units": trailing.units if trailing else window.units,
                "trailing_royalty_usd": trailing.royalty if trailing else window.royalty,
                "trailing_rate_exact": trailing.text if trailing else None,
                "trailing_rate_usd": float(trailing.per_stream) if trailing else None,
                "trailing_basis": trailing.basis if trailing else None,
            }
        )
    return rows


def _platform_id(connection: Connection, stores: dict[str, int], name: str) -> int:
    """The store's platform row, made when the distributors name a store no line has yet."""
    if name not in stores:
        stores[name] = int(
            connection.execute(
                insert(Platform).values(name=name, kind="store").returning(Platform.id)
            ).scalar_one()
        )
    return stores[name]


def _by_column(model: type[Base], rows: Sequence[Mapping[str, object]]) -> list[dict[str, object]]:
    """Rows keyed by attribute (`royalty_usd`) → keyed by database column (`royalty_picousd`)."""
    names = {attr.key: attr.columns[0].key for attr in inspect(model).column_attrs}
    return [{names[key]: value for key, value in row.items()} for row in rows]


def write_money_tables(connection: Connection, analytics: MoneyAnalytics) -> None:
    """Replace every money analytics table's rows with `analytics`."""
    create_money_tables(connection)
    for model in reversed(MONEY_TABLES):
        connection.execute(delete(table(model)))
    stores, countries = _ids(connection, Platform), _ids(connection, Territory)
    rates = _rate_values(analytics, stores, countries)
    lags = [
        {"platform_id": stores.get(lag.store) if lag.store else None, "lines": lag.lines,
         "min_months": lag.min_months, "median_months": lag.median_months,
         "high_months": lag.high_months, "high_percentile": lag.high_percentile,
         "max_months": lag.max_months}
        for lag in analytics.lags.values()
    ]  # fmt: skip
    expected = [
        {"sale_month": e.sale_month, "platform_id": _platform_id(connection, stores, e.store),
         "distributor_streams": e.distributor_streams,
         "rate_exact": e.rate.text if e.rate else None,
         "rate_basis": e.rate.basis if e.rate else None, "expected_usd": e.expected,
         "actual_usd": e.actual.royalty, "actual_lines": e.actual.lines,
         "actual_units": e.actual.units, "lag_months": e.lag_months,
         "judged_from": e.judged_from, "status": e.status}
        for e in analytics.expected
    ]  # fmt: skip
    attributions = [
        {"campaign_id": a.campaign.campaign_id, "window_start": a.campaign.start,
         "window_end": a.campaign.end, "days": a.campaign.days, "spend_usd": a.campaign.spend,
         "during_streams": a.lift.during, "baseline_streams": a.lift.baseline,
         "lift_streams": a.lift.incremental, "campaigns_sharing": a.campaigns_sharing,
         "incremental_streams": a.incremental,
         "cost_per_incremental_usd": a.cost_per_incremental,
         "followers_gained": a.followers_gained, "rate_exact": a.rate.text if a.rate else None,
         "break_even_streams": a.break_even_streams}
        for a in analytics.attributions
    ]  # fmt: skip
    charges = [
        {"expense_id": m.charge.expense_id, "matched": m.matched,
         "matched_spend_usd": m.matched_spend}
        for m in analytics.ad_charges
    ]  # fmt: skip
    income = [
        {"month": m.month, "royalties_usd": m.royalties, "expenses_usd": m.expenses,
         "matched_ad_charges_usd": m.matched_ad_charges, "ad_spend_usd": m.ad_spend,
         "net_income_usd": m.net_income}
        for m in analytics.net_income
    ]  # fmt: skip
    for model, values in (
        (MoneyStreamRate, rates),
        (MoneyReportingLag, lags),
        (MoneyExpectedActual, expected),
        (MoneyCampaignAttribution, attributions),
        (MoneyAdCharge, charges),
        (MoneyNetIncome, income),
    ):
        if values:
            connection.execute(insert(table(model)), _by_column(model, values))


def refresh_money_tables(connection: Connection, rules: MoneyRules, today: date) -> MoneyAnalytics:
    """Compute the money analytics as of `today` and store them; returns what was stored."""
    analytics = compute_money_analytics(connection, rules, today)
    write_money_tables(connection, analytics)
    return analytics

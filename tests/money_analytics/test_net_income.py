"""Net income per month, with Meta's card charges counted once."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import Engine

from common.dashboard.kpis.filters import Filters
from common.dashboard.kpis.marketing import campaigns
from common.money.analytics_settings import MoneyRules
from common.money.net_income import spread_over_days
from common.money.refresh import refresh_money_tables
from common.warehouse.summary import card_expenses_total as summarize_connection
from tests.money_analytics.conftest import Facts


def test_a_matched_facebk_charge_is_counted_once(engine: Engine, facts: Facts) -> None:
    campaign = facts.campaign("ZONE A0 - Track - US")
    for offset in range(10):
        facts.ad_day(campaign, date(2025, 1, 10) + timedelta(days=offset), "10.00")
    facts.expense(date(2025, 1, 21), "FACEBK *ADS 650-5434800 CA", "100.00")
    facts.expense(date(2025, 1, 22), "GUITAR CENTER", "20.00")
    facts.expense(date(2025, 3, 5), "FACEBK *XYZ", "30.00")  # no Meta spend anywhere near it
    facts.royalty("Spotify", "2024-11", "2025-01-15", 100_000, "500.00")
    facts.save()

    with engine.begin() as connection:
        analytics = refresh_money_tables(connection, MoneyRules(), date(2025, 6, 1))

    matched = {m.charge.description: m.matched for m in analytics.ad_charges}
    assert matched == {"FACEBK *ADS 650-5434800 CA": True, "FACEBK *XYZ": False}
    january = analytics.net_income[0]
    assert (january.month, january.expenses, january.ad_spend) == (
        "2025-01", Decimal("20.00"), Decimal("100.00"),
    )  # fmt: skip
    assert january.net_income == Decimal("380.00")  # 500 − 20 − 100, the $100 charge once
    march = sqlite3.connect(engine.url.database).execute(
        "SELECT expenses_exact, net_income_exact FROM v_net_income WHERE month = '2025-03'"
    )
    assert march.fetchall() == [("30.000000000000", "-30.000000000000")]


def test_a_refund_gives_its_money_back_and_a_card_payment_is_neither_income_nor_expense(
    engine: Engine, facts: Facts
) -> None:
    facts.expense(date(2025, 3, 2), "GUITAR CENTER #12", "499.99", "Merchandise")
    facts.expense(date(2025, 3, 3), "SPLICE.COM", "12.99", "Other Services")
    facts.credit(date(2025, 3, 9), "GUITAR CENTER #12", "499.99", "Merchandise")  # returned
    facts.credit(date(2025, 3, 20), "CAPITAL ONE MOBILE PYMT", "512.98", "Payment/Credit")
    facts.credit(date(2025, 4, 2), "SPLICE.COM", "2.50", "Other Services")  # a later partial one
    facts.save()

    with engine.begin() as connection:
        analytics = refresh_money_tables(connection, MoneyRules(), date(2025, 6, 1))
        summary = summarize_connection(connection)

    expenses = {m.month: m.expenses for m in analytics.net_income}
    assert expenses == {"2025-03": Decimal("12.99"), "2025-04": Decimal("-2.50")}
    assert summary == Decimal("10.49")
    months = sqlite3.connect(engine.url.database).execute(
        "SELECT month, expenses_exact, net_income_exact FROM v_net_income ORDER BY month"
    )
    assert months.fetchall() == [
        ("2025-03", "12.990000000000", "-12.990000000000"),
        ("2025-04", "-2.500000000000", "2.500000000000"),
    ]


def test_a_range_of_spend_is_split_over_its_days_and_months_exactly(
    engine: Engine, facts: Facts
) -> None:
    campaign = facts.campaign("ZONE A0 - Other - EU")
    facts.ad_range(campaign, date(2025, 1, 30), date(2025, 2, 1), "0.10")
    facts.save()

    with engine.begin() as connection:
        analytics = refresh_money_tables(connection, MoneyRules(), date(2025, 6, 1))

    months = {m.month: m.ad_spend for m in analytics.net_income}
    assert months == {"2025-01": Decimal("0.066666666667"), "2025-02": Decimal("0.033333333333")}
    assert sum(spread_over_days(date(2025, 1, 1), 7, Decimal("1")).values()) == Decimal("1")


def test_spend_of_an_ad_account_in_euros_is_in_no_dollar_figure(
    engine: Engine, facts: Facts
) -> None:
    dollars, euros = facts.campaign("ZONE A0 - Track - US"), facts.campaign("ZONE A0 - Track - EU")
    facts.ad_day(dollars, date(2025, 5, 2), "10.00")
    facts.ad_day(euros, date(2025, 5, 2), "40.00", currency="EUR")
    facts.ad_day(euros, date(2025, 5, 3), "5.00", currency="")  # the API gave no currency
    facts.save()

    with engine.begin() as connection:
        analytics = refresh_money_tables(connection, MoneyRules(), date(2025, 6, 1))
        table = campaigns(connection, Filters())

    assert [(m.month, m.ad_spend) for m in analytics.net_income] == [("2025-05", Decimal("15.00"))]
    assert {row["campaign"]: row["spend"] for row in table} == {
        "ZONE A0 - Track - EU": "$5.00",
        "ZONE A0 - Track - US": "$10.00",
    }


def test_net_income_stops_at_the_last_month_the_card_export_covers(
    engine: Engine, facts: Facts
) -> None:
    """A month after the card export's last transaction has its royalties but no expenses yet:
    its net income would look like profit, so it is left out until the card's month comes."""
    facts.expense(date(2025, 1, 20), "GUITAR CENTER", "300.00")
    facts.royalty("Spotify", "2024-11", "2025-01-15", 100_000, "200.00")
    facts.royalty("Spotify", "2024-12", "2025-02-15", 100_000, "250.00")
    facts.save()

    with engine.begin() as connection:
        analytics = refresh_money_tables(connection, MoneyRules(), date(2025, 6, 1))

    assert [(m.month, m.net_income) for m in analytics.net_income] == [
        ("2025-01", Decimal("-100.00"))
    ]

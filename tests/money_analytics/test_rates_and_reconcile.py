"""Per-stream rates with their fallback, reporting lag, and expected against actual."""

from __future__ import annotations

import sqlite3
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine

from common.lake import Lake
from common.money.analytics_settings import MoneyConfigError, MoneyRules, rules_from
from common.money.rates import ALL_STORES, STORE, STORE_COUNTRY
from common.money.reconcile_command import reconcile_command
from common.money.refresh import MoneyAnalytics, refresh_money_tables
from common.warehouse.database import DEFAULT_SQLITE, make_engine, migrate
from tests.money_analytics.conftest import Facts

RULES = MoneyRules()


def refresh(engine: Engine, today: date, rules: MoneyRules = RULES) -> MoneyAnalytics:
    with engine.begin() as connection:
        return refresh_money_tables(connection, rules, today)


def trailing(analytics: MoneyAnalytics, month: str, store: str | None, country: str | None):
    for key, _, _, rate, _ in analytics.rates:
        if key == (month, store, country):
            return rate
    raise AssertionError(f"no rate row for {month} {store} {country}")


def test_trailing_rate_falls_back_from_country_to_store_to_all(
    engine: Engine, facts: Facts
) -> None:
    for month in ("2025-01", "2025-02", "2025-03", "2025-04"):
        facts.royalty("Spotify", month, "2025-06-01", 2000, "6.00", "US")
        facts.royalty("Spotify", month, "2025-06-01", 10, "0.05", "FR")
        facts.royalty("Tidal", month, "2025-06-01", 5, "0.06", "US")
        # Downloads and album lines are sold, not streamed: never part of a rate.
        facts.royalty("iTunes Songs", month, "2025-06-01", 1, "0.70", "US")
        facts.royalty("Spotify", month, "2025-06-01", 1, "5.00", "US", item_type="Album")
    facts.save()

    analytics = refresh(engine, date(2025, 7, 1))

    us = trailing(analytics, "2025-04", "Spotify", "US")
    assert (us.basis, us.text) == (STORE_COUNTRY, "0.003000000000000")
    fr = trailing(analytics, "2025-04", "Spotify", "FR")  # 30 streams < 1000: the store's rate
    assert fr.basis == STORE and (fr.units, fr.royalty) == (6030, Decimal("18.15"))
    tidal = trailing(analytics, "2025-04", "Tidal", "US")  # 15 streams: all stores
    assert tidal.basis == ALL_STORES and (tidal.units, tidal.royalty) == (6045, Decimal("18.33"))
    assert trailing(analytics, "2025-04", None, None).units == 6045  # no download, no album

    rows = (
        sqlite3.connect(engine.url.database)
        .execute(
            "SELECT rate_exact, rate_usd, royalty_exact FROM v_stream_rates "
            "WHERE sale_month = '2025-02' AND store = 'Spotify' AND country = 'US'"
        )
        .fetchall()
    )
    assert rows == [("0.003000000000000", 0.003, "6.000000000000")]


def test_reporting_lag_is_the_spread_of_reporting_month_minus_sale_month(
    engine: Engine, facts: Facts
) -> None:
    for _ in range(8):
        facts.royalty("Spotify", "2025-01", "2025-02-20", 10, "0.03")
    for _ in range(2):
        facts.royalty("Spotify", "2025-01", "2025-04-20", 10, "0.03")
    facts.royalty("Deezer", "2025-01", "2025-01-25", 10, "0.03")
    facts.save()

    lags = refresh(engine, date(2025, 7, 1)).lags

    spotify = lags["Spotify"]
    assert (spotify.min_months, spotify.median_months, spotify.high_months) == (1, 1, 3)
    assert (lags["Deezer"].high_months, lags[None].lines) == (0, 11)


def _paid_months(facts: Facts, months: list[str], share: str = "1") -> None:
    """Spotify streams 1,000 a day; each month paid at $0.003 a stream, two months later."""
    for month in months:
        facts.month_of_streams("Spotify", month, 1000)
    for month in months[:-1]:
        reported = {"2025-01": "2025-03-15", "2025-02": "2025-04-15", "2025-03": "2025-05-15"}
        units = 1000 * (31 if month != "2025-02" else 28)
        earned = Decimal(units) * Decimal("0.003") * Decimal(share)
        facts.royalty("Spotify", month, reported[month], units, str(earned))


def _status(analytics: MoneyAnalytics, month: str) -> str:
    return next(e.status for e in analytics.expected if e.sale_month == month)


def test_a_month_whose_bank_details_never_arrive_is_missing_after_its_lag(
    engine: Engine, facts: Facts
) -> None:
    _paid_months(facts, ["2025-01", "2025-02", "2025-03", "2025-04"])
    facts.save()

    before = refresh(engine, date(2025, 6, 30))  # lag 2: April is due by the end of June
    assert _status(before, "2025-04") == "open"
    assert [_status(before, m) for m in ("2025-01", "2025-02")] == ["reconciled"] * 2

    after = refresh(engine, date(2025, 7, 1))
    assert _status(after, "2025-04") == "missing"
    april = next(e for e in after.expected if e.sale_month == "2025-04")
    assert april.expected == Decimal("90.000000000000")  # 30,000 streams × $0.003
    view = sqlite3.connect(engine.url.database).execute(
        "SELECT status, expected_usd, actual_usd FROM v_expected_vs_actual "
        "WHERE sale_month = '2025-04' AND store = 'Spotify'"
    )
    assert view.fetchall() == [("missing", 90.0, 0.0)]


@pytest.mark.parametrize(("share", "status"), [("0.5", "under-reported"), ("0.85", "reconciled")])
def test_under_reported_beyond_the_tolerance(
    engine: Engine, facts: Facts, share: str, status: str
) -> None:
    _paid_months(facts, ["2025-01", "2025-02", "2025-03", "2025-04"])
    facts.royalty("Spotify", "2025-04", "2025-06-15", 1000, "0.001")
    units, paid = 30_000, Decimal(30_000) * Decimal("0.003") * Decimal(share)
    facts.royalty("Spotify", "2025-04", "2025-06-15", units - 1000, str(paid - Decimal("0.001")))
    facts.save()

    analytics = refresh(engine, date(2025, 8, 1))

    assert _status(analytics, "2025-04") == status


def test_reconcile_command_prints_each_store_month(tmp_path: Path) -> None:
    lake = Lake(tmp_path)
    (tmp_path / "config").mkdir()
    assert reconcile_command(lake) == 1  # no warehouse yet
    engine = make_engine("sqlite:///" + (tmp_path / DEFAULT_SQLITE).as_posix())
    migrate(engine)
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        facts = Facts(session)
        _paid_months(facts, ["2025-01", "2025-02", "2025-03", "2025-04"])
        facts.save()
    engine.dispose()
    out = tmp_path / "out.txt"
    with out.open("w", encoding="utf-8") as stream:
        assert reconcile_command(lake, months=2, today=date(2025, 7, 1), stream=stream) == 0
    printed = out.read_text(encoding="utf-8")
    assert "missing" in printed and "2025-04" in printed and "2025-01" not in printed


def test_a_wrong_setting_is_refused_in_one_sentence() -> None:
    with pytest.raises(MoneyConfigError, match="\"tolerance_percent\" is 'lots'"):
        rules_from({"tolerance_percent": "lots"})
    with pytest.raises(MoneyConfigError, match='"trailing_month" is not a money setting'):
        rules_from({"trailing_month": 3})
    mapped = rules_from({"stream_platforms": {"Apple Music": "Apple Music (Streaming)"}})
    assert mapped.store_for_platform("Apple Music") == "Apple Music (Streaming)"
    assert mapped.store_for_platform("Spotify") == "Spotify"

"""The step-6 report's money section."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from common.lake import Lake
from common.reports.build import build_report
from common.warehouse.database import DEFAULT_SQLITE, make_engine, migrate
from tests.money_analytics.conftest import Facts


@pytest.fixture(autouse=True)
def lake_warehouse(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WAREHOUSE_URL", raising=False)


def _money_section(page: Path) -> str:
    match = re.search(r'<section class="money" id="money">.*?</section>', page.read_text("utf-8"))
    assert match, "the page has no money section"
    return match[0]


def test_without_a_warehouse_the_money_section_says_no_data_yet(lake: Lake) -> None:
    section = _money_section(build_report(lake, datetime(2025, 7, 1, 8)).page)
    assert "No money figures yet: there is no warehouse" in section


def test_the_money_section_shows_rates_statuses_campaigns_and_net_income(lake: Lake) -> None:
    engine = make_engine("sqlite:///" + (lake.root / DEFAULT_SQLITE).as_posix())
    migrate(engine)
    with Session(engine) as session:
        facts = Facts(session)
        for month in ("2025-01", "2025-02", "2025-03"):
            facts.month_of_streams("Spotify", month, 1000)
        facts.royalty("Spotify", "2025-01", "2025-03-15", 31_000, "93.00")
        facts.royalty("Spotify", "2025-02", "2025-04-15", 28_000, "84.00")
        campaign = facts.campaign("ZONE A0 - Track - US")
        facts.ad_day(campaign, date(2025, 2, 10), "25.00")
        facts.save()
    engine.dispose()

    section = _money_section(build_report(lake, datetime(2025, 7, 1, 8)).page)

    assert 'data-money="rates"' in section and "0.003000000000000" in section
    assert "<td>missing</td>" in section  # March: streams counted, no bank details after lag 2
    assert "<td>reconciled</td>" in section
    assert "ZONE A0 - Track - US" in section and "$25.00" in section
    assert "<td>2025-03</td><td>$93.00</td>" in section  # January's royalties, reported in March
    assert "<td>-$25.00</td>" in section  # February: the ad spend alone, the sign before the $
    assert "No data yet" not in section

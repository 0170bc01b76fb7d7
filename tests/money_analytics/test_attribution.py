"""What the ads bought: lift over the baseline, shared by spend, never above the lift."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from common.money.analytics_settings import MoneyRules
from common.money.attribution import CampaignSpend, attribute, measure_lift, overlapping_groups
from common.money.refresh import refresh_money_tables
from tests.money_analytics.conftest import Facts

START = date(2025, 3, 1)


def test_a_campaign_is_credited_with_the_streams_above_its_baseline(
    engine: Engine, facts: Facts
) -> None:
    for month in ("2025-01", "2025-02"):  # a trailing rate of $0.004 a stream
        facts.royalty("Spotify", month, "2025-03-20", 10_000, "40.00")
    for offset in range(-5, 5):
        facts.streams("Spotify", START + timedelta(days=offset), 150 if offset >= 0 else 100)
    facts.followers("Zone A0", START - timedelta(days=1), 1000)
    facts.followers("Zone A0", START + timedelta(days=4), 1040)
    campaign = facts.campaign("ZONE A0 - Track - US", artist="Zone A0")
    for offset in range(5):
        facts.ad_day(campaign, START + timedelta(days=offset), "10.00")
    facts.save()

    with engine.begin() as connection:
        analytics = refresh_money_tables(connection, MoneyRules(), date(2025, 6, 1))

    (credited,) = analytics.attributions
    assert (credited.lift.during, credited.lift.baseline, credited.incremental) == (750, 500, 250)
    assert credited.cost_per_incremental == Decimal("0.2")  # $50 / 250 streams
    assert credited.followers_gained == 40
    assert credited.break_even_streams == 12_500  # $50 / $0.004
    row = sqlite3.connect(engine.url.database).execute(
        "SELECT campaign, incremental_streams, spend_exact, cost_per_incremental_usd "
        "FROM v_campaign_attribution"
    )
    assert row.fetchall() == [("ZONE A0 - Track - US", 250, "50.000000000000", 0.2)]


def test_a_fall_in_streams_credits_nothing() -> None:
    streams = {START + timedelta(days=n): 100 - n for n in range(-3, 3)}
    assert measure_lift(streams, START, START + timedelta(days=2)).incremental == 0


campaign_strategy = st.lists(
    st.tuples(
        st.integers(0, 40),  # first day of spend
        st.integers(1, 15),  # days
        st.decimals(Decimal("0"), Decimal("500"), places=2),
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=100, deadline=None)
@given(
    campaigns=campaign_strategy,
    daily=st.lists(st.integers(0, 5000), min_size=80, max_size=80),
)
def test_attributed_streams_never_exceed_the_lift(
    campaigns: list[tuple[int, int, Decimal]], daily: list[int]
) -> None:
    origin = date(2025, 1, 1)
    streams = {origin + timedelta(days=n): count for n, count in enumerate(daily)}
    spends = [
        CampaignSpend(i, None, origin + timedelta(30 + s), origin + timedelta(30 + s + d - 1), v)
        for i, (s, d, v) in enumerate(campaigns)
    ]
    credited = attribute(spends, streams, {}, lambda _: None)

    assert len(credited) == len(spends)
    for group in overlapping_groups(spends):
        ids = {c.campaign_id for c in group}
        start, end = min(c.start for c in group), max(c.end for c in group)
        days = (end - start).days + 1
        during = sum(streams.get(start + timedelta(n), 0) for n in range(days))
        baseline = sum(streams.get(start - timedelta(days - n), 0) for n in range(days))
        lift = max(0, during - baseline)
        shares = [a.incremental for a in credited if a.campaign.campaign_id in ids]
        assert all(share is not None and share >= 0 for share in shares)
        assert sum(s for s in shares if s is not None) <= lift
        assert sum(s for s in shares if s is not None) == lift  # all of it, shared out

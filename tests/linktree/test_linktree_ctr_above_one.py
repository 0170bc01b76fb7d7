"""A CTR above 1 is real (more clicks than views): the capture is curated, only warned about."""

from __future__ import annotations

import subprocess

import pytest

from common.lake import Lake
from tests.linktree.linktree_lake import (
    ANALYTICS,
    FIXTURES,
    LOCATIONS,
    REFERRERS,
    activity,
    analytics,
    breakdown,
    curated_rows,
    drop,
    drop_fixture,
    new_lake,
    run,
)
from tests.quarantine_support import quarantine_reason

CTR_ABOVE_ONE = FIXTURES / "graphql_ctr_above_one.json"
CAPTURE = "graphql_overview_20250309_200000.json"
NEGATIVE_CLICKS = "graphql_referrers_20250309_200100.json"
NEGATIVE_CTR = "graphql_overview_20250309_200200.json"


def _negative_clicks() -> object:
    """A referrer with a CTR above 1 (fine) and a negative click count (impossible)."""
    late_night = {**breakdown("t.co", 4, 1), "clickThroughRate": 1.5}
    negative = {**breakdown("x.com", 4, 1), "clicks": {"total": -1}}
    return analytics(referrers={"referrers": [late_night, negative]})


def _negative_ctr() -> object:
    day = activity("2025-03-09", 8, 9, clickThroughRate=-0.2)
    return analytics(overview={"timeseries": [day]})


@pytest.fixture(scope="module")
def captured(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Lake, list[subprocess.CompletedProcess[str]]]:
    lake = new_lake(tmp_path_factory.mktemp("ctr") / "lake")
    drop_fixture(lake, CTR_ABOVE_ONE, CAPTURE)
    drop(lake, NEGATIVE_CLICKS, _negative_clicks())
    drop(lake, NEGATIVE_CTR, _negative_ctr())
    return lake, run(lake)


def test_a_day_with_more_clicks_than_views_is_curated_with_its_ctr(
    captured: tuple[Lake, list[subprocess.CompletedProcess[str]]],
) -> None:
    lake, _ = captured
    rows = {row["date"]: row for row in curated_rows(lake, ANALYTICS)}

    day = rows["2025-03-09"]
    assert (day["total_views"], day["total_clicks"], day["ctr"]) == ("8", "9", "1.125")
    assert day["ctr_is_computed"] == "false"
    assert rows["2025-03-08"]["ctr"] == "0.4"


def test_referrers_and_countries_above_one_keep_their_ctr(
    captured: tuple[Lake, list[subprocess.CompletedProcess[str]]],
) -> None:
    lake, _ = captured

    referrers = {r["referrer"]: r["ctr"] for r in curated_rows(lake, REFERRERS)}
    countries = {r["name"]: r["ctr"] for r in curated_rows(lake, LOCATIONS)}

    assert referrers == {"instagram.com": "0.4", "linktr.ee": "1.9"}
    assert countries == {"Germany": "1.25"}
    assert all(
        r["source_file"] == f"1_landing/linktree/{CAPTURE}" for r in curated_rows(lake, REFERRERS)
    )


def test_a_ctr_above_one_is_warned_about_in_one_log_line(
    captured: tuple[Lake, list[subprocess.CompletedProcess[str]]],
) -> None:
    _, results = captured

    warnings = [line for line in results[0].stderr.splitlines() if "above 1" in line]

    assert len(warnings) == 1
    assert CAPTURE in warnings[0]
    assert "daily 2025-03-09 = 1.125" in warnings[0] and "referrers linktr.ee = 1.9" in warnings[0]


def test_a_negative_count_still_quarantines_the_capture(
    captured: tuple[Lake, list[subprocess.CompletedProcess[str]]],
) -> None:
    lake, _ = captured

    reason = quarantine_reason(lake, "linktree", NEGATIVE_CLICKS)

    assert reason["rule"] == "schema"
    assert "referrers.referrers[1].clicks.total = -1 fails 'is not negative'" in str(
        reason["what_failed"]
    )
    assert "t.co" not in {r["referrer"] for r in curated_rows(lake, REFERRERS)}


def test_a_negative_ctr_is_impossible_and_quarantines_the_capture(
    captured: tuple[Lake, list[subprocess.CompletedProcess[str]]],
) -> None:
    lake, _ = captured

    reason = quarantine_reason(lake, "linktree", NEGATIVE_CTR)

    assert reason["rule"] == "schema"
    assert "clickThroughRate = -0.2 fails 'is not negative'" in str(reason["what_failed"])

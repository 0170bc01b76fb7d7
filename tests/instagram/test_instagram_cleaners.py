"""Instagram's cleaner steps in-process: each landed shape curated, days read in Pacific time,
newer extractions winning, and bad files quarantined with a reason while the rest carries on."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from common.lake import Lake
from instagram.dates import pacific_day
from tests.instagram.instagram_lake import (
    API_SAMPLE,
    DAILY,
    EXPORT_SAMPLE,
    business_suite,
    by_day,
    curated_rows,
    drop,
    drop_bytes,
    drop_json,
    new_lake,
    quarantine_reasons,
    run_ok,
)


@pytest.fixture
def lake(tmp_path: Path) -> Lake:
    return new_lake(tmp_path / "lake")


def test_the_business_suite_utf16_export_is_curated_under_its_title(lake: Lake) -> None:
    drop(lake, EXPORT_SAMPLE, "Views_20250103_090000.csv")

    run_ok(lake)

    assert by_day(lake, "views") == {"2025-01-01": "8226", "2025-01-02": "905"}
    assert {row["account"] for row in curated_rows(lake, DAILY)} == {"instagram"}
    assert set(by_day(lake, "reach").values()) == {""}


def test_the_account_of_an_export_comes_from_config(lake: Lake) -> None:
    (lake.config / "instagram.json").write_text('{"account": "zone.a0"}', encoding="utf-8")
    drop(lake, EXPORT_SAMPLE, "Views_20250103_090000.csv")

    run_ok(lake)

    assert {row["account"] for row in curated_rows(lake, DAILY)} == {"zone.a0"}


def test_each_metric_export_fills_its_own_column(lake: Lake) -> None:
    drop_bytes(
        lake, "reach.csv", business_suite("Instagram reach", [("2025-01-01T00:00:00", "1,204")])
    )
    drop_bytes(
        lake, "visits.csv", business_suite("Profile visits", [("2025-01-01T00:00:00", "77")])
    )

    run_ok(lake)

    [row] = curated_rows(lake, DAILY)
    assert (row["reach"], row["profile_views"], row["views"]) == ("1204", "77", "")


def test_a_saved_api_answer_dates_values_by_their_pacific_day(lake: Lake) -> None:
    drop(lake, API_SAMPLE, "instagram_insights_20250104_080000.json")

    runs = run_ok(lake)

    assert by_day(lake, "reach") == {"2025-01-02": "812", "2025-01-03": "640"}
    # The undated total is left out with a line saying why; the file is not refused.
    assert "the total of views is left out" in runs[0].stderr


@pytest.mark.parametrize(
    ("end_time", "day"),
    [
        ("2025-01-02T08:00:00+0000", date(2025, 1, 2)),  # PST: midnight is 08:00 UTC
        ("2025-07-02T07:00:00+0000", date(2025, 7, 2)),  # PDT: midnight is 07:00 UTC
        ("2025-03-09T08:00:00+0000", date(2025, 3, 9)),  # the day clocks go forward
    ],
)
def test_end_time_is_read_as_the_pacific_calendar_day(end_time: str, day: date) -> None:
    assert pacific_day(end_time) == day


def test_a_newer_extraction_revises_the_days_it_covers(lake: Lake) -> None:
    drop_bytes(lake, "Views_20250105_090000.csv", business_suite("Views", [
        ("2025-01-01T00:00:00", "100"), ("2025-01-02T00:00:00", "200")]))  # fmt: skip
    run_ok(lake)
    drop_bytes(lake, "Views_20250106_090000.csv", business_suite("Views", [
        ("2025-01-02T00:00:00", "250"), ("2025-01-03T00:00:00", "300")]))  # fmt: skip

    run_ok(lake)

    assert by_day(lake, "views") == {"2025-01-01": "100", "2025-01-02": "250", "2025-01-03": "300"}


BAD_FILES = {
    "Impressions.csv": (business_suite("Impressions", [("2025-01-01T00:00:00", "5")]),
                        "unknown-metric"),
    "Views_cut.csv": (business_suite("Views", [("2025-01-01T00:00:00", "5")])[:-40], "row-width"),
    "Views_text.csv": (business_suite("Views", [("2025-01-01T00:00:00", "n/a")]), "value"),
    "login.json": (b"<!DOCTYPE html><html><body>Log in to Instagram</body></html>", "not-html"),
    "empty.json": (b"", "not-empty"),
    "cut.json": (b'{"data": [{"name": "reach", "values": [', "truncated"),
    "notes.txt": (b"views went up", "unknown-format"),
}  # fmt: skip


def test_bad_files_are_quarantined_with_a_reason_and_the_good_one_is_curated(lake: Lake) -> None:
    for name, (content, _) in BAD_FILES.items():
        drop_bytes(lake, name, content)
    drop_json(lake, "expired.json", {"error": {"message": "Error validating access token",
                                               "type": "OAuthException", "code": 190}})  # fmt: skip
    drop(lake, EXPORT_SAMPLE, "Views_20250103_090000.csv")

    run_ok(lake)

    reasons = quarantine_reasons(lake)
    assert {name: reason["rule"] for name, reason in reasons.items()} == {
        **{name: rule for name, (_, rule) in BAD_FILES.items()},
        "expired.json": "api-error",
    }
    assert "Impressions" in str(reasons["Impressions.csv"]["what_failed"])
    assert "put a new one in .env" in str(reasons["expired.json"]["what_failed"])
    assert by_day(lake, "views") == {"2025-01-01": "8226", "2025-01-02": "905"}


def test_a_pull_with_an_unserved_metric_keeps_the_others(lake: Lake) -> None:
    pull = {
        "document": "instagram_graph_api_pull", "username": "zone.a0",
        "pulled_at": "2025-01-05T16:00:00+0000",
        "window": {"first": "2025-01-03", "last": "2025-01-04"},
        "account": {"followers_count": 120},
        "daily": [], "totals": [{"day": "2025-01-04", "data": [
            {"name": "views", "period": "day", "total_value": {"value": 9}}]}],
        "media": [], "unsupported_metrics": {"the account": ["website_clicks"]},
    }  # fmt: skip
    drop_json(lake, "instagram_insights_20250105_160000.json", pull)

    run_ok(lake)

    rows = {r["date"]: r for r in curated_rows(lake, DAILY)}
    assert (rows["2025-01-04"]["views"], rows["2025-01-04"]["website_clicks"]) == ("9", "")
    assert rows["2025-01-05"]["followers"] == "120"  # the follower total, on the Pacific pull day

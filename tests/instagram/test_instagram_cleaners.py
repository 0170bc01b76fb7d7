"""Instagram's cleaner steps in-process: each landed shape curated, days read in Pacific time,
newer extractions winning, and bad files quarantined with a reason while the rest carries on."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from common.lake import Lake
from instagram.dates import pacific_day, period_day
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
    # No pull and no config/instagram.json: the lake cannot tell the account; the name stays.
    assert {row["account"] for row in curated_rows(lake, DAILY)} == {"instagram"}
    assert set(by_day(lake, "reach").values()) == {""}


def test_the_account_of_an_export_comes_from_config(lake: Lake) -> None:
    (lake.config / "instagram.json").write_text('{"account": "zone.a0"}', encoding="utf-8")
    drop(lake, EXPORT_SAMPLE, "Views_20250103_090000.csv")

    runs = run_ok(lake)

    assert {row["account"] for row in curated_rows(lake, DAILY)} == {"zone.a0"}
    assert "do not name their account" not in runs[1].stderr


def pull_of(username: str, user_id: str, day: str, views: int) -> dict[str, object]:
    """An extractor pull of one account with one day's views."""
    return {
        "document": "instagram_graph_api_pull", "ig_user_id": user_id, "username": username,
        "pulled_at": f"{day}T16:00:00+0000", "window": {"first": day, "last": day},
        "account": {}, "daily": [], "media": [], "unsupported_metrics": {},
        "totals": [{"day": day, "data": [
            {"name": "views", "period": "day", "total_value": {"value": views}}]}],
    }  # fmt: skip


def accounts_by_day(lake: Lake) -> dict[str, str]:
    return {row["date"]: row["account"] for row in curated_rows(lake, DAILY)}


def test_an_export_joins_the_account_the_pulls_name_even_when_dropped_first(lake: Lake) -> None:
    drop(lake, EXPORT_SAMPLE, "Views_20250103_090000.csv")
    first = run_ok(lake)
    drop_json(lake, "instagram_insights_20250110_160000.json",
              pull_of("zone.a0", "17841400000000001", "2025-01-09", 77))  # fmt: skip

    run_ok(lake)

    assert accounts_by_day(lake) == {"2025-01-01": "zone.a0", "2025-01-02": "zone.a0",
                                     "2025-01-09": "zone.a0"}  # fmt: skip
    assert by_day(lake, "views")["2025-01-01"] == "8226"
    # Before any pull the lake could not tell, and said so once, naming the fix.
    assert first[1].stderr.count("in config/instagram.json to file them") == 1


def test_of_several_pulled_accounts_an_export_joins_instagram_user_ids(
    lake: Lake, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("INSTAGRAM_USER_ID", raising=False)  # the lake's .env says it
    drop_json(lake, "instagram_insights_20250105_160000.json",
              pull_of("pig1987", "17841400000000002", "2025-01-04", 5))  # fmt: skip
    drop_json(lake, "instagram_insights_20250106_160000.json",
              pull_of("zone.a0", "17841400000000001", "2025-01-05", 6))  # fmt: skip
    drop(lake, EXPORT_SAMPLE, "Views_20250103_090000.csv")
    (lake.root / ".env").write_text("INSTAGRAM_USER_ID=17841400000000002\n", encoding="utf-8")

    run_ok(lake)

    assert accounts_by_day(lake) == {"2025-01-01": "pig1987", "2025-01-02": "pig1987",
                                     "2025-01-04": "pig1987", "2025-01-05": "zone.a0"}  # fmt: skip


def test_of_several_pulled_accounts_without_a_user_id_the_export_keeps_its_name(
    lake: Lake, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("INSTAGRAM_USER_ID", raising=False)
    drop_json(lake, "instagram_insights_20250105_160000.json",
              pull_of("pig1987", "17841400000000002", "2025-01-04", 5))  # fmt: skip
    drop_json(lake, "instagram_insights_20250106_160000.json",
              pull_of("zone.a0", "17841400000000001", "2025-01-05", 6))  # fmt: skip
    drop(lake, EXPORT_SAMPLE, "Views_20250103_090000.csv")

    runs = run_ok(lake)

    assert accounts_by_day(lake)["2025-01-01"] == "instagram"
    assert "several accounts (pig1987, zone.a0)" in runs[1].stderr


def test_an_export_raw_file_of_the_earlier_release_joins_the_pulls_account(lake: Lake) -> None:
    # The earlier release wrote the export's rows to 2_raw under the fixed name "instagram".
    raw = lake.zone("2_raw") / "instagram"
    raw.mkdir(parents=True, exist_ok=True)
    (raw / "Views_20250103_090000.ndjson").write_text(
        '{"kind": "daily", "extracted_at": "2025-01-03T09:00:00", "source_file": '
        '"1_landing/instagram/Views_20250103_090000.csv", "account": "instagram", '
        '"date": "2025-01-01", "metric": "views", "value": 8226}\n',
        encoding="utf-8",
    )
    drop_json(lake, "instagram_insights_20250110_160000.json",
              pull_of("zone.a0", "17841400000000001", "2025-01-09", 77))  # fmt: skip

    run_ok(lake)

    assert accounts_by_day(lake) == {"2025-01-01": "zone.a0", "2025-01-09": "zone.a0"}


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

    # end_time 2025-01-02T08:00:00+0000 ends 1 January (Pacific): the value is that day's.
    assert by_day(lake, "reach") == {"2025-01-01": "812", "2025-01-02": "640"}
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


@pytest.mark.parametrize(
    ("end_time", "day"),
    [
        ("2025-01-02T08:00:00+0000", date(2025, 1, 1)),  # ends 1 January, PST
        ("2025-07-02T07:00:00+0000", date(2025, 7, 1)),  # ends 1 July, PDT
        ("2025-03-10T07:00:00+0000", date(2025, 3, 9)),  # ends the day clocks go forward
    ],
)
def test_a_daily_value_belongs_to_the_day_its_end_time_closes(end_time: str, day: date) -> None:
    assert period_day(end_time) == day


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


def test_views_given_only_by_follower_type_are_their_sum_and_a_missing_type_is_zero(
    lake: Lake,
) -> None:
    """Asked with a breakdown, the Graph API may answer the breakdown alone (no `value`), and
    leaves out a follower type that had no views."""
    pull = pull_of("zone.a0", "17841400000000001", "2025-01-04", 0)
    breakdown = {"dimension_keys": ["follower_type"], "results": [
        {"dimension_values": ["FOLLOWER"], "value": 280},
        {"dimension_values": ["NON_FOLLOWER"], "value": 421}]}  # fmt: skip
    only_followers = {"dimension_keys": ["follower_type"], "results": [
        {"dimension_values": ["FOLLOWER"], "value": 35}]}  # fmt: skip
    pull["totals"] = [
        {"day": "2025-01-04", "data": [
            {"name": "views", "period": "day", "total_value": {"breakdowns": [breakdown]}}]},
        {"day": "2025-01-05", "data": [
            {"name": "views", "period": "day", "total_value": {"breakdowns": [only_followers]}}]},
        {"day": "2025-01-06", "data": [{"name": "views", "period": "day", "total_value": {
            "value": 500, "breakdowns": [only_followers]}}]},  # non-followers: 500 - 35
        {"day": "2025-01-07", "data": [{"name": "views", "period": "day", "total_value": {
            "value": 500, "breakdowns": [{"dimension_keys": ["follower_type"],
                                          "results": []}]}}]},  # no parts: unknown
    ]  # fmt: skip
    drop_json(lake, "instagram_insights_20250106_160000.json", pull)

    run_ok(lake)

    rows = {r["date"]: r for r in curated_rows(lake, DAILY)}
    assert [
        (rows[day]["views"], rows[day]["views_follower"], rows[day]["views_non_follower"])
        for day in ("2025-01-04", "2025-01-05", "2025-01-06", "2025-01-07")
    ] == [("701", "280", "421"), ("35", "35", "0"), ("500", "35", "465"), ("500", "", "")]


def test_raw_values_written_before_the_end_time_fix_read_one_day_earlier(lake: Lake) -> None:
    # A lake that pulled before `end_time` was read as the end of its day has raw records of
    # `values` metrics one day late and without a `dating`: staging reads them one day earlier,
    # so the history lines up with what is pulled now. Other records keep their days.
    drop(lake, API_SAMPLE, "instagram_insights_20250104_080000.json")
    drop(lake, EXPORT_SAMPLE, "Views_20250103_090000.csv")
    run_ok(lake)
    expected = {column: by_day(lake, column) for column in ("reach", "views")}
    shifted = 0
    for raw in (lake.zone("2_raw") / "instagram").glob("*.ndjson"):
        old = []
        for line in raw.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            record.pop("dating", None)
            if record.get("metric") == "reach":
                record["date"] = (date.fromisoformat(record["date"]) + timedelta(1)).isoformat()
                shifted += 1
            old.append(json.dumps(record))
        raw.write_text("\n".join(old) + "\n", encoding="utf-8")
    assert shifted == 2

    run_ok(lake)

    assert expected["reach"] == {"2025-01-01": "812", "2025-01-02": "640"}
    assert {column: by_day(lake, column) for column in ("reach", "views")} == expected

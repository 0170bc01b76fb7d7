"""Mailchimp's cleaners on every shape the API answers and a user may save, and on bad files."""

from __future__ import annotations

import json
from pathlib import Path

from common.lake import Lake
from tests.mailchimp.mailchimp_lake import (
    AUDIENCE,
    CAMPAIGNS,
    GROWTH,
    GROWTH_SAMPLE,
    LIST_SAMPLE,
    REPORTS_SAMPLE,
    clean,
    curated_rows,
    drop,
    drop_json,
    landing,
    new_lake,
)


def _report(**changes: object) -> dict[str, object]:
    document = json.loads(REPORTS_SAMPLE.read_text(encoding="utf-8"))
    report: dict[str, object] = document["reports"][0]
    report.update(changes)
    return report


def _quarantine(lake: Lake) -> Path:
    return lake.zone("1_landing") / "_quarantine" / "mailchimp"


def test_a_saved_reports_answer_is_curated_with_bounces_added_and_rates_as_fractions(
    tmp_path: Path,
) -> None:
    lake = new_lake(tmp_path / "lake")
    drop(lake, REPORTS_SAMPLE, "mailchimp_reports_20250120_080000.json")

    clean(lake)

    (row,) = curated_rows(lake, CAMPAIGNS)
    assert (row["campaign_id"], row["list_id"], row["title"]) == (
        "42694e9e57", "57afe96172", "January newsletter"
    )  # fmt: skip
    assert (row["send_time"], row["send_date"]) == ("2025-01-10T17:00:00+00:00", "2025-01-10")
    assert (row["emails_sent"], row["bounces"], row["hard_bounces"]) == ("1200", "7", "2")
    assert (row["unique_opens"], row["proxy_excluded_unique_opens"]) == ("610", "260")
    assert (row["unique_clicks"], row["unsubscribed"], row["abuse_reports"]) == ("95", "3", "0")
    assert (row["open_rate"], row["proxy_excluded_open_rate"], row["click_rate"]) == (
        "0.5116", "0.2181", "0.0738"
    )  # fmt: skip


def test_growth_history_and_audience_answers_saved_by_hand_are_curated(tmp_path: Path) -> None:
    lake = new_lake(tmp_path / "lake")
    drop(lake, GROWTH_SAMPLE, "growth-history.json")
    drop(lake, LIST_SAMPLE, "mailchimp_list_20250301_090000.json")

    clean(lake)

    growth = curated_rows(lake, GROWTH)
    assert [(r["month"], r["subscribed"], r["unsubscribed"]) for r in growth] == [
        ("2025-01", "1180", "3"),
        ("2025-02", "1212", "4"),
    ]
    # A deprecated count Mailchimp left out is empty, never a made-up 0.
    assert (growth[0]["imports"], growth[1]["imports"]) == ("", "0")
    (size,) = curated_rows(lake, AUDIENCE)
    assert (size["list_id"], size["snapshot_date"], size["member_count"]) == (
        "57afe96172", "2025-03-01", "1205"
    )  # fmt: skip


def test_one_campaigns_report_and_one_growth_month_saved_by_hand_are_curated(
    tmp_path: Path,
) -> None:
    """GET /reports/{campaign_id} and /lists/{id}/growth-history/{month} answer one object."""
    lake = new_lake(tmp_path / "lake")
    drop_json(lake, "mailchimp_report_42694e9e57.json", _report())
    growth = json.loads(GROWTH_SAMPLE.read_text(encoding="utf-8"))["history"][0]
    drop_json(lake, "mailchimp_growth_2025-02.json", growth)

    clean(lake)

    assert not list(_quarantine(lake).glob("*.reason.json"))
    assert [row["campaign_id"] for row in curated_rows(lake, CAMPAIGNS)] == ["42694e9e57"]
    assert [(r["list_id"], r["month"], r["subscribed"]) for r in curated_rows(lake, GROWTH)] == [
        ("57afe96172", "2025-02", "1212")
    ]


def test_a_newer_pull_of_a_campaign_replaces_its_figures_and_keeps_the_others(
    tmp_path: Path,
) -> None:
    lake = new_lake(tmp_path / "lake")
    early = _report(opens={"unique_opens": 400, "open_rate": 0.33})
    other = _report(id="0000000002", send_time="2024-12-01T10:00:00Z")
    drop_json(lake, "mailchimp_reports_20250111_080000.json", {"reports": [early, other]})
    drop_json(lake, "mailchimp_reports_20250201_080000.json", {"reports": [_report()]})

    clean(lake)

    rows = {r["campaign_id"]: r for r in curated_rows(lake, CAMPAIGNS)}
    assert rows["42694e9e57"]["unique_opens"] == "610"
    assert rows["0000000002"]["send_time"] == "2024-12-01T10:00:00+00:00"
    assert rows["0000000002"]["proxy_excluded_opens"] == "420"


def test_bad_files_are_quarantined_with_a_reason_and_the_good_one_is_curated(
    tmp_path: Path,
) -> None:
    lake = new_lake(tmp_path / "lake")
    drop(lake, REPORTS_SAMPLE, "mailchimp_reports_20250120_080000.json")
    folder = landing(lake)
    (folder / "login.json").write_text("<!DOCTYPE html><html>Log in</html>", encoding="utf-8")
    (folder / "cut.json").write_text('{"reports": [{"id": "a"', encoding="utf-8")
    drop_json(lake, "other.json", {"campaigns": []})
    drop_json(lake, "refused.json", {"title": "API Key Invalid", "status": 401, "detail": "x"})
    drop_json(lake, "bad_count.json", {"reports": [_report(emails_sent="lots")]})

    clean(lake)

    reasons = {
        p.name.removesuffix(".reason.json"): json.loads(p.read_text(encoding="utf-8"))
        for p in _quarantine(lake).glob("*.reason.json")
    }
    assert {name: r["rule"] for name, r in reasons.items()} == {
        "login.json": "not-html",
        "cut.json": "truncated",
        "other.json": "unknown-format",
        "refused.json": "api-error",
        "bad_count.json": "bad-value",
    }
    assert "reports[0].emails_sent" in reasons["bad_count.json"]["what_failed"]
    assert [r["campaign_id"] for r in curated_rows(lake, CAMPAIGNS)] == ["42694e9e57"]
    assert (folder / "login.json").exists()

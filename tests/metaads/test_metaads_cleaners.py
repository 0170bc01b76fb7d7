"""Meta Ads cleaning steps, in order: responses and exports reach the three curated files."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from common.lake import Lake
from metaads.curated import ACTIONS_COLUMNS, DAILY_COLUMNS, SUMMARY_COLUMNS
from tests.lineage_support import compact_header
from tests.metaads.metaads_lake import (
    ACTIONS,
    ADSET_ID,
    API_SAMPLE,
    CAMPAIGN_ID,
    DAILY,
    EXPORT_SAMPLE,
    SUMMARY,
    api_row,
    curated_rows,
    drop,
    drop_bytes,
    drop_json,
    money,
    new_lake,
    response,
    run_ok,
)

EXPORT_HEADER = (
    "Reporting starts,Reporting ends,Campaign name,Ad Set Name,Results,Result indicator,Reach,"
    "Impressions,Amount spent (USD),Clicks\n"
)


@pytest.fixture(scope="module")
def api_sample(tmp_path_factory: pytest.TempPathFactory) -> Lake:
    """A lake (without config/metaads.json) where the API sample was dropped and cleaned."""
    lake = new_lake(tmp_path_factory.mktemp("api_sample") / "lake")
    drop(lake, API_SAMPLE, "metaads_insights_20250103_080000.json")
    run_ok(lake)
    return lake


def test_the_api_sample_gives_daily_rows_with_ids_as_text(api_sample: Lake) -> None:
    rows = curated_rows(api_sample, DAILY)
    assert [(r["date"], r["campaign_id"], r["adset_id"], r["level"]) for r in rows] == [
        ("2025-01-01", CAMPAIGN_ID, ADSET_ID, "adset"),
        ("2025-01-02", CAMPAIGN_ID, ADSET_ID, "adset"),
    ]
    assert [(r["spend"], r["impressions"], r["clicks"], r["link_clicks"]) for r in rows] == [
        ("3.41", "1321", "8", "7"),
        ("2.95", "1104", "6", "0"),
    ]
    assert [(r["artist"], r["track"], r["targeting"]) for r in rows] == [
        ("EXAMPLE ARTIST", "FIRST SONG", "BROAD")
    ] * 2


def test_ctr_cpc_cpm_and_reach_are_kept_as_meta_reported_them(api_sample: Lake) -> None:
    rows = curated_rows(api_sample, DAILY)

    assert [(r["ctr"], r["cpc"], r["cpm"], r["reach"]) for r in rows] == [
        ("0.605602", "0.42625", "2.581378", "1104"),
        ("0.543478", "0.491667", "2.672101", "950"),
    ]


def test_actions_are_one_row_per_type_and_day(api_sample: Lake) -> None:
    rows = curated_rows(api_sample, ACTIONS)
    assert sorted((r["date"], r["adset_id"], r["action_type"], r["value"]) for r in rows) == [
        ("2025-01-01", ADSET_ID, "link_click", "7"),
        ("2025-01-01", ADSET_ID, "offsite_conversion.fb_pixel_view_content", "3"),
        ("2025-01-01", ADSET_ID, "page_engagement", "9"),
        ("2025-01-01", ADSET_ID, "post_engagement", "9"),
        ("2025-01-01", ADSET_ID, "video_view", "212"),
    ]
    assert {r["campaign_id"] for r in rows} == {CAMPAIGN_ID}


def test_a_summary_reach_is_the_campaign_reach_meta_reported_never_a_sum(tmp_path: Path) -> None:
    lake = new_lake(tmp_path / "lake")
    days = [("2025-04-11", "900"), ("2025-04-12", "1100"), ("2025-04-13", "1000")]
    daily = [api_row(day, reach=reach, adset=adset) for day, reach in days for adset in "12"]
    lifetime = api_row("2025-04-11", until="2025-04-13", reach="2300", adset=None, spend="6.00")
    drop_json(lake, "metaads_insights_20250414_080000.json", response(*daily))
    drop_json(lake, "metaads_lifetime_20250414_080000.json", response(lifetime))

    run_ok(lake)

    daily_reach = sum(int(r["reach"]) for r in curated_rows(lake, DAILY))
    [summary] = curated_rows(lake, SUMMARY)
    assert daily_reach == 6000
    assert summary["reach"] == "2300"
    assert (summary["date_start"], summary["date_stop"], summary["days"]) == (
        "2025-04-11",
        "2025-04-13",
        "3",
    )


def test_a_summary_without_a_campaign_reach_for_its_period_leaves_reach_empty(
    tmp_path: Path,
) -> None:
    lake = new_lake(tmp_path / "lake")
    campaign_days = [api_row(f"2025-04-1{n}", reach="500", adset=None) for n in (1, 2, 3)]
    shorter = api_row("2025-04-11", until="2025-04-12", reach="800", adset=None, campaign="8")
    other_days = [api_row(f"2025-04-1{n}", campaign="8", adset="2") for n in (1, 2, 3)]
    drop_json(lake, "metaads_insights_20250414_080000.json", response(*campaign_days, *other_days))
    drop_json(lake, "metaads_lifetime_20250413_080000.json", response(shorter))

    run_ok(lake)

    summary = curated_rows(lake, SUMMARY)
    assert [(r["campaign_id"][-2:], r["days"], r["reach"]) for r in summary] == [
        ("07", "3", ""),
        ("08", "3", ""),
    ]
    assert {r["reach"] for r in curated_rows(lake, DAILY) if r["level"] == "campaign"} == {"500"}


def test_spend_sums_exactly(tmp_path: Path) -> None:
    lake = new_lake(tmp_path / "lake")
    cents = ["0.10", "0.20", "0.70", "1234567.89", "0.01", "3.33", "3.33", "3.34"]
    rows = [api_row(f"2025-04-{11 + n}", spend=spend) for n, spend in enumerate(cents)]
    drop_json(lake, "metaads_insights_20250420_080000.json", response(*rows))

    run_ok(lake)

    [summary] = curated_rows(lake, SUMMARY)
    assert sum(Decimal(spend) for spend in cents) == Decimal("1234578.90")
    assert summary["spend"] == "1234578.90"
    assert money(curated_rows(lake, DAILY)) == Decimal("1234578.90")


def test_a_day_reported_at_two_levels_is_counted_once(tmp_path: Path) -> None:
    lake = new_lake(tmp_path / "lake")
    adsets = [api_row("2025-04-11", spend=s, adset=a) for a, s in (("1", "1.25"), ("2", "2.50"))]
    campaign = api_row("2025-04-11", spend="3.75", adset=None, reach="420")
    drop_json(lake, "metaads_insights_20250412_080000.json", response(*adsets, campaign))

    run_ok(lake)

    [summary] = curated_rows(lake, SUMMARY)
    assert (summary["spend"], summary["impressions"], summary["reach"]) == ("3.75", "200", "420")
    assert sorted(r["level"] for r in curated_rows(lake, DAILY)) == ["adset", "adset", "campaign"]


def test_dropping_the_same_file_again_changes_nothing(tmp_path: Path) -> None:
    lake = new_lake(tmp_path / "lake")
    drop(lake, API_SAMPLE, "metaads_insights_20250103_080000.json")
    run_ok(lake)
    curated = {p.name: p.read_bytes() for p in lake.zone("4_curated").glob("*.csv")}
    raw = sorted(p.name for p in (lake.zone("2_raw") / "metaads").glob("*.ndjson"))

    drop(lake, API_SAMPLE, "metaads_insights_20250104_080000.json")
    run_ok(lake)

    assert {p.name: p.read_bytes() for p in lake.zone("4_curated").glob("*.csv")} == curated
    assert sorted(p.name for p in (lake.zone("2_raw") / "metaads").glob("*.ndjson")) == raw
    assert not list(lake.zone("5_archive").rglob("*.csv"))


def test_a_newer_overlapping_pull_revises_its_days_and_loses_none(tmp_path: Path) -> None:
    lake = new_lake(tmp_path / "lake")
    first = [
        api_row(f"2025-04-1{n}", spend=f"{n}.00", actions={"link_click": "1", "video_view": "9"})
        for n in range(1, 6)
    ]
    drop_json(lake, "metaads_insights_20250416_080000.json", response(*first))
    run_ok(lake)

    settled = [
        api_row("2025-04-14", spend="4.00", actions={"link_click": "3"}),
        api_row("2025-04-15", spend="5.40", actions={"link_click": "2", "video_view": "9"}),
        api_row("2025-04-16", spend="6.00", actions={"link_click": "4"}),
    ]
    drop_json(lake, "metaads_insights_20250418_080000.json", response(*settled))
    run_ok(lake)

    daily = curated_rows(lake, DAILY)
    assert [(r["date"], r["spend"], r["link_clicks"]) for r in daily] == [
        ("2025-04-11", "1.00", "1"),
        ("2025-04-12", "2.00", "1"),
        ("2025-04-13", "3.00", "1"),
        ("2025-04-14", "4.00", "3"),
        ("2025-04-15", "5.40", "2"),
        ("2025-04-16", "6.00", "4"),
    ]
    actions = {(r["date"], r["action_type"]): r["value"] for r in curated_rows(lake, ACTIONS)}
    assert ("2025-04-14", "video_view") not in actions
    assert actions[("2025-04-13", "video_view")] == "9"
    assert actions[("2025-04-14", "link_click")] == "3"
    assert len(list((lake.zone("5_archive") / "4_curated").glob("metaads_*_archived_*.csv"))) == 3


def test_an_older_pull_dropped_late_does_not_overwrite_newer_days(tmp_path: Path) -> None:
    lake = new_lake(tmp_path / "lake")
    drop_json(
        lake, "metaads_insights_20250418_080000.json", response(api_row("2025-04-14", "4.40"))
    )
    run_ok(lake)

    older = response(api_row("2025-04-13", "3.00"), api_row("2025-04-14", "4.00"))
    drop_json(lake, "metaads_insights_20250415_080000.json", older)
    run_ok(lake)

    assert [(r["date"], r["spend"]) for r in curated_rows(lake, DAILY)] == [
        ("2025-04-13", "3.00"),
        ("2025-04-14", "4.40"),
    ]


def test_a_manual_export_yields_daily_and_campaign_rows(tmp_path: Path) -> None:
    lake = new_lake(tmp_path / "lake")
    drop_bytes(
        lake,
        "BEDROT-ADS-Apr-2025_20250501_090000.csv",
        (
            EXPORT_HEADER
            + "2025-04-11,2025-04-11,Zone A0 - PARALLAX - TECHNO SPOTIFY,Techno,4,"
            + "actions:link_click,700,810,2.05,6\n"
            + "2025-04-12,2025-04-12,Zone A0 - PARALLAX - TECHNO SPOTIFY,Techno,,,650,700,1.95,0\n"
        ).encode(),
    )
    drop(lake, EXPORT_SAMPLE, "BEDROT-ADS-Jan-2025_20250201_090000.csv")

    run_ok(lake)

    daily = curated_rows(lake, DAILY)
    assert [(r["date"], r["campaign"], r["spend"], r["link_clicks"]) for r in daily] == [
        ("2025-04-11", "Zone A0 - PARALLAX - TECHNO SPOTIFY", "2.05", "4"),
        ("2025-04-12", "Zone A0 - PARALLAX - TECHNO SPOTIFY", "1.95", ""),
    ]
    assert [(r["ctr"], r["cpc"], r["currency"]) for r in daily] == [
        ("0.740741", "0.341667", "USD"),
        ("0.0", "", "USD"),
    ]
    summary = curated_rows(lake, SUMMARY)
    assert [
        (r["artist"], r["date_start"], r["date_stop"], r["spend"], r["reach"]) for r in summary
    ] == [
        ("EXAMPLE ARTIST", "2025-01-01", "2025-01-31", "21.40", ""),
        ("ZONE A0", "2025-04-11", "2025-04-12", "4.00", ""),
    ]
    assert [r["action_type"] for r in curated_rows(lake, ACTIONS)] == ["link_click"]


def test_a_manual_export_of_an_api_campaign_day_is_one_row_with_its_ids(tmp_path: Path) -> None:
    lake = new_lake(tmp_path / "lake")
    drop_json(lake, "metaads_insights_20250412_080000.json", response(api_row("2025-04-11")))
    drop_bytes(
        lake,
        "BEDROT-ADS-Apr-11_20250413_090000.csv",
        (
            EXPORT_HEADER
            + "2025-04-11,2025-04-11,PIG1987 - NIGHT SHIFT - BROAD,Ad set 1,5,actions:link_click,"
            + "101,202,1.10,5\n"
        ).encode(),
    )

    run_ok(lake)

    [row] = curated_rows(lake, DAILY)
    assert (row["campaign_id"], row["adset_id"]) == ("120215000000000007", "120215000000010001")
    assert (row["spend"], row["source"]) == ("1.10", "manual_export")


def test_the_currency_is_unknown_when_the_response_lacks_it(api_sample: Lake) -> None:
    assert {r["currency"] for r in curated_rows(api_sample, DAILY)} == {""}
    assert [r["currency"] for r in curated_rows(api_sample, SUMMARY)] == [""]


def test_the_currency_is_the_configured_default_when_the_response_lacks_it(
    tmp_path: Path,
) -> None:
    lake = new_lake(tmp_path / "lake", {"default_currency": "EUR"})
    drop(lake, API_SAMPLE, "metaads_insights_20250103_080000.json")

    run_ok(lake)

    assert {r["currency"] for r in curated_rows(lake, DAILY)} == {"EUR"}
    assert [r["currency"] for r in curated_rows(lake, SUMMARY)] == ["EUR"]


def test_a_pull_without_delivery_still_writes_the_three_curated_files(tmp_path: Path) -> None:
    lake = new_lake(tmp_path / "lake")
    drop_json(lake, "metaads_insights_20250103_080000.json", response())

    run_ok(lake)

    for name, columns in (
        (DAILY, DAILY_COLUMNS),
        (ACTIONS, ACTIONS_COLUMNS),
        (SUMMARY, SUMMARY_COLUMNS),
    ):
        header = ",".join(compact_header(columns)) + "\n"
        assert (lake.zone("4_curated") / name).read_text("utf-8") == header

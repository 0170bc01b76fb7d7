"""Linktree cleaning steps, in order: captures reach curated, history kept, today flagged."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from common.lake import Lake
from common.lineage import read_sources
from tests.linktree.linktree_lake import (
    ANALYTICS,
    CURRENT_USER,
    LIFETIME_LOCATIONS_SAMPLE,
    LINKS,
    LINKS_SOCIALS_SAMPLE,
    LOCATIONS,
    OVERVIEW_SAMPLE,
    REFERRERS,
    SERVICE,
    SOCIALS,
    WALLET,
    curated_bytes,
    curated_rows,
    daily,
    drop,
    drop_fixture,
    link_titles,
    links,
    new_lake,
    overview,
    raw_lines,
    record,
    referrers,
    run,
)


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> Lake:
    """The three samples, captured on 2 January 2025 at 18:00, and a link-titles capture."""
    lake = new_lake(tmp_path_factory.mktemp("samples") / "lake")
    drop_fixture(lake, OVERVIEW_SAMPLE, "graphql_overview_20250102_180000.json")
    drop_fixture(lake, LINKS_SOCIALS_SAMPLE, "graphql_links_socials_20250102_180001.json")
    drop_fixture(lake, LIFETIME_LOCATIONS_SAMPLE, "graphql_locations_20250102_180002.json")
    drop(lake, "graphql_titles_20250102_180003.json", link_titles({400000001: "New single"}))
    run(lake)
    return lake


def test_the_overview_sample_becomes_the_daily_curated_file(samples: Lake) -> None:
    curated = samples.zone("4_curated") / ANALYTICS
    assert curated.read_text(encoding="utf-8") == (
        "date,total_views,unique_views,total_clicks,unique_clicks,ctr,ctr_is_computed,"
        "is_partial_day,extracted_at,source_id\n"
        "2025-01-01,30,25,12,10,0.4,false,false,2025-01-02T18:00:00.000000,1\n"
        "2025-01-02,30,22,19,15,0.6333,false,true,2025-01-02T18:00:00.000000,1\n"
    )
    # The short id names the landed file, as the path on every row did.
    assert read_sources(curated) == {1: "1_landing/linktree/graphql_overview_20250102_180000.json"}


def test_every_ctr_is_a_fraction_between_zero_and_one(samples: Lake) -> None:
    ctrs = [
        float(row["ctr"])
        for name in (ANALYTICS, REFERRERS, LOCATIONS)
        for row in curated_rows(samples, name)
    ]

    assert ctrs and all(0 <= ctr <= 1 for ctr in ctrs)


def test_link_clicks_carry_the_title_of_the_titles_query(samples: Lake) -> None:
    rows = curated_rows(samples, LINKS)

    assert [(r["captured_on"], r["link_id"], r["title"], r["clicks"]) for r in rows] == [
        ("2025-01-02", "400000001", "New single", "18")
    ]


def test_socials_referrers_and_locations_reach_curated(samples: Lake) -> None:
    socials = [(r["date"], r["social"], r["clicks"]) for r in curated_rows(samples, SOCIALS)]
    referrer = [(r["referrer"], r["views"], r["clicks"]) for r in curated_rows(samples, REFERRERS)]
    places = [
        (r["level"], r["country_code"], r["name"], r["latitude"], r["views"])
        for r in curated_rows(samples, LOCATIONS)
    ]

    assert socials == [("2025-01-01", "instagram", "2")]
    assert referrer == [("instagram.com", "30", "15")]
    assert places == [
        ("city", "DE", "Berlin", "52.52", "10"),
        ("country", "US", "United States", "", "40"),
    ]


def test_raw_keeps_each_payload_with_its_extraction_and_landing_path(samples: Lake) -> None:
    lines = raw_lines(samples)

    assert [(line["kind"], line["source_file"], line["extracted_at"]) for line in lines] == [
        (
            "analytics",
            "1_landing/linktree/graphql_links_socials_20250102_180001.json",
            "2025-01-02T18:00:01",
        ),
        (
            "analytics",
            "1_landing/linktree/graphql_locations_20250102_180002.json",
            "2025-01-02T18:00:02",
        ),
        (
            "analytics",
            "1_landing/linktree/graphql_overview_20250102_180000.json",
            "2025-01-02T18:00:00",
        ),
        (
            "link_titles",
            "1_landing/linktree/graphql_titles_20250102_180003.json",
            "2025-01-02T18:00:03",
        ),
    ]
    devices = lines[1]["data"]["getAccountAnalytics"]["devices"]  # type: ignore[index]
    assert devices["devices"][0]["name"] == "mobile"


def test_todays_partial_day_is_flagged_and_the_next_capture_replaces_it(tmp_path: Path) -> None:
    lake = new_lake(tmp_path / "lake")
    drop(
        lake,
        "graphql_20250102_180000.json",
        overview({"2025-01-01": (30, 12), "2025-01-02": (10, 4)}),
    )
    run(lake)
    assert daily(lake) == {"2025-01-01": ("30", "12", "false"), "2025-01-02": ("10", "4", "true")}

    drop(
        lake,
        "graphql_20250103_090000.json",
        overview({"2025-01-02": (30, 19), "2025-01-03": (5, 2)}),
    )
    run(lake)

    assert daily(lake) == {
        "2025-01-01": ("30", "12", "false"),
        "2025-01-02": ("30", "19", "false"),
        "2025-01-03": ("5", "2", "true"),
    }


def test_dropping_the_same_file_again_changes_nothing(tmp_path: Path) -> None:
    lake = new_lake(tmp_path / "lake")
    capture = overview({"2025-01-01": (30, 12), "2025-01-02": (10, 4)})
    drop(lake, "graphql_20250102_180000.json", capture)
    run(lake)
    before = curated_bytes(lake)
    raw = sorted(p.name for p in (lake.zone("2_raw") / SERVICE).iterdir())

    drop(lake, "graphql_copy_20250105_080000.json", capture)
    results = run(lake)

    assert curated_bytes(lake) == before
    assert sorted(p.name for p in (lake.zone("2_raw") / SERVICE).iterdir()) == raw
    assert not list(lake.zone("5_archive").rglob("*.csv"))
    assert "is identical to 1_landing/linktree/graphql_20250102_180000.json" in results[0].stderr


def test_a_newer_overlapping_capture_revises_its_days_and_loses_none(tmp_path: Path) -> None:
    lake = new_lake(tmp_path / "lake")
    first = {
        "2025-03-01": (30, 12),
        "2025-03-02": (31, 10),
        "2025-03-03": (28, 9),
        "2025-03-04": (5, 1),
    }
    drop(lake, "graphql_20250304_100000.json", overview(first))
    run(lake)

    second = {
        "2025-03-03": (29, 11),
        "2025-03-04": (33, 14),
        "2025-03-05": (40, 20),
        "2025-03-06": (2, 0),
    }
    drop(lake, "graphql_20250306_070000.json", overview(second))
    run(lake)

    assert daily(lake) == {
        "2025-03-01": ("30", "12", "false"),
        "2025-03-02": ("31", "10", "false"),
        "2025-03-03": ("29", "11", "false"),
        "2025-03-04": ("33", "14", "false"),
        "2025-03-05": ("40", "20", "false"),
        "2025-03-06": ("2", "0", "true"),
    }
    archived = list(
        (lake.zone("5_archive") / "4_curated").glob("linktree_analytics_curated_archived_*")
    )
    assert len(archived) == 1


def test_a_weekly_or_monthly_view_is_refused_and_never_overwrites_a_day(tmp_path: Path) -> None:
    """The analytics page groups the series by week or month unless "Daily" is chosen: each
    point is then a week's total, which must not become one day's views."""
    lake = new_lake(tmp_path / "lake")
    days = {"2025-03-02": (30, 12), "2025-03-03": (31, 10), "2025-03-04": (28, 9)}
    drop(lake, "graphql_20250305_100000.json", overview(days))
    weeks = {"2025-02-24": (210, 80), "2025-03-03": (190, 70)}
    drop(lake, "graphql_20250306_100000.json", overview(weeks))
    weekly = record(
        "getAccountAnalytics", overview({"2025-03-03": (190, 70)}), {"period": "WEEKLY"}
    )
    drop(lake, "graphql_20250306_110000.json", [weekly])

    run(lake)

    reasons = {
        path.name: json.loads(path.read_text(encoding="utf-8"))
        for path in (lake.zone("1_landing") / "_quarantine" / SERVICE).glob("*.reason.json")
    }
    assert set(reasons) == {
        "graphql_20250306_100000.json.reason.json",
        "graphql_20250306_110000.json.reason.json",
    }
    assert (
        "one point every 7 days"
        in reasons["graphql_20250306_100000.json.reason.json"]["what_failed"]
    )
    assert "WEEKLY" in reasons["graphql_20250306_110000.json.reason.json"]["what_failed"]
    assert daily(lake)["2025-03-03"] == ("31", "10", "false")


def test_an_older_capture_dropped_late_does_not_overwrite_newer_days(tmp_path: Path) -> None:
    lake = new_lake(tmp_path / "lake")
    drop(
        lake,
        "graphql_20250103_090000.json",
        overview({"2025-01-02": (30, 19), "2025-01-03": (5, 2)}),
    )
    run(lake)

    drop(
        lake,
        "graphql_20250102_180000.json",
        overview({"2025-01-01": (30, 12), "2025-01-02": (10, 4)}),
    )
    run(lake)

    assert daily(lake) == {
        "2025-01-01": ("30", "12", "false"),
        "2025-01-02": ("30", "19", "false"),
        "2025-01-03": ("5", "2", "true"),
    }


def test_payloads_of_other_operations_are_ignored_with_a_log_line(tmp_path: Path) -> None:
    lake = new_lake(tmp_path / "lake")
    chat = record("analyticsChat", {"data": None, "errors": [{"message": "not enabled"}]})
    capture = [
        CURRENT_USER,
        record("getAccountAnalytics", overview({"2025-01-01": (30, 12)})),
        chat,
        WALLET,
    ]
    drop(lake, "graphql_session_20250102_180000.json", capture)

    results = run(lake)

    ignored = [line for line in results[0].stderr.splitlines() if " ignored response " in line]
    assert len(ignored) == 3
    assert "response 1 (operation currentUser): root field(s) currentUser" in ignored[0]
    assert (
        "response 3 (operation analyticsChat): no data (GraphQL errors: not enabled)" in ignored[1]
    )
    assert "response 4 (operation getWallet)" in ignored[2]
    assert [(line["operation"], line["response"]) for line in raw_lines(lake)] == [
        ("getAccountAnalytics", 2)
    ]
    assert daily(lake) == {"2025-01-01": ("30", "12", "false")}


def test_a_capture_of_the_same_day_replaces_that_days_snapshot_whole(tmp_path: Path) -> None:
    lake = new_lake(tmp_path / "lake")
    drop(
        lake,
        "graphql_20250102_080000.json",
        referrers({"a.com": (10, 5), "b.com": (8, 2), "c.com": (4, 1)}),
    )
    drop(lake, "graphql_20250103_080000.json", referrers({"a.com": (12, 6)}))
    run(lake)

    drop(lake, "graphql_20250102_200000.json", referrers({"a.com": (20, 9), "b.com": (9, 3)}))
    run(lake)

    rows = [(r["captured_on"], r["referrer"], r["views"]) for r in curated_rows(lake, REFERRERS)]
    assert rows == [
        ("2025-01-02", "a.com", "20"),
        ("2025-01-02", "b.com", "9"),
        ("2025-01-03", "a.com", "12"),
    ]


def test_titles_join_the_newest_known_title_and_untitled_links_keep_their_id(
    tmp_path: Path,
) -> None:
    lake = new_lake(tmp_path / "lake")
    drop(lake, "graphql_titles_20250101_080000.json", link_titles({7: "Old name", 8: "Merch"}))
    drop(lake, "graphql_links_20250102_080000.json", links({7: 10, 8: 4, 9: 1}))
    drop(lake, "graphql_titles_20250102_080001.json", link_titles({7: "New name", 9: None}))
    run(lake)

    rows = [(r["link_id"], r["title"], r["clicks"]) for r in curated_rows(lake, LINKS)]
    assert rows == [("7", "New name", "10"), ("8", "Merch", "4"), ("9", "9", "1")]


def test_every_curated_file_exists_with_its_header_even_when_empty(tmp_path: Path) -> None:
    lake = new_lake(tmp_path / "lake")
    drop(lake, "graphql_20250102_180000.json", overview({"2025-01-01": (30, 12)}))
    run(lake)

    header = (lake.zone("4_curated") / SOCIALS).read_text(encoding="utf-8")
    assert header == "date,social,views,clicks,is_partial_day,extracted_at,source_id\n"
    assert curated_rows(lake, LOCATIONS) == []


def test_two_cities_of_one_name_in_one_country_are_both_kept(tmp_path: Path) -> None:
    # Portland, Oregon and Portland, Maine: the same name and country, told apart by their
    # coordinates. Neither the capture nor its daily overview may be refused for it.
    lake = new_lake(tmp_path / "lake")
    capture = json.loads(LIFETIME_LOCATIONS_SAMPLE.read_text(encoding="utf-8"))
    cities = capture["data"]["getAccountAnalytics"]["locations"]["cities"]
    oregon, maine = (copy.deepcopy(cities[0]) for _ in range(2))
    oregon.update(name="Portland", countryCode="US", coordinates=[45.52, -122.68])
    maine.update(name="Portland", countryCode="US", coordinates=[43.66, -70.26])
    maine["views"]["total"] = 3
    cities[:] = [oregon, maine]
    drop(lake, "graphql_locations_20250102_180002.json", capture)

    run(lake)

    places = [
        (r["name"], r["country_code"], r["latitude"], r["views"])
        for r in curated_rows(lake, LOCATIONS)
        if r["level"] == "city"
    ]
    assert sorted(places) == [("Portland", "US", "43.66", "3"), ("Portland", "US", "45.52", "10")]

"""TikTok cleaning steps, in cleaner order: Studio exports reach curated with every date right."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import pytest

from common.lake import Lake
from tests.tiktok.tiktok_lake import (
    HISTORY_HEADER,
    OVERVIEW_HEADER,
    SERVICE,
    curated,
    daily,
    epoch,
    export_csv,
    fixture,
    land,
    run,
    tiktok_lake,
    zip_bytes,
    zone_files,
)
from tiktok.demo import studio_day

SAMPLE_EPOCH = epoch("2025-01-02T15:30")
SAMPLE_STEM = f"2024-12-30_{SAMPLE_EPOCH}"


def _days(first: date, count: int) -> list[date]:
    return [first + timedelta(days=n) for n in range(count)]


def _overview(days: list[date], language: str, views: int = 100) -> bytes:
    rows = [[studio_day(d, language), views + n, 3, 10, 2, 1] for n, d in enumerate(days)]
    return export_csv(OVERVIEW_HEADER, rows)


@pytest.fixture
def sample_lake(tmp_path: Path) -> Lake:
    """zone.a0's sample Overview and Followers zips, cleaned once."""
    lake = tiktok_lake(tmp_path / "lake")
    land(
        lake,
        f"Overview_{SAMPLE_STEM}_zone.a0.zip",
        zip_bytes({"Overview.csv": fixture("Overview.csv")}),
    )
    followers = {
        f"{m}.csv": fixture(f"{m}.csv")
        for m in ("FollowerHistory", "FollowerActivity", "FollowerGender", "FollowerTopTerritories")
    }
    land(lake, f"Followers_{SAMPLE_STEM}_zone.a0.zip", zip_bytes(followers))
    run(lake)
    return lake


def test_an_export_crossing_the_new_year_gets_every_date_right_in_english_and_french(
    tmp_path: Path,
) -> None:
    lake = tiktok_lake(tmp_path / "lake")
    days = _days(date(2025, 12, 20), 25)
    stem = f"2025-12-20_{epoch('2026-01-14T09:00')}"
    land(lake, f"Overview_{stem}_zone.a0.zip", zip_bytes({"Overview.csv": _overview(days, "en")}))
    land(lake, f"tiktok_pig1987_Overview_{stem}.csv", _overview(days, "fr", views=500))

    run(lake)

    for account, first_views in (("zone.a0", 100), ("pig1987", 500)):
        rows = daily(lake, account)
        assert [r["date"] for r in rows] == [d.isoformat() for d in days]
        assert [int(r["video_views"]) for r in rows] == list(range(first_views, first_views + 25))


def test_the_samples_give_hand_computed_followers_and_engagement(sample_lake: Lake) -> None:
    rows = daily(sample_lake)

    assert [
        (r["date"], r["video_views"], r["likes"], r["comments"], r["shares"]) for r in rows
    ] == [
        ("2024-12-30", "120", "9", "1", "0"),
        ("2024-12-31", "98", "7", "0", "1"),
        ("2025-01-01", "301", "25", "-1", "3"),
        ("2025-01-02", "0", "0", "0", "0"),
    ]
    # (likes + comments + shares) / views; empty when views are 0.
    rates = [float(r["engagement_rate"]) if r["engagement_rate"] else None for r in rows]
    assert rates == [pytest.approx(10 / 120), pytest.approx(8 / 98), pytest.approx(27 / 301), None]
    # Recomputed from Followers (undefined, 210, 211, 210), not the file's shifted column.
    assert [(r["followers"], r["new_followers"]) for r in rows] == [
        ("", ""),
        ("210", ""),
        ("211", "1"),
        ("210", "-1"),
    ]
    assert {(r["account"], r["artist"]) for r in rows} == {("zone.a0", "ZONE A0")}


def test_the_followers_zip_reaches_activity_and_snapshot_tables(sample_lake: Lake) -> None:
    activity = curated(sample_lake, "tiktok_follower_activity_curated.csv")
    gender = curated(sample_lake, "tiktok_follower_gender_curated.csv")
    territories = curated(sample_lake, "tiktok_follower_territories_curated.csv")

    # January 2's hours after the export (15 to 23) are zero-filled by Studio: not measured yet.
    assert [(r["date"], r["hour"]) for r in activity][-1] == ("2025-01-02", "14")
    assert len(activity) == 24 + 15
    assert [(r["export_date"], r["gender"], r["distribution"]) for r in gender] == [
        ("2025-01-02", "Female", "0.47"),
        ("2025-01-02", "Male", "0.51"),
        ("2025-01-02", "Other", "0.02"),
    ]
    assert {r["territory"] for r in territories} == {"US", "DE", "Others"}
    assert territories[0]["source_file"] == (
        f"1_landing/tiktok/Followers_{SAMPLE_STEM}_zone.a0.zip/FollowerTopTerritories.csv"
    )


def test_loose_viewers_and_content_csvs_reach_their_tables(tmp_path: Path) -> None:
    lake = tiktok_lake(tmp_path / "lake")
    land(lake, f"tiktok_pig1987_Viewers_{SAMPLE_STEM}.csv", fixture("Viewers.csv"))
    land(lake, f"tiktok_pig1987_Content_{SAMPLE_EPOCH}.csv", fixture("Content.csv"))

    run(lake)

    viewers = curated(lake, "tiktok_viewers_curated.csv")
    content = curated(lake, "tiktok_content_curated.csv")
    assert [(r["date"], r["total_viewers"], r["new_viewers"]) for r in viewers] == [
        ("2025-01-01", "80", "61"),
        ("2025-01-02", "", "0"),
    ]
    assert [
        (r["account"], r["date"], r["video_id"], r["posted_on"], r["views"]) for r in content
    ] == [("pig1987", "2025-01-02", "7400000000000000001", "2024-12-28", "4826")]


def test_a_caption_with_line_breaks_in_the_last_row_is_curated_not_called_cut_off(
    tmp_path: Path,
) -> None:
    lake = tiktok_lake(tmp_path / "lake")
    text = fixture("Content.csv").decode("utf-8")
    broken = text.replace("teaser, new single #example", "teaser\nnew single\r\n#example")
    land(lake, f"tiktok_pig1987_Content_{SAMPLE_EPOCH}.csv", broken.encode("utf-8"))

    run(lake)

    assert not list((lake.zone("1_landing") / "_quarantine").rglob("*.reason.json"))
    content = curated(lake, "tiktok_content_curated.csv")
    assert [(r["video_id"], r["views"]) for r in content] == [("7400000000000000001", "4826")]


def test_a_photo_post_is_curated_beside_the_videos(tmp_path: Path) -> None:
    lake = tiktok_lake(tmp_path / "lake")
    text = fixture("Content.csv").decode("utf-8")
    photo = (
        '"January 2","carousel","https://www.tiktok.com/@example.artist/photo/7453400346133703476",'
        '"December 29","40","1","2","900"\n'
    )
    land(lake, f"tiktok_pig1987_Content_{SAMPLE_EPOCH}.csv", (text + photo).encode("utf-8"))

    run(lake)

    content = curated(lake, "tiktok_content_curated.csv")
    assert [(r["video_id"], r["posted_on"], r["views"]) for r in content] == [
        ("7400000000000000001", "2024-12-28", "4826"),
        ("7453400346133703476", "2024-12-29", "900"),
    ]


def test_a_member_with_only_its_header_holds_no_rows_and_the_zip_reaches_curated(
    tmp_path: Path,
) -> None:
    """Studio writes a header alone where it has nothing to show (demographics of a small
    account, a window without posts): that member is empty, the others are curated."""
    lake = tiktok_lake(tmp_path / "lake")
    followers = {
        f"{m}.csv": fixture(f"{m}.csv")
        for m in ("FollowerHistory", "FollowerActivity", "FollowerTopTerritories")
    }
    followers["FollowerGender.csv"] = '\ufeff"Gender","Distribution"\n'.encode("utf-8")
    land(lake, f"Followers_{SAMPLE_STEM}_zone.a0.zip", zip_bytes(followers))
    header = fixture("Content.csv").decode("utf-8").splitlines()[0] + "\n"
    land(lake, f"tiktok_pig1987_Content_{SAMPLE_EPOCH}.csv", header.encode("utf-8"))

    run(lake)

    assert not list((lake.zone("1_landing") / "_quarantine").rglob("*.reason.json"))
    assert [r["followers"] for r in daily(lake, "zone.a0") if r["followers"]]
    assert len(curated(lake, "tiktok_follower_activity_curated.csv")) == 24 + 15
    assert curated(lake, "tiktok_follower_territories_curated.csv")
    for empty in ("tiktok_follower_gender_curated.csv", "tiktok_content_curated.csv"):
        path = lake.zone("4_curated") / empty
        assert not path.exists() or curated(lake, empty) == []


def test_content_posted_over_a_year_before_the_export_keeps_its_year(tmp_path: Path) -> None:
    lake = tiktok_lake(tmp_path / "lake")
    land(lake, f"tiktok_zone.a0_Content_{SAMPLE_EPOCH}.csv", fixture("Content_old_posts.csv"))

    run(lake)

    staged = lake.zone("3_staging") / SERVICE / "tiktok_content.csv"
    with staged.open(encoding="utf-8", newline="") as stream:
        staged_posts = {r["video_id"]: r["posted_on"] for r in csv.DictReader(stream)}
    curated_posts = {
        r["video_id"]: r["posted_on"] for r in curated(lake, "tiktok_content_curated.csv")
    }
    expected = {
        "7206319469042081543": "2023-03-03",
        "7301234567890123456": "2023-11-14",
        "7453400346133703476": "2024-12-28",
    }
    assert staged_posts == expected
    assert curated_posts == expected


def test_dropping_the_same_file_again_changes_nothing(sample_lake: Lake) -> None:
    before = zone_files(sample_lake)
    landing = sample_lake.zone("1_landing") / SERVICE
    overview = landing / f"Overview_{SAMPLE_STEM}_zone.a0.zip"
    overview.write_bytes(overview.read_bytes())  # downloaded again: same name, new mtime
    (landing / "Overview_copy_zone.a0.zip").write_bytes(overview.read_bytes())

    results = run(sample_lake)

    after = zone_files(sample_lake)
    data = {path: content for path, content in after.items() if not path.endswith("_hashes.json")}
    assert data == {p: c for p, c in before.items() if not p.endswith("_hashes.json")}
    assert "is identical to" in results[0].stderr
    assert "nothing new" in results[1].stderr and "nothing new" in results[2].stderr


def test_a_newer_overlapping_export_updates_revised_days_and_loses_none(
    sample_lake: Lake,
) -> None:
    newer = export_csv(
        OVERVIEW_HEADER,
        [
            ["January 1", "305", "12", "26", "0", "3"],
            ["January 2", "77", "5", "6", "1", "0"],
            ["January 3", "64", "2", "5", "0", "1"],
        ],
    )
    stem = f"2025-01-01_{epoch('2025-01-04T08:00')}"
    land(sample_lake, f"Overview_{stem}_zone.a0.zip", zip_bytes({"Overview.csv": newer}))

    run(sample_lake)

    assert [(r["date"], r["video_views"], r["comments"]) for r in daily(sample_lake)] == [
        ("2024-12-30", "120", "1"),
        ("2024-12-31", "98", "0"),
        ("2025-01-01", "305", "0"),
        ("2025-01-02", "77", "1"),
        ("2025-01-03", "64", "0"),
    ]
    archived = list((sample_lake.zone("5_archive") / "4_curated").glob("tiktok_daily_curated_*"))
    assert len(archived) == 1


def test_an_older_export_dropped_late_does_not_undo_a_revision(tmp_path: Path) -> None:
    lake = tiktok_lake(tmp_path / "lake")
    revised = export_csv(OVERVIEW_HEADER, [["January 1", "305", "12", "26", "0", "3"]])
    land(lake, f"tiktok_zone.a0_Overview_{epoch('2025-01-04T08:00')}.csv", revised)
    run(lake)
    land(
        lake,
        f"Overview_{SAMPLE_STEM}_zone.a0.zip",
        zip_bytes({"Overview.csv": fixture("Overview.csv")}),
    )

    run(lake)

    by_day = {r["date"]: r["video_views"] for r in daily(lake)}
    assert by_day == {
        "2024-12-30": "120",
        "2024-12-31": "98",
        "2025-01-01": "305",
        "2025-01-02": "0",
    }


def test_both_accounts_are_kept_apart(tmp_path: Path) -> None:
    lake = tiktok_lake(tmp_path / "lake")
    days = _days(date(2025, 1, 1), 3)
    stem = f"2025-01-01_{epoch('2025-01-04T08:00')}"
    for account, views, followers in (("zone.a0", 100, 1000), ("pig1987", 900, 50)):
        history = export_csv(
            HISTORY_HEADER,
            [[studio_day(d, "en"), followers + 5 * n, 5] for n, d in enumerate(days)],
        )
        members = {"FollowerHistory.csv": history}
        land(
            lake,
            f"Overview_{stem}_{account}.zip",
            zip_bytes({"Overview.csv": _overview(days, "en", views)}),
        )
        land(lake, f"Followers_{stem}_{account}.zip", zip_bytes(members))

    run(lake)

    rows = daily(lake)
    assert [
        (r["account"], r["artist"], r["date"], r["video_views"], r["followers"], r["new_followers"])
        for r in rows
    ] == [
        ("pig1987", "PIG1987", "2025-01-01", "900", "50", ""),
        ("pig1987", "PIG1987", "2025-01-02", "901", "55", "5"),
        ("pig1987", "PIG1987", "2025-01-03", "902", "60", "5"),
        ("zone.a0", "ZONE A0", "2025-01-01", "100", "1000", ""),
        ("zone.a0", "ZONE A0", "2025-01-02", "101", "1005", "5"),
        ("zone.a0", "ZONE A0", "2025-01-03", "102", "1010", "5"),
    ]


def test_a_later_activity_export_fills_the_hours_the_earlier_one_had_not_measured(
    sample_lake: Lake,
) -> None:
    week = _days(date(2024, 12, 27), 7)
    rows = [[studio_day(d, "en"), h, 100 + h] for d in week for h in range(24)]
    members = {
        "FollowerHistory.csv": fixture("FollowerHistory.csv"),
        "FollowerActivity.csv": export_csv(["Date", "Hour", "Active followers"], rows),
    }
    land(sample_lake, "Followers_zone.a0_20250103_235900.zip", zip_bytes(members))

    run(sample_lake)

    activity = {
        (r["date"], r["hour"]): r["active_followers"]
        for r in curated(sample_lake, "tiktok_follower_activity_curated.csv")
    }
    assert activity[("2025-01-02", "20")] == "120"
    assert activity[("2024-12-27", "0")] == "100"
    assert len(activity) == 7 * 24

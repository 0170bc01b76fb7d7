"""YouTube's cleaners on every shape a file can arrive in, and on files that must be refused."""

from __future__ import annotations

import json
from pathlib import Path

from tests.youtube.youtube_lake import (
    API_SAMPLE,
    CHANNEL_DAILY,
    REPORTING_SAMPLE,
    TABLE_SAMPLE,
    VIDEO_DAILY,
    VIDEOS,
    curated_rows,
    drop,
    drop_json,
    drop_text,
    new_lake,
    quarantined,
    result_table,
    run_ok,
)


def test_an_analytics_report_is_curated_per_day(tmp_path: Path) -> None:
    lake = new_lake(tmp_path / "lake")
    drop(lake, API_SAMPLE, "youtube_channel_daily_20250105_080000.json")
    run_ok(lake)
    rows = curated_rows(lake, CHANNEL_DAILY)
    assert [(r["date"], r["views"], r["minutes_watched"], r["net_subscribers"]) for r in rows] == [
        ("2025-01-01", "149", "298", "2"),
        ("2025-01-02", "67", "182", "-1"),
    ]


def test_the_newest_pull_revises_the_days_the_api_had_not_settled(tmp_path: Path) -> None:
    lake = new_lake(tmp_path / "lake")
    first = result_table(("day",), [["2025-01-01", 10, 20, 60, 1, 0, 1, 0],
                                    ["2025-01-02", 5, 9, 50, 0, 0, 0, 0]])  # fmt: skip
    second = result_table(("day",), [["2025-01-02", 8, 15, 55, 1, 1, 0, 0]])
    drop_json(lake, "youtube_channel_daily_20250104_080000.json", first)
    drop_json(lake, "youtube_channel_daily_20250105_080000.json", second)
    run_ok(lake)
    views = {r["date"]: r["views"] for r in curated_rows(lake, CHANNEL_DAILY)}
    assert views == {"2025-01-01": "10", "2025-01-02": "8"}


def channel_list(subscribers: object, hidden: bool = False) -> dict[str, object]:
    """A Data API v3 `channels?part=snippet,statistics&mine=true` answer."""
    statistics = {"viewCount": "5000", "subscriberCount": subscribers,
                  "hiddenSubscriberCount": hidden, "videoCount": "3"}  # fmt: skip
    item = {"kind": "youtube#channel", "id": "UCexample", "snippet": {"title": "BEDROT"},
            "statistics": statistics}  # fmt: skip
    return {"kind": "youtube#channelListResponse", "items": [item]}


def test_a_snapshot_pulled_before_the_api_has_its_day_still_gives_the_day_its_count(
    tmp_path: Path,
) -> None:
    # The Analytics API answers 2-3 days behind: the pull of Jan 5 has days up to Jan 2, and
    # the snapshot it takes is of Jan 5. The count must not wait for a daily row of Jan 5.
    lake = new_lake(tmp_path / "lake")
    report = result_table(("day",), [["2025-01-01", 10, 20, 60, 1, 0, 1, 0],
                                     ["2025-01-02", 5, 9, 50, 0, 0, 0, 0]])  # fmt: skip
    drop_json(lake, "youtube_channel_daily_20250105_080000.json", report)
    drop_json(lake, "youtube_channel_stats_20250105_080000.json", channel_list("1187"))
    drop_json(lake, "youtube_channel_stats_20250102_080000.json", channel_list("1180"))
    run_ok(lake)
    rows = {r["date"]: r for r in curated_rows(lake, CHANNEL_DAILY)}
    assert {d: (r["views"], r["subscriber_count"]) for d, r in rows.items()} == {
        "2025-01-01": ("10", ""),
        "2025-01-02": ("5", "1180"),
        "2025-01-05": ("", "1187"),
    }
    assert rows["2025-01-05"]["source_file"].endswith("youtube_channel_stats_20250105_080000.json")


def test_a_hidden_subscriber_count_adds_no_empty_day(tmp_path: Path) -> None:
    lake = new_lake(tmp_path / "lake")
    drop(lake, API_SAMPLE, "youtube_channel_daily_20250105_080000.json")
    drop_json(lake, "youtube_channel_stats_20250105_080000.json", channel_list(None, hidden=True))
    run_ok(lake)
    assert [r["date"] for r in curated_rows(lake, CHANNEL_DAILY)] == ["2025-01-01", "2025-01-02"]


def test_studios_table_skips_its_total_row(tmp_path: Path) -> None:
    lake = new_lake(tmp_path / "lake")
    drop(lake, TABLE_SAMPLE, "Table data.csv")
    run_ok(lake)
    [video] = curated_rows(lake, VIDEOS)
    assert (video["video_id"], video["title"], video["views"]) == ("AAAAAAAAAAA", "Example video",
                                                                   "1250")  # fmt: skip
    assert (video["published"], video["average_view_duration_seconds"]) == ("2025-01-14", "72")


def test_studio_chart_and_totals_exports_are_curated(tmp_path: Path) -> None:
    lake = new_lake(tmp_path / "lake")
    drop_text(lake, "Totals.csv", "Date,Views\n2025-02-01,1200\n2025-02-02,1350\n")
    chart = "Date,Content,Video title,Video publish time,Duration,Views,Watch time (hours)\n"
    chart += (
        'Total,,,,,900,15.5\n2025-02-01,AAAAAAAAAAA,Example video,"Jan 14, 2025",212,900,15.5\n'
    )
    drop_text(lake, "Chart data.csv", chart, encoding="utf-8-sig")
    run_ok(lake)
    channel = {r["date"]: r["views"] for r in curated_rows(lake, CHANNEL_DAILY)}
    assert channel == {"2025-02-01": "1200", "2025-02-02": "1350"}
    [video] = curated_rows(lake, VIDEO_DAILY)
    assert (video["video_id"], video["views"], video["minutes_watched"]) == (
        "AAAAAAAAAAA", "900", "930",
    )  # fmt: skip


def test_a_reporting_api_csv_adds_up_each_video_day(tmp_path: Path) -> None:
    lake = new_lake(tmp_path / "lake")
    sample = REPORTING_SAMPLE.read_text(encoding="utf-8")
    second = sample.splitlines()[1].replace(",US,", ",DE,").replace(",12,10,24.5,", ",3,3,6.25,")
    drop_text(lake, "channel_basic_a2.csv", sample + second + "\n")
    run_ok(lake)
    [video] = curated_rows(lake, VIDEO_DAILY)
    assert (video["date"], video["views"], video["minutes_watched"]) == ("2025-01-01", "15",
                                                                         "30.75")  # fmt: skip
    assert video["average_view_duration_seconds"] == "123"  # 30.75 min x 60 / 15 views


def test_a_chart_broken_down_by_a_dimension_or_a_partial_report_is_refused_not_taken_as_totals(
    tmp_path: Path,
) -> None:
    """A Studio chart of the Traffic source tab lists each day once per source, and a Reporting
    API province or playlist report counts only some views: neither is a day's total, and taking
    one row (or one report) as it would write wrong views."""
    lake = new_lake(tmp_path / "lake")
    drop(lake, REPORTING_SAMPLE, "channel_basic_a2_20250102_20250103T000000.csv")
    by_source = "Date,Traffic source,Views\n2025-01-14,Browse features,300\n"
    by_source += "2025-01-14,YouTube search,120\n2025-01-14,External,15\n"
    drop_text(lake, "Chart data.csv", by_source, encoding="utf-8-sig")
    province = "date,channel_id,video_id,live_or_on_demand,subscribed_status,province_code,"
    province += (
        "views,watch_time_minutes\n20250101,UCx,AAAAAAAAAAA,on_demand,subscribed,US-CA,1,2\n"
    )
    drop_text(lake, "channel_province_a2_20250102_20250104T000000.csv", province)
    playlist = "date,channel_id,playlist_id,video_id,views,watch_time_minutes\n"
    playlist += "20250101,UCx,PLx,AAAAAAAAAAA,1,2\n"
    drop_text(lake, "playlist_basic_a1_20250102_20250104T000000.csv", playlist)
    one_source = "Date,Traffic source,Views,Impressions\n2025-01-14,YouTube search,12,1,400\n"
    drop_text(lake, "Chart data (1).csv", one_source.replace(",1,400", ",1400"))

    run_ok(lake)

    reasons = quarantined(lake)
    assert set(reasons) == {
        "Chart data.csv",
        "Chart data (1).csv",
        "channel_province_a2_20250102_20250104T000000.csv",
        "playlist_basic_a1_20250102_20250104T000000.csv",
    }
    assert "Traffic source" in str(reasons["Chart data.csv"]["what_failed"])
    assert "broken down by 'Traffic source'" in str(reasons["Chart data (1).csv"]["what_failed"])
    channel = lake.zone("4_curated") / CHANNEL_DAILY
    assert not channel.exists() or curated_rows(lake, CHANNEL_DAILY) == []
    [video] = curated_rows(lake, VIDEO_DAILY)
    assert (video["date"], video["views"]) == ("2025-01-01", "12")


def test_a_partial_export_never_erases_what_the_api_gave(tmp_path: Path) -> None:
    lake = new_lake(tmp_path / "lake")
    drop(lake, API_SAMPLE, "youtube_channel_daily_20250105_080000.json")
    drop_text(lake, "Totals_20250106_090000.csv", "Date,Views\n2025-01-01,150\n")
    run_ok(lake)
    first = curated_rows(lake, CHANNEL_DAILY)[0]
    assert (first["views"], first["minutes_watched"]) == ("150", "298")


def test_bad_files_are_quarantined_with_a_reason_and_the_rest_is_curated(tmp_path: Path) -> None:
    lake = new_lake(tmp_path / "lake")
    drop(lake, API_SAMPLE, "youtube_channel_daily_20250105_080000.json")
    drop_text(lake, "cut.json", '{"kind": "youtubeAnalytics#resultTable", "rows": [[')
    drop_text(lake, "login.csv", "<!doctype html><html><body>Sign in</body></html>")
    drop_text(lake, "Totals.csv", "Date,Views\n2025-01-03,many\n")
    drop_json(lake, "quota.json", {"error": {"code": 403, "message": "quota"}})
    drop_text(lake, "other.csv", "Name,Amount\nx,1\n")
    run_ok(lake)
    reasons = quarantined(lake)
    assert {name: str(r["rule"]) for name, r in reasons.items()} == {
        "cut.json": "truncated",
        "login.csv": "not-html",
        "Totals.csv": "value",
        "quota.json": "api-error",
        "other.csv": "unknown-format",
    }
    assert "line 2" in str(reasons["Totals.csv"]["what_failed"])
    assert [r["date"] for r in curated_rows(lake, CHANNEL_DAILY)] == ["2025-01-01", "2025-01-02"]
    assert json.loads(API_SAMPLE.read_text())["rows"][0][1] == 149

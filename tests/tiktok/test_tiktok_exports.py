"""One Studio CSV read, typed and dated: the golden samples and the variants Studio produces."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from common.quarantine import RejectedFile
from tests.tiktok.tiktok_lake import FIXTURES, export_csv, fixture, in_french
from tiktok.exports import Anchors, read_export_csv
from tiktok.settings import CONTENT, FOLLOWER_ACTIVITY, FOLLOWER_HISTORY, OVERVIEW, VIEWERS
from tiktok.values import parse_count, parse_fraction

WINDOW = Anchors(date(2024, 12, 30), date(2025, 1, 2))
EXPORT_ONLY = Anchors(None, date(2025, 1, 2))
SAMPLE_DAYS = [date(2024, 12, 30), date(2024, 12, 31), date(2025, 1, 1), date(2025, 1, 2)]


def _write(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


@pytest.mark.parametrize("language", ["English", "French"])
def test_the_overview_sample_is_dated_across_the_new_year(tmp_path: Path, language: str) -> None:
    content = fixture("Overview.csv")
    path = _write(tmp_path, "Overview.csv", in_french(content) if language == "French" else content)

    rows, _ = read_export_csv(path, OVERVIEW, WINDOW)

    assert rows["date"].to_list() == SAMPLE_DAYS
    assert rows["video_views"].to_list() == [120, 98, 301, 0]


def test_without_a_window_start_the_days_are_counted_back_from_the_export() -> None:
    rows, _ = read_export_csv(FIXTURES / "Overview.csv", OVERVIEW, EXPORT_ONLY)

    assert rows["date"].to_list() == SAMPLE_DAYS


def test_negative_counts_are_kept() -> None:
    rows, _ = read_export_csv(FIXTURES / "Overview.csv", OVERVIEW, WINDOW)

    assert rows.filter(rows["date"] == date(2025, 1, 1))["comments"].to_list() == [-1]


def test_undefined_is_a_missing_value() -> None:
    history, _ = read_export_csv(FIXTURES / "FollowerHistory.csv", FOLLOWER_HISTORY, WINDOW)
    viewers, _ = read_export_csv(FIXTURES / "Viewers.csv", VIEWERS, WINDOW)

    assert history["followers"].to_list() == [None, 210, 211, 210]
    assert viewers["total_viewers"].to_list() == [80, None]
    assert viewers["date"].to_list() == [date(2025, 1, 1), date(2025, 1, 2)]


def test_follower_activity_is_seven_days_back_from_the_export_hour_by_hour() -> None:
    rows, _ = read_export_csv(FIXTURES / "FollowerActivity.csv", FOLLOWER_ACTIVITY, EXPORT_ONLY)

    assert rows.height == 48
    assert rows["date"].unique().sort().to_list() == [date(2025, 1, 1), date(2025, 1, 2)]
    assert rows["hour"].to_list()[:3] == [0, 1, 2]


def test_content_time_is_the_export_day_and_the_post_day_is_before_it() -> None:
    rows, _ = read_export_csv(FIXTURES / "Content.csv", CONTENT, EXPORT_ONLY)

    [row] = rows.to_dicts()
    assert row["date"] == date(2025, 1, 2)
    assert row["posted_on"] == date(2024, 12, 28)
    assert row["video_id"] == "7400000000000000001"
    assert row["video_title"] == "teaser, new single #example"
    assert (row["likes"], row["comments"], row["shares"], row["views"]) == (154, 7, 12, 4826)


def test_posts_older_than_a_year_are_dated_by_their_video_id_not_a_year_late() -> None:
    rows, _ = read_export_csv(FIXTURES / "Content_old_posts.csv", CONTENT, EXPORT_ONLY)

    posted = dict(zip(rows["video_id"], rows["posted_on"]))
    # Each id's top 32 bits are the post's Unix seconds.
    assert posted == {
        video_id: datetime.fromtimestamp(int(video_id) >> 32, tz=timezone.utc).date()
        for video_id in posted
    }
    assert sorted(posted.values()) == [date(2023, 3, 3), date(2023, 11, 14), date(2024, 12, 28)]
    assert set(rows["date"]) == {date(2025, 1, 2)}


def test_a_content_variant_with_other_columns_and_short_counts(tmp_path: Path) -> None:
    header = ["Video link", "Time", "Total views", "Total likes", "Total comments"]
    header += ["Total shares", "Post time", "Total bookmarks", "Average watch time"]
    link = "https://www.tiktok.com/@zone.a0/video/7451234567890123456?lang=fr"
    path = _write(
        tmp_path,
        "Content.csv",
        export_csv(
            header, [[link, "2 janvier", "1.2K", "18,400", "3", "0", "31 déc.", "5", "7.1"]]
        ),
    )

    rows, extras = read_export_csv(path, CONTENT, EXPORT_ONLY)

    [row] = rows.to_dicts()
    assert (row["views"], row["likes"], row["video_title"]) == (1200, 18400, None)
    assert (row["video_id"], row["posted_on"]) == ("7451234567890123456", date(2024, 12, 31))
    assert extras == [{"Total bookmarks": "5", "Average watch time": "7.1"}]


def test_business_columns_of_the_overview_are_kept_as_extras(tmp_path: Path) -> None:
    header = ["Date", "Video Views", "Profile Views", "Likes", "Comments", "Shares"]
    path = _write(
        tmp_path,
        "Overview.csv",
        export_csv([*header, "Reached audience"], [["January 1", 5, 1, 1, 0, 0, 4]]),
    )

    rows, extras = read_export_csv(path, OVERVIEW, Anchors(date(2025, 1, 1), None))

    assert rows["date"].to_list() == [date(2025, 1, 1)]
    assert extras == [{"Reached audience": "4"}]


def test_an_unreadable_date_lists_every_failure_with_its_line(tmp_path: Path) -> None:
    content = fixture("Overview.csv").replace(b'"January 1"', b'"1 stycznia"')
    path = _write(tmp_path, "Overview.csv", content)

    with pytest.raises(RejectedFile) as rejected:
        read_export_csv(path, OVERVIEW, WINDOW)

    assert rejected.value.rule == "schema"
    assert rejected.value.details == [
        {
            "column": "date",
            "check": rejected.value.details[0]["check"],
            "value": "1 stycznia",
            "row": 4,
        }
    ]
    assert "English, French" in str(rejected.value.details[0]["check"])


@pytest.mark.parametrize(
    ("text", "count"),
    [("1234", 1234), ("-1", -1), ("18,400", 18400), ("18 400", 18400), ("1.2K", 1200)],
)
def test_counts_as_studio_writes_them(text: str, count: int) -> None:
    assert parse_count(text) == count


@pytest.mark.parametrize("text", ["1.5", "12,34", "lots", "1.2X"])
def test_texts_that_are_not_counts(text: str) -> None:
    assert parse_count(text) is None


@pytest.mark.parametrize(("text", "share"), [("0.51", 0.51), ("0,51", 0.51), ("51%", 0.51)])
def test_fractions_as_studio_writes_them(text: str, share: float) -> None:
    assert parse_fraction(text) == pytest.approx(share)

"""Year-less Studio dates: month names in several languages, and years walked from the anchors."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.tiktok.tiktok_lake import epoch
from tiktok.dates import (
    MONTHS,
    DatingError,
    day_code,
    on_or_after,
    on_or_before,
    posted_day,
    resolve_days,
    video_id_day,
    walk_backward,
    walk_forward,
)

EXPORT_DAY = date(2025, 1, 2)


def _video_id(posted_at: str, low_bits: int = 0x5A3C1F07) -> str:
    """A video id as TikTok mints them: the post's Unix seconds in the top 32 bits."""
    return str((epoch(posted_at) << 32) | low_bits)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("January 1", 101),
        ("December 31", 1231),
        ("Jan 5", 105),
        ("Sept. 9", 909),
        ("May 28", 528),
        ("1 janvier", 101),
        ("1er janvier", 101),
        ("11 septembre", 911),
        ("11 sept.", 911),
        ("3 févr.", 203),
        ("3 fevrier", 203),
        ("15 août", 815),
        ("31 DÉCEMBRE", 1231),
        ("1 de enero", 101),
        ("1. Januar", 101),
        ("3 März", 303),
        ("7 ottobre", 1007),
        ("1 Ιανουαρίου", 101),
        ("28 Μαΐου", 528),
        ("February 29", 229),
        ("2025-12-31", 20251231),
    ],
)
def test_studio_date_texts_become_month_day_codes(text: str, code: int) -> None:
    assert day_code(text) == code


@pytest.mark.parametrize(
    "text",
    [
        "1 stycznia",  # Polish: a language we do not read
        "1 Ocak",  # Turkish
        "January 32",
        "31 avril",
        "February 30",
        "January",
        "1",
        "January 1 2025",
        "13/01",
        "2025-02-30",
        "",
    ],
)
def test_texts_that_are_not_a_studio_date_give_none(text: str) -> None:
    assert day_code(text) is None


def test_no_month_name_means_two_months() -> None:
    assert MONTHS["mar"] == 3 and MONTHS["mai"] == 5 and MONTHS["dec"] == 12
    assert MONTHS["ago"] == 8 and MONTHS["set"] == 9 and MONTHS["out"] == 10


def test_walking_forward_from_the_window_start_crosses_the_new_year() -> None:
    codes = [1230, 1231, 101, 102]

    assert walk_forward(codes, date(2024, 12, 30)) == [
        date(2024, 12, 30),
        date(2024, 12, 31),
        date(2025, 1, 1),
        date(2025, 1, 2),
    ]


def test_the_years_come_from_the_anchor_never_from_a_fixed_year() -> None:
    codes = [1230, 1231, 101, 102]

    assert walk_forward(codes, date(2031, 12, 30))[2] == date(2032, 1, 1)
    assert walk_backward(codes, date(2019, 1, 2))[0] == date(2018, 12, 30)


def test_a_full_year_window_walks_every_day_once() -> None:
    first = date(2025, 3, 1)
    days = [first + timedelta(days=n) for n in range(365)]
    codes = [day.month * 100 + day.day for day in days]

    assert walk_forward(codes, first) == days
    assert walk_backward(codes, date(2026, 3, 1)) == days


def test_hourly_rows_repeat_a_day_without_moving_the_year() -> None:
    codes = [1231] * 24 + [101] * 24

    days = walk_backward(codes, date(2026, 1, 1))

    assert set(days[:24]) == {date(2025, 12, 31)} and set(days[24:]) == {date(2026, 1, 1)}


def test_an_epoch_a_day_off_by_time_zone_still_gives_the_right_year() -> None:
    # Exported on January 1 in the account's time zone, still December 31 in UTC.
    assert walk_backward([1231, 101], date(2025, 12, 31)) == [date(2025, 12, 31), date(2026, 1, 1)]
    # A window starting on December 31 in the account's time zone, January 1 in UTC.
    assert walk_forward([1231, 101], date(2026, 1, 1)) == [date(2025, 12, 31), date(2026, 1, 1)]


def test_a_custom_window_that_ended_months_before_the_export_keeps_its_year() -> None:
    assert walk_backward([330, 331], date(2025, 1, 15)) == [date(2024, 3, 30), date(2024, 3, 31)]


def test_a_history_shorter_than_the_named_window_starts_inside_it() -> None:
    # A Followers zip named with the Overview's 365-day window, its history only the last 60 days.
    assert on_or_after(1231, date(2025, 3, 1)) == date(2025, 12, 31)
    assert resolve_days([1231, 101], date(2025, 3, 1), date(2026, 1, 1)) == [
        date(2025, 12, 31),
        date(2026, 1, 1),
    ]


def test_february_29_needs_a_leap_year() -> None:
    assert walk_forward([228, 229, 301], date(2028, 2, 28))[1] == date(2028, 2, 29)
    with pytest.raises(DatingError, match="2025 has no such day"):
        walk_forward([228, 229, 301], date(2025, 2, 28))


def test_a_post_day_is_the_latest_such_day_on_or_before_the_export_day() -> None:
    assert on_or_before(1228, date(2025, 1, 2)) == date(2024, 12, 28)
    assert on_or_before(102, date(2025, 1, 2)) == date(2025, 1, 2)
    assert on_or_before(229, date(2025, 1, 2)) == date(2024, 2, 29)


def test_both_anchors_give_the_same_years() -> None:
    assert resolve_days([1230, 101], date(2024, 12, 30), date(2025, 1, 2)) == [
        date(2024, 12, 30),
        date(2025, 1, 1),
    ]
    assert resolve_days([1230, 101], None, date(2025, 1, 2))[0] == date(2024, 12, 30)
    assert resolve_days([1230, 101], date(2024, 12, 30), None)[-1] == date(2025, 1, 1)


def test_anchors_that_disagree_mean_the_name_does_not_match_the_rows() -> None:
    with pytest.raises(DatingError, match="does not match the rows"):
        resolve_days([1230, 1231, 101], date(2025, 12, 30), date(2025, 1, 2))


def test_rows_out_of_date_order_are_refused_not_misdated() -> None:
    with pytest.raises(DatingError, match="not in date order") as refused:
        resolve_days([102, 101, 1231], None, date(2025, 1, 2))

    assert refused.value.index == 1


def test_without_any_anchor_no_year_is_guessed() -> None:
    with pytest.raises(DatingError, match="neither"):
        resolve_days([101], None, None)


def test_iso_dates_keep_their_year_and_may_not_be_mixed_with_year_less_ones() -> None:
    assert resolve_days([20251231], None, None) == [date(2025, 12, 31)]
    with pytest.raises(DatingError, match="mixes"):
        resolve_days([20251231, 101], date(2025, 12, 31), None)


def test_a_post_older_than_a_year_takes_its_year_from_the_video_id() -> None:
    video_id = _video_id("2023-03-03T14:00")

    assert video_id_day(video_id) == date(2023, 3, 3)
    # "March 3" alone would be 2024-03-03, the latest March 3 before the export.
    assert posted_day(day_code("March 3") or 0, video_id, EXPORT_DAY) == date(2023, 3, 3)


def test_the_accounts_own_post_day_is_kept_when_utc_is_already_the_next_day() -> None:
    video_id = _video_id("2022-03-05T01:30")

    assert posted_day(day_code("4 mars") or 0, video_id, EXPORT_DAY) == date(2022, 3, 4)


@pytest.mark.parametrize(
    ("video_id", "why"),
    [
        ("123456", "reads as 1970, before TikTok existed"),
        (_video_id("2024-08-06T12:00"), "dates another day than the Post time"),
        (_video_id("2025-12-28T12:00"), "dates the post after the export"),
        (str(2**64), "is no 64-bit id"),
        (None, "is absent"),
    ],
)
def test_an_id_that_does_not_date_the_post_leaves_the_latest_such_day(
    video_id: str | None, why: str
) -> None:
    assert posted_day(day_code("December 28") or 0, video_id, EXPORT_DAY) == date(2024, 12, 28), why

"""The names the extractor lands Studio's exports under, and the range check on them."""

from __future__ import annotations

from datetime import date

from tiktok.names import parse_export_name
from tiktok.studio import ExportDates, export_dates, landing_name, range_mismatch


def test_studio_dates_carry_over_to_a_name_the_cleaners_read_with_the_account() -> None:
    dates = export_dates("Overview_2025-01-03_1767369600000.zip", fallback_epoch=1)
    name = parse_export_name(landing_name("Followers", dates, "zone.a0"))

    assert (name.kind, name.account, name.window_start) == (
        "Followers",
        "zone.a0",
        dates.window_start,
    )
    assert name.export_day == date(2026, 1, 2) == dates.export_day
    assert dates.window_days() == 365 and range_mismatch(dates, 365) is None


def test_a_name_without_dates_keeps_no_window_start_and_takes_our_clock() -> None:
    dates = export_dates("Overview.zip", fallback_epoch=1767369600)

    assert dates == ExportDates(None, "1767369600")
    assert parse_export_name(landing_name("Overview", dates, "pig1987")).account == "pig1987"
    assert range_mismatch(dates, 365) is None


def test_a_window_far_from_the_asked_range_is_named() -> None:
    dates = ExportDates(date(2025, 12, 27), "1767369600")

    assert "covers 7 days from 2025-12-27, not 365" in str(range_mismatch(dates, 365))

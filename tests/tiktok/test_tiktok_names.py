"""Landed file names: the export, the account and the anchors of the years, or a clear refusal."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from common.quarantine import RejectedFile
from tiktok.names import parse_export_name, require_anchor
from tiktok.settings import FOLLOWER_ACTIVITY, FOLLOWER_HISTORY, OVERVIEW


def test_studio_overview_zip_name() -> None:
    name = parse_export_name("Overview_2025-01-01_1767225600_zone.a0.zip")

    assert (name.kind, name.account, name.is_zip) == ("Overview", "zone.a0", True)
    assert name.window_start == date(2025, 1, 1)
    assert name.exported_at == datetime(2026, 1, 1, 0, 0)
    assert name.expected() == (OVERVIEW,)


def test_loose_csv_name_puts_the_account_first() -> None:
    name = parse_export_name("tiktok_zone.a0_Overview_2025-01-01_1767225600.csv")

    assert (name.kind, name.account, name.is_zip) == ("Overview", "zone.a0", False)
    assert (name.window_start, name.export_day) == (date(2025, 1, 1), date(2026, 1, 1))


def test_followers_zip_with_a_download_timestamp() -> None:
    name = parse_export_name("Followers_pig1987_20260301_090000.zip")

    assert (name.account, name.window_start) == ("pig1987", None)
    assert name.exported_at == datetime(2026, 3, 1, 9, 0)
    assert name.expected() == (FOLLOWER_HISTORY,)


@pytest.mark.parametrize(
    ("file_name", "account"),
    [
        ("Overview_2025-01-01_1767225600_zone.a0 (1).zip", "zone.a0"),
        ("Overview_2025-01-01_1767225600000_my_band.zip", "my_band"),
        ("tiktok_pig1987_FollowerActivity_1767225600.csv", "pig1987"),
        ("TIKTOK_pig1987_Viewers_2025-01-01.csv", "pig1987"),
    ],
)
def test_accounts_with_dots_underscores_and_copy_marks(file_name: str, account: str) -> None:
    assert parse_export_name(file_name).account == account


def test_a_millisecond_epoch_is_read_as_milliseconds() -> None:
    name = parse_export_name("Overview_2025-01-01_1767225600000_zone.a0.zip")

    assert name.exported_at == datetime(2026, 1, 1, 0, 0)


@pytest.mark.parametrize(
    ("file_name", "rule"),
    [
        ("Overview_2025-01-01_1767225600.zip", "no-account"),
        ("Overview.csv", "no-account"),
        ("tiktok_zone.a0_Overview_2025-01-01_1767225600_pig1987.csv", "file-name"),
        ("Analytics_2025-01-01_1767225600_zone.a0.zip", "file-name"),
        ("tiktok_zone.a0_Followers_1767225600.csv", "file-name"),
        ("Overview_2025-02-30_1767225600_zone.a0.zip", "file-name"),
        ("Overview_2025-01-01_1767225600_zone.a0.xlsx", "unknown-format"),
        ("zone.a0_followers_20250102_080000.json", "unknown-format"),
    ],
)
def test_names_that_do_not_say_enough_are_refused(file_name: str, rule: str) -> None:
    with pytest.raises(RejectedFile) as rejected:
        parse_export_name(file_name)

    assert rejected.value.rule == rule
    assert str(rejected.value).startswith(file_name)


def test_a_window_start_is_enough_for_the_overview_but_not_for_activity() -> None:
    name = parse_export_name("tiktok_zone.a0_Overview_2025-01-01.csv")
    require_anchor(name, OVERVIEW)

    with pytest.raises(RejectedFile) as rejected:
        require_anchor(name, FOLLOWER_ACTIVITY)

    assert rejected.value.rule == "no-anchor"
    assert "FollowerActivity.csv" in str(rejected.value)


def test_a_followers_zip_named_without_any_date_cannot_be_dated() -> None:
    name = parse_export_name("Followers_zone.a0.zip")

    with pytest.raises(RejectedFile) as rejected:
        require_anchor(name, FOLLOWER_HISTORY)

    assert rejected.value.rule == "no-anchor"
    assert "years cannot be known" in str(rejected.value)

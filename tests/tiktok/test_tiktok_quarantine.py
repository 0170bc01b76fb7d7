"""Every malformed TikTok drop is quarantined with its reason while the good files still land."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from common.lake import Lake
from tests.quarantine_support import MixedDrop, clean_twice, quarantine_reason
from tests.tiktok.tiktok_lake import (
    SERVICE,
    daily,
    epoch,
    fixture,
    in_french,
    run_steps,
    tiktok_lake,
    zip_bytes,
)

OVERVIEW = fixture("Overview.csv")
STEM = f"2024-12-30_{epoch('2025-01-02T15:30')}"
FOLLOWER_MEMBERS = (
    "FollowerHistory",
    "FollowerActivity",
    "FollowerGender",
    "FollowerTopTerritories",
)
LOGIN_PAGE = b"<!DOCTYPE html>\n<html><head><title>TikTok Studio | Log in</title></head></html>\n"


def _variant(views: str) -> bytes:
    """The Overview sample with another first count, so each bad file has its own content."""
    return OVERVIEW.replace(b'"120"', f'"{views}"'.encode(), 1)


GOOD_FILES = {
    f"Overview_{STEM}_zone.a0.zip": zip_bytes({"Overview.csv": OVERVIEW}),
    f"Followers_{STEM}_pig1987.zip": zip_bytes(
        {f"{m}.csv": fixture(f"{m}.csv") for m in FOLLOWER_MEMBERS}
    ),
    # A French export re-saved by Excel as Windows-1252: an encoding we know.
    f"tiktok_pig1987_Overview_{STEM}.csv": in_french(OVERVIEW).decode("utf-8-sig").encode("cp1252"),
}
BAD_FILES = {
    "tiktok_zone.a0_Overview_2024-12-30_1735831801.csv": (b"", "not-empty"),
    "tiktok_zone.a0_Viewers_2024-12-30_1735831802.csv": (LOGIN_PAGE, "not-html"),
    "Overview_2024-12-30_1735831803_zone.a0.zip": (LOGIN_PAGE + b"<!-- zip -->", "not-html"),
    "Overview_2024-12-30_1735831804_zone.a0.zip": (
        zip_bytes({"Overview.xlsx": b"PK\x03\x04 not a csv"}),
        "zip-member",
    ),
    "Followers_2024-12-30_1735831805_zone.a0.zip": (
        zip_bytes({"FollowerGender.csv": fixture("FollowerGender.csv")}),
        "zip-member",
    ),
    "Overview_2024-12-30_1735831806_zone.a0.zip": (
        zip_bytes({"Overview.csv": _variant("121")})[:120],
        "corrupt-zip",
    ),
    "Overview_2024-12-30_1735831818_zone.a0.zip": (
        zip_bytes({"Overview.csv": _variant("132")}).replace(b'"301"', b'"391"'),
        "corrupt-zip",
    ),
    "Overview_2024-12-30_1735831807_zone.a0.zip": (
        zip_bytes({"Overview.csv": _variant("122").replace(b'"Video Views"', b'"Views"')}),
        "header",
    ),
    "tiktok_zone.a0_Overview_2024-12-30_1735831808.csv": (
        _variant("123").replace(b'"Video Views"', b'"Views"'),
        "header",
    ),
    "tiktok_zone.a0_Overview_2024-12-30_1735831809.csv": (
        _variant("124").rstrip(b"\n")[:-5],
        "truncated",
    ),
    "tiktok_zone.a0_Overview_2024-12-30_1735831810.csv": (
        _variant("125").rstrip(b"\n")[:-1],
        "truncated",
    ),
    "tiktok_zone.a0_Overview_2024-12-30_1735831811.csv": (
        _variant("126").decode("utf-8-sig").encode("utf-16-le"),
        "encoding",
    ),
    "tiktok_zone.a0_Overview_2024-12-30_1735831812.csv": (
        _variant("127").replace(b'"January 1"', b'"1 stycznia"'),
        "schema",
    ),
    "Overview_2024-12-30_1735831813_someone.else.zip": (
        zip_bytes({"Overview.csv": _variant("128")}),
        "unknown-account",
    ),
    "Overview_2024-12-30_1735831814.zip": (
        zip_bytes({"Overview.csv": _variant("129")}),
        "no-account",
    ),
    "Followers_zone.a0.zip": (
        zip_bytes({"FollowerHistory.csv": fixture("FollowerHistory.csv")}),
        "no-anchor",
    ),
    "tiktok_zone.a0_Overview_2025-12-30_1735831815.csv": (_variant("130"), "date"),
    "tiktok_zone.a0_Overview_2025-02-28_1740787200.csv": (
        b'\xef\xbb\xbf"Date","Video Views","Profile Views","Likes","Comments","Shares"\n'
        b'"February 28","1","0","0","0","0"\n"February 29","1","0","0","0","0"\n',
        "date",
    ),
    "tiktok_zone.a0_Overview_2024-12-30_1735831816.csv": (
        _variant("131") + b'"January 2","5","0","0","0","0"\n',
        "unique",
    ),
    "tiktok_zone.a0_Overview_2024-12-30_1735831817.xlsx": (
        b"PK\x03\x04" + b"\x00" * 40,
        "unknown-format",
    ),
}
QUARANTINE = Path("1_landing") / "_quarantine" / SERVICE


@pytest.fixture(scope="module")
def mixed_drop(tmp_path_factory: pytest.TempPathFactory) -> MixedDrop:
    """One lake where good and bad files land together, cleaned twice."""
    lake = tiktok_lake(tmp_path_factory.mktemp("lake"))
    bad = {name: content for name, (content, _) in BAD_FILES.items()}
    return clean_twice(lake, SERVICE, {**GOOD_FILES, **bad}, run_steps)


def _reason(lake: Lake, name: str) -> dict[str, object]:
    return quarantine_reason(lake, SERVICE, name)


def test_every_cleaner_finishes_with_exit_code_zero(mixed_drop: MixedDrop) -> None:
    results = mixed_drop.first + mixed_drop.second
    assert [r.returncode for r in results] == [0] * 6, [r.stderr for r in results]


@pytest.mark.parametrize(("name", "rule"), [(n, rule) for n, (_, rule) in BAD_FILES.items()])
def test_a_bad_file_is_quarantined_with_its_reason(
    mixed_drop: MixedDrop, name: str, rule: str
) -> None:
    reason = _reason(mixed_drop.lake, name)

    assert reason["rule"] == rule, reason
    assert reason["file"] == f"1_landing/{SERVICE}/{name}"
    assert str(reason["what_failed"]).startswith(name)
    assert (mixed_drop.lake.root / QUARANTINE / name).read_bytes() == BAD_FILES[name][0]


def test_a_bad_member_is_named_with_its_zip(mixed_drop: MixedDrop) -> None:
    reason = _reason(mixed_drop.lake, "Overview_2024-12-30_1735831807_zone.a0.zip")

    assert "Overview.csv is not TikTok's Overview.csv export" in str(reason["what_failed"])
    assert "'Video Views'" in str(reason["what_failed"])


def test_dates_that_cannot_be_placed_in_a_year_say_which_line(mixed_drop: MixedDrop) -> None:
    leap = _reason(mixed_drop.lake, "tiktok_zone.a0_Overview_2025-02-28_1740787200.csv")
    misnamed = _reason(mixed_drop.lake, "tiktok_zone.a0_Overview_2025-12-30_1735831815.csv")

    assert "line 3 says February 29, but 2025 has no such day" in str(leap["what_failed"])
    assert "the name does not match the rows" in str(misnamed["what_failed"])


def test_an_unknown_account_says_where_accounts_are_listed(mixed_drop: MixedDrop) -> None:
    reason = _reason(mixed_drop.lake, "Overview_2024-12-30_1735831813_someone.else.zip")

    assert "'someone.else'" in str(reason["what_failed"])
    assert "config/artists.json" in str(reason["what_failed"])


def test_a_month_name_in_an_unknown_language_is_listed_in_the_failure_cases(
    mixed_drop: MixedDrop,
) -> None:
    name = "tiktok_zone.a0_Overview_2024-12-30_1735831812.csv"
    table = mixed_drop.lake.root / QUARANTINE / f"{name}.failures.csv"
    with table.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))

    assert [(r["column"], r["value"], r["row"]) for r in rows] == [("date", "1 stycznia", "4")]


def test_the_log_says_why_in_one_line_per_file(mixed_drop: MixedDrop) -> None:
    warnings = [line for line in mixed_drop.first[0].stderr.splitlines() if "Quarantined" in line]

    assert len(warnings) == len(BAD_FILES)
    assert all(any(name in line for line in warnings) for name in BAD_FILES)


def test_the_good_files_still_reach_curated(mixed_drop: MixedDrop) -> None:
    rows = daily(mixed_drop.lake)

    assert [(r["account"], r["date"], r["video_views"], r["followers"]) for r in rows] == [
        ("pig1987", "2024-12-30", "120", ""),
        ("pig1987", "2024-12-31", "98", "210"),
        ("pig1987", "2025-01-01", "301", "211"),
        ("pig1987", "2025-01-02", "0", "210"),
        ("zone.a0", "2024-12-30", "120", ""),
        ("zone.a0", "2024-12-31", "98", ""),
        ("zone.a0", "2025-01-01", "301", ""),
        ("zone.a0", "2025-01-02", "0", ""),
    ]


def test_the_landing_files_are_unchanged(mixed_drop: MixedDrop) -> None:
    landing = mixed_drop.lake.zone("1_landing") / SERVICE
    expected = {**GOOD_FILES, **{name: content for name, (content, _) in BAD_FILES.items()}}

    assert {p.name: p.read_bytes() for p in landing.iterdir() if p.is_file()} == expected


def test_a_quarantined_file_is_not_retried_by_the_next_run(mixed_drop: MixedDrop) -> None:
    reasons = list((mixed_drop.lake.root / QUARANTINE).glob("*.reason.json"))

    assert "Quarantined" not in mixed_drop.second[0].stderr
    assert len(reasons) == len(BAD_FILES)

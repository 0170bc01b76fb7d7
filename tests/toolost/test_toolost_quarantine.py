"""Bad TooLost drops are quarantined with their rule; good files in the same run still land."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from common.lake import Lake
from common.testing import lake_with_services
from tests.quarantine_support import MixedDrop, clean_twice, quarantine_reason
from tests.steps_support import clean_in_process

SERVICE = "toolost"
THIS_LAKE = Lake(Path(__file__).resolve().parents[2])
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / SERVICE
GOOD_FILES = {
    "toolost_spotify_20250104_080000.json": (FIXTURES / "toolost_spotify_sample.json").read_bytes(),
    "toolost_apple_20250104_080000.json": (FIXTURES / "toolost_apple_sample.json").read_bytes(),
}
LOGIN_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>TooLost | Log in</title></head>\n"
    b'<body><form action="/login"><input name="email"></form></body></html>\n'
)
# Each bad file's content is distinct: identical content would be recognised as one file.
BAD_FILES = {
    "toolost_spotify_20250105_080000.json": (b"", "not-empty"),
    "toolost_apple_20250105_080000.json": (b'{"totalStreams": [{"date": "2025-01-0', "truncated"),
    "toolost_spotify_20250105_090000.json": (b"{'streams': []}\n", "invalid-json"),
    "toolost_spotify_20250105_100000.json": (LOGIN_PAGE, "not-html"),
    "toolost_spotify_20250105_110000.json": (b'{"message": "Unauthenticated."}', "unknown-shape"),
    "toolost_apple_20250105_120000.json": (b'{"totalStreams": [], "streamTotal": 0}', "not-empty"),
    "toolost_spotify_20250105_130000.json": (
        b'{"streams": [{"date": "01/05/2025", "streams": "3"}]}',
        "daily-point",
    ),
    "toolost_spotify_20250105_140000.json": (
        b'{"streams": [{"date": "2025-01-05", "streams": "n/a"}]}',
        "daily-point",
    ),
    "toolost_sales_report_10-2025.xlsx": (
        b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 32,
        "unknown-format",
    ),
    "toolost_sales_report_10-2025.csv": (
        b"Track,Store,Units,Earnings\nA,Spotify,1,0.003\n",
        "unknown-format",
    ),
    "attachment_20251101_080000.pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "unknown-format"),
}
QUARANTINE = Path("1_landing") / "_quarantine" / SERVICE


@pytest.fixture(scope="module")
def mixed_drop(tmp_path_factory: pytest.TempPathFactory) -> MixedDrop:
    """One lake where good and bad files land together, cleaned twice."""
    lake = lake_with_services(tmp_path_factory.mktemp("lake"), THIS_LAKE, [SERVICE])
    bad = {name: content for name, (content, _) in BAD_FILES.items()}
    return clean_twice(
        lake, SERVICE, {**GOOD_FILES, **bad}, lambda target: clean_in_process(target, SERVICE)
    )


def _reason(lake: Lake, name: str) -> dict[str, object]:
    return quarantine_reason(lake, SERVICE, name)


def test_every_cleaner_finishes_with_exit_code_zero(mixed_drop: MixedDrop) -> None:
    assert [r.returncode for r in mixed_drop.first] == [0, 0, 0], [
        r.stderr for r in mixed_drop.first
    ]


@pytest.mark.parametrize(("name", "rule"), [(n, rule) for n, (_, rule) in BAD_FILES.items()])
def test_a_bad_file_is_quarantined_with_its_rule(
    mixed_drop: MixedDrop, name: str, rule: str
) -> None:
    reason = _reason(mixed_drop.lake, name)

    assert reason["rule"] == rule
    assert reason["file"] == f"1_landing/{SERVICE}/{name}"
    assert (mixed_drop.lake.root / QUARANTINE / name).read_bytes() == BAD_FILES[name][0]


def test_the_log_says_why_in_one_line_per_file(mixed_drop: MixedDrop) -> None:
    warnings = [line for line in mixed_drop.first[0].stderr.splitlines() if "Quarantined" in line]

    assert len(warnings) == len(BAD_FILES)
    assert all(any(name in line for line in warnings) for name in BAD_FILES)


def test_the_sales_report_is_kept_because_its_format_is_not_known_yet(
    mixed_drop: MixedDrop,
) -> None:
    what_failed = str(_reason(mixed_drop.lake, "toolost_sales_report_10-2025.xlsx")["what_failed"])

    assert "sales report" in what_failed and "not known yet" in what_failed
    assert "kept in quarantine until a parser" in what_failed


def test_the_good_files_still_reach_curated(mixed_drop: MixedDrop) -> None:
    tidy = mixed_drop.lake.zone("4_curated") / "tidy_daily_streams.csv"
    with tidy.open(encoding="utf-8", newline="") as stream:
        rows = [
            (r["date"], r["spotify_streams"], r["apple_streams"]) for r in csv.DictReader(stream)
        ]

    assert rows == [("2025-01-01", "61", "5"), ("2025-01-02", "47", "3"), ("2025-01-03", "58", "")]


def test_the_landing_files_are_unchanged(mixed_drop: MixedDrop) -> None:
    landing = mixed_drop.lake.zone("1_landing") / SERVICE
    expected = {**GOOD_FILES, **{name: content for name, (content, _) in BAD_FILES.items()}}

    assert {p.name: p.read_bytes() for p in landing.iterdir() if p.is_file()} == expected


def test_a_quarantined_file_is_not_retried_by_the_next_run(mixed_drop: MixedDrop) -> None:
    quarantined = sorted(p.name for p in (mixed_drop.lake.root / QUARANTINE).iterdir())

    assert [r.returncode for r in mixed_drop.second] == [0, 0, 0]
    assert "Quarantined" not in mixed_drop.second[0].stderr
    assert len(quarantined) == 2 * len(BAD_FILES)


def test_only_good_files_become_raw_files(mixed_drop: MixedDrop) -> None:
    raw = mixed_drop.lake.zone("2_raw") / SERVICE

    assert sorted(p.name for p in raw.glob("*.ndjson")) == [
        "toolost_apple_20250104_080000.ndjson",
        "toolost_spotify_20250104_080000.ndjson",
    ]

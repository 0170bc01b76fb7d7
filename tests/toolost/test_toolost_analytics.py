"""TooLost portal JSON → daily points: the two platforms told apart by keys, bad input rejected."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from common.daily_streams import points_frame
from common.quarantine import RejectedFile
from toolost.analytics import read_daily_series, series_from_json

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "toolost"
SPOTIFY_SAMPLE = FIXTURES / "toolost_spotify_sample.json"
APPLE_SAMPLE = FIXTURES / "toolost_apple_sample.json"
LOGIN_PAGE = "<!DOCTYPE html>\n<html><head><title>TooLost | Log in</title></head></html>\n"


def _typed_points(text: str, name: str = "toolost_spotify_20250104_080000.json") -> list[object]:
    """The points as the landing step types them: (date, int) rows, sorted by date."""
    series = series_from_json(text.encode("utf-8"), name)
    frame = points_frame(series.points, series.platform, datetime(2025, 1, 4), name, name)
    return list(frame.sort("date").select("date", "streams").iter_rows())


def _rule_of(text: str, name: str = "toolost_spotify_20250104_080000.json") -> str:
    with pytest.raises(RejectedFile) as rejected:
        _typed_points(text, name)
    return rejected.value.rule


def test_spotify_string_counts_become_integers() -> None:
    points = _typed_points(SPOTIFY_SAMPLE.read_text(encoding="utf-8"))

    assert points == [(date(2025, 1, 1), 61), (date(2025, 1, 2), 47), (date(2025, 1, 3), 58)]


def test_apple_total_streams_are_the_apple_points() -> None:
    series = read_daily_series(APPLE_SAMPLE)

    assert series.platform == "apple"
    assert sorted(series.points) == [("2025-01-01", 5), ("2025-01-02", 3)]


def test_the_platform_comes_from_the_keys_not_the_file_name(tmp_path: Path) -> None:
    misnamed = tmp_path / "toolost_spotify_20250104_080000.json"
    misnamed.write_bytes(APPLE_SAMPLE.read_bytes())

    assert read_daily_series(misnamed).platform == "apple"


def test_discovery_streams_are_not_counted_as_spotify_streams() -> None:
    series = read_daily_series(SPOTIFY_SAMPLE)

    assert sorted(series.points) == [
        ("2025-01-01", "61"),
        ("2025-01-02", "47"),
        ("2025-01-03", "58"),
    ]


def test_a_utf8_bom_is_accepted(tmp_path: Path) -> None:
    with_bom = tmp_path / "toolost_spotify_20250104_080000.json"
    with_bom.write_bytes(b"\xef\xbb\xbf" + SPOTIFY_SAMPLE.read_bytes())

    assert read_daily_series(with_bom).platform == "spotify"


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("", "not-empty"),
        ("  \n", "not-empty"),
        (LOGIN_PAGE, "not-html"),
        ("<html><body>Please log in</body></html>", "not-html"),
        ('{"streams": [{"date": "2025-01-01", "streams": "61"}', "truncated"),
        ('{"streams": [{"date": "2025-01-01", "streams": "6', "truncated"),
        ("{'streams': []}", "invalid-json"),
        ('{"streams": []} trailing', "invalid-json"),
        ('{"message": "Unauthenticated."}', "unknown-shape"),
        ('[{"date": "2025-01-01", "streams": "61"}]', "unknown-shape"),
        ('{"streams": {"2025-01-01": "61"}}', "unknown-shape"),
        ('{"streams": [], "totalStreams": []}', "unknown-shape"),
        ('{"streams": [], "discovery": []}', "not-empty"),
        ('{"totalStreams": []}', "not-empty"),
        ('{"streams": [{"date": "2025-01-01"}]}', "daily-point"),
        ('{"streams": ["2025-01-01"]}', "daily-point"),
        ('{"streams": [{"date": "01/02/2025", "streams": "3"}]}', "daily-point"),
        ('{"streams": [{"date": "20250102", "streams": "3"}]}', "daily-point"),
        ('{"streams": [{"date": "2025-02-30", "streams": "3"}]}', "daily-point"),
        ('{"streams": [{"date": "2025-01-02", "streams": "n/a"}]}', "daily-point"),
        ('{"totalStreams": [{"date": "2025-01-02", "streams": 1.5}]}', "daily-point"),
        ('{"totalStreams": [{"date": "2025-01-02", "streams": null}]}', "daily-point"),
        ('{"totalStreams": [{"date": "2025-01-02", "streams": -4}]}', "daily-point"),
        (
            '{"streams": [{"date": "2025-01-02", "streams": "1"}, '
            '{"date": "2025-01-02", "streams": "2"}]}',
            "unique-date",
        ),
    ],
)
def test_bad_portal_json_is_rejected_with_its_rule(text: str, rule: str) -> None:
    assert _rule_of(text) == rule


def test_a_rejection_is_one_sentence_naming_the_file() -> None:
    with pytest.raises(RejectedFile) as rejected:
        _typed_points('{"message": "Unauthenticated."}', "toolost_apple_20250104_080000.json")

    message = str(rejected.value)
    assert message.startswith("toolost_apple_20250104_080000.json ")
    assert message.endswith(".") and "\n" not in message


@pytest.mark.parametrize(
    "name",
    ["toolost_sales_report_10-2025.xlsx", "Sales report 10-2025.csv", "attachment.pdf", "x.txt"],
)
def test_any_file_that_is_not_json_has_an_unknown_format(tmp_path: Path, name: str) -> None:
    landed = tmp_path / name
    landed.write_bytes(b"Track,Store,Units,Earnings\nFIRST SONG,Spotify,10,0.03\n")

    with pytest.raises(RejectedFile) as rejected:
        read_daily_series(landed)

    assert rejected.value.rule == "unknown-format"
    assert "not known yet" in str(rejected.value)


def test_a_sales_report_is_named_as_such_and_kept_not_guessed(tmp_path: Path) -> None:
    report = tmp_path / "toolost_sales_report_10-2025.xlsx"
    report.write_bytes(b"PK\x03\x04" + b"\x00" * 64)

    with pytest.raises(RejectedFile) as rejected:
        read_daily_series(report)

    assert str(rejected.value) == (
        "toolost_sales_report_10-2025.xlsx looks like a TooLost monthly sales report, whose "
        "format is not known yet, so it is kept in quarantine until a parser for it exists."
    )


def test_a_sales_report_recognised_by_its_content_has_an_unknown_format(tmp_path: Path) -> None:
    landed = tmp_path / "attachment_20251101_080000.csv"
    landed.write_text("Your (10-2025) Sales report\nTrack,Units\n", encoding="utf-8")

    with pytest.raises(RejectedFile) as rejected:
        read_daily_series(landed)

    assert "monthly sales report" in str(rejected.value)


def test_a_spreadsheet_saved_under_a_json_name_has_an_unknown_format(tmp_path: Path) -> None:
    disguised = tmp_path / "toolost_spotify_20250104_080000.json"
    disguised.write_bytes(b"PK\x03\x04" + b"\x00" * 64)

    with pytest.raises(RejectedFile) as rejected:
        read_daily_series(disguised)

    assert rejected.value.rule == "unknown-format"

"""The demo generator: byte-identical on every run, and every file in its service's real format."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from common.demodata import demo_writers, write_all
from common.demodata.bank import LEGACY_ROWS, iter_legacy_bank_lines, write_legacy_bank_export
from common.demodata.catalog import ALIASES, ARTISTS, TRACKS

LEGACY = "distrokid/dk_bank_details_20260105_090000.tsv"
QUOTED = "distrokid/dk_bank_details_20260301_090000.csv"
QUOTED_LINE = re.compile(r'"[^"]*"(,"[^"]*"){14}')
AMOUNT = re.compile(r"\d+\.\d{2}")


@pytest.fixture(scope="module")
def landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("landing")
    write_all(root)
    return root


def legacy_rows(landing: Path) -> list[list[str]]:
    text = (landing / LEGACY).read_bytes().decode("ascii")
    lines = text.split("\r")
    assert lines[-1] == ""
    return [line.split("\t") for line in lines[:-1]]


def quoted_rows(landing: Path) -> list[list[str]]:
    with (landing / QUOTED).open(encoding="utf-8", newline="") as stream:
        return list(csv.reader(stream))


def trend365day(html: str) -> dict[str, int]:
    found = re.search(r'"id":"trend365day".*?"dataProvider":(\[.*?\])\}\);', html)
    assert found is not None
    points = json.loads(found.group(1).replace("},]", "}]"))
    return {point["category"]: point["column-1"] for point in points}


def chart_data(html: str) -> Any:
    start = html.index("var chartData = ") + len("var chartData = ")
    return json.loads(html[start : html.index("};", start) + 1])


def days(first: date, last: date) -> list[str]:
    return [(first + timedelta(n)).isoformat() for n in range((last - first).days + 1)]


def test_two_runs_write_byte_identical_files(tmp_path: Path) -> None:
    first = write_all(tmp_path / "one")
    second = write_all(tmp_path / "two")

    assert [p.relative_to(tmp_path / "one") for p in first] == [
        p.relative_to(tmp_path / "two") for p in second
    ]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(first, second))
    names = sorted(p.relative_to(tmp_path / "one").as_posix() for p in first)
    assert {name.split("/")[0] for name in names} == set(demo_writers())
    assert [name for name in names if name.split("/")[0] in ("distrokid", "toolost")] == [
        "distrokid/applemusic_stats_20260105_090000.html",
        "distrokid/applemusic_stats_20260301_090000.html",
        "distrokid/dk_bank_details_20260105_090000.tsv",
        "distrokid/dk_bank_details_20260301_090000.csv",
        "distrokid/streams_stats_20260105_090000.html",
        "distrokid/streams_stats_20260301_090000.html",
        "toolost/toolost_apple_20260105_090000.json",
        "toolost/toolost_apple_20260301_090000.json",
        "toolost/toolost_spotify_20260105_090000.json",
        "toolost/toolost_spotify_20260301_090000.json",
    ]


def test_catalog_has_three_artists_a_collaboration_and_valid_codes() -> None:
    assert [artist.name for artist in ARTISTS] == ["PIG1987", "ZONE A0", "IWARY"]
    assert ALIASES["zone.a0"] == ALIASES["Zone A0"] == "ZONE A0"
    assert len(TRACKS) == 19 and len({t.isrc for t in TRACKS}) == 19
    assert all(re.fullmatch(r"QZHZ1\d{7}", t.isrc) for t in TRACKS)
    assert all(re.fullmatch(r"\d{12}", t.release.upc) for t in TRACKS)
    assert any(t.release.upc.startswith("0") for t in TRACKS)
    assert [t.credit for t in TRACKS if t.team_percentage == 50] == ["PIG1987 & ZONE A0"]


def test_legacy_bank_export_is_cr_only_tab_separated_ascii(landing: Path) -> None:
    raw = (landing / LEGACY).read_bytes()
    rows = legacy_rows(landing)

    assert b"\n" not in raw and b'"' not in raw
    assert rows[0][0] == "Reporting Date" and rows[0][-1] == "Earnings (USD)"
    assert len(rows) == LEGACY_ROWS + 1
    assert {len(row) for row in rows} == {13}
    assert all(re.fullmatch(r"-?\d+\.\d{8}", row[12]) for row in rows[1:])
    assert sorted({row[0] for row in rows[1:]}) == [f"2025-{m:02d}-25" for m in range(1, 13)]
    assert sorted({row[1] for row in rows[1:]})[::11] == ["2024-11", "2025-10"]


def test_legacy_bank_export_keeps_every_known_quirk(landing: Path) -> None:
    rows = legacy_rows(landing)[1:]
    earnings = [Decimal(row[12]) for row in rows]
    all_but_earnings = Counter(tuple(row[:12]) for row in rows)

    assert any(e < 0 and r[2] == "Spotify" and int(r[7]) > 0 for r, e in zip(rows, earnings))
    assert all(r[1] >= "2025-01" for r, e in zip(rows, earnings) if e < 0)
    assert any(count > 1 for count in all_but_earnings.values())
    assert any(r[9] == "Album" and r[5] == "" for r in rows)
    assert {"OU", "XK"} <= {r[10] for r in rows}
    assert Decimal(0) in earnings
    assert {"Spotify", "Apple Music", "YouTube (Ads)", "TikTok", "LUNA", "NetEase"} <= {
        r[2] for r in rows
    }
    assert {r[3] for r in rows} == {"PIG1987", "ZONE A0", "IWARY", "PIG1987 & ZONE A0"}


def test_newer_bank_export_quotes_every_field_in_utf8(landing: Path) -> None:
    text = (landing / QUOTED).read_text(encoding="utf-8")
    rows = quoted_rows(landing)

    assert all(QUOTED_LINE.fullmatch(line) for line in text.splitlines())
    assert rows[0][0] == "Date Inserted" and rows[0][-1] == "Recoup (USD)"
    assert {len(row) for row in rows} == {15}
    assert all(re.fullmatch(r"-?\d+\.\d{12}", row[13]) and row[14] == "" for row in rows[1:])
    assert "CAFÉ NOIR" in {row[5] for row in rows}
    assert any('"SLOW BURN, FAST FADE"' in line for line in text.splitlines())


def test_overlapping_reporting_dates_hold_different_rows(landing: Path) -> None:
    legacy = legacy_rows(landing)[1:]
    newer = quoted_rows(landing)[1:]
    overlap = {"2025-11-25", "2025-12-25"}

    def common(row: list[str]) -> tuple[str, ...]:
        """The columns both schemas share, laid out as in the legacy file."""
        return (*row[:11], str(Decimal(row[12])))

    old = sorted(common(row) for row in legacy if row[0] in overlap)
    new = sorted(common(row[1:14]) for row in newer if row[1] in overlap)
    assert old and new and old != new
    assert sorted({row[1] for row in newer}) == [
        "2025-11-25",
        "2025-12-25",
        "2026-01-25",
        "2026-02-25",
    ]


def test_streams_page_has_trend365day_with_trailing_comma(landing: Path) -> None:
    older = (landing / "distrokid/streams_stats_20260105_090000.html").read_text("utf-8")
    newer = (landing / "distrokid/streams_stats_20260301_090000.html").read_text("utf-8")

    assert '"id":"trend365day"' in older and "},]" in older
    old_points, new_points = trend365day(older), trend365day(newer)
    assert list(old_points) == days(date(2025, 1, 1), date(2025, 12, 31))
    assert list(new_points) == days(date(2025, 3, 1), date(2026, 2, 28))
    assert all(isinstance(count, int) for count in old_points.values())
    revised = days(date(2025, 12, 27), date(2025, 12, 31))
    assert all(new_points[day] > old_points[day] for day in revised)


def test_apple_page_chart_data_parses_after_slicing(landing: Path) -> None:
    html = (landing / "distrokid/applemusic_stats_20260105_090000.html").read_text("utf-8")
    data = chart_data(html)

    assert {"byMonth", "byWeek", "last365days", "country1year", "tracks1year"} <= set(data)
    daily = data["last365days"]["dataProvider"]
    assert [p["field"] for p in daily] == days(date(2025, 1, 1), date(2025, 12, 31))
    assert data["byMonth"]["dataProvider"][0]["field"] == "01-25"
    assert re.fullmatch(r"\d\d/\d\d", str(data["byWeek"]["dataProvider"][0]["field"]))
    total = sum(point["value"] for point in daily)
    assert sum(point["value"] for point in data["country1year"]["dataProvider"]) == total


def test_toolost_spotify_counts_are_strings_in_unsorted_order(landing: Path) -> None:
    payload = json.loads((landing / "toolost/toolost_spotify_20260105_090000.json").read_text())
    dates = [item["date"] for item in payload["streams"]]

    assert all(isinstance(item["streams"], str) for item in payload["streams"])
    assert dates != sorted(dates) and sorted(dates) == days(date(2025, 1, 1), date(2025, 12, 31))
    assert all(set(item) == {"date", "streams", "fees"} for item in payload["discovery"])
    assert all(isinstance(item["fees"], str) for item in payload["discovery"])


def test_toolost_apple_counts_are_ints_and_totals_agree(landing: Path) -> None:
    payload = json.loads((landing / "toolost/toolost_apple_20260105_090000.json").read_text())
    ytd_2026 = json.loads((landing / "toolost/toolost_apple_20260301_090000.json").read_text())
    counts = [item["streams"] for item in payload["totalStreams"]]

    assert all(isinstance(count, int) for count in counts)
    assert len(counts) == 364  # one day is missing, as in the real capture
    assert all(isinstance(item["streams"], str) for item in payload["totalShazam"])
    assert payload["streamTotal"] == sum(counts)
    assert sum(item["streams"] for item in payload["tracksTotal"]) == sum(counts)
    assert sum(item["streams"] for item in payload["countryTotal"]) == sum(counts)
    assert min(item["date"] for item in ytd_2026["totalStreams"]) == "2026-01-01"
    assert max(item["date"] for item in ytd_2026["totalStreams"]) == "2026-02-28"


def test_capitalone_rows_have_one_amount_each(landing: Path) -> None:
    text = (landing / "capitalone/capitalone_transactions_20260110_090000.csv").read_text()
    rows = list(csv.DictReader(io.StringIO(text)))

    assert (
        text.splitlines()[0]
        == "Transaction Date,Posted Date,Card No.,Description,Category,Debit,Credit"
    )
    assert 140 <= len(rows) <= 170
    assert all((row["Debit"] == "") != (row["Credit"] == "") for row in rows)
    assert all(AMOUNT.fullmatch(row["Debit"] or row["Credit"]) for row in rows)
    assert all(row["Transaction Date"][:4] == "2025" and row["Card No."] == "4821" for row in rows)
    assert any("," in row["Description"] for row in rows)
    assert any(r["Credit"] and r["Category"] != "Payment/Credit" for r in rows)
    assert any(row["Description"] == "DISTROKID.COM" for row in rows)


def test_legacy_lines_stream_the_requested_row_count(tmp_path: Path) -> None:
    lines = list(iter_legacy_bank_lines(1000))
    written = write_legacy_bank_export(tmp_path / "bank.tsv", 1000)

    assert len(lines) == 1001
    assert all(line.endswith("\r") and "\n" not in line for line in lines)
    assert written.read_bytes() == "".join(lines).encode("ascii")
    assert list(iter_legacy_bank_lines(1000, seed=8)) != lines

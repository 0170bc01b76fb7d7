"""Reports over a range of days (a monthly Ads Manager export, a pull without time_increment=1):
kept whole in the period file, and never counted twice beside daily rows or other ranges."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from metaads.curated import PERIOD_COLUMNS
from metaads.spans import counted_spans, left_out
from tests.metaads.metaads_lake import (
    DAILY,
    EXPORT_SAMPLE,
    PERIODS,
    SUMMARY,
    api_row,
    curated_rows,
    drop,
    drop_bytes,
    drop_json,
    new_lake,
    response,
    run_ok,
    run_steps,
)

EXPORT_HEADER = "Reporting starts,Reporting ends,Campaign name,Impressions,Amount spent (USD)\n"
CAMPAIGN = "PIG1987 - NIGHT SHIFT - BROAD"


def _export(*lines: tuple[str, str, str]) -> bytes:
    rows = "".join(f"{first},{last},{CAMPAIGN},1000,{spend}\n" for first, last, spend in lines)
    return (EXPORT_HEADER + rows).encode()


def test_a_monthly_export_is_one_period_row_with_its_exact_spend(tmp_path: Path) -> None:
    lake = new_lake(tmp_path / "lake")
    drop(lake, EXPORT_SAMPLE, "BEDROT-ADS-Jan-2025_20250201_090000.csv")

    run_ok(lake)

    [period] = curated_rows(lake, PERIODS)
    assert list(period) == list(PERIOD_COLUMNS)
    assert (period["date_start"], period["date_stop"], period["level"]) == (
        "2025-01-01",
        "2025-01-31",
        "ad",
    )
    assert (period["spend"], period["currency"], period["reach"]) == ("21.40", "USD", "10421")
    assert (period["artist"], period["track"], period["source"]) == (
        "EXAMPLE ARTIST",
        "FIRST SONG",
        "manual_export",
    )
    assert period["source_file"] == "1_landing/metaads/BEDROT-ADS-Jan-2025_20250201_090000.csv"
    assert curated_rows(lake, DAILY) == []
    [summary] = curated_rows(lake, SUMMARY)
    assert (summary["spend"], summary["days"]) == ("21.40", "31")


def test_daily_rows_win_over_a_newer_range_that_covers_them(tmp_path: Path) -> None:
    lake = new_lake(tmp_path / "lake")
    days = [api_row(f"2025-04-1{n}", spend="2.50") for n in (1, 2, 3)]
    drop_json(lake, "metaads_insights_20250414_080000.json", response(*days))
    drop_bytes(
        lake,
        "BEDROT-ADS-Apr-2025_20250501_090000.csv",
        _export(("2025-04-01", "2025-04-30", "90.00"), ("2025-05-01", "2025-05-31", "40.00")),
    )

    result = run_steps(lake)

    assert [r.returncode for r in result] == [0, 0, 0]
    [summary] = curated_rows(lake, SUMMARY)
    # April 11–13 by day (7.50), May by its range (40.00); the April range overlaps the days.
    assert (summary["spend"], summary["days"]) == ("47.50", "34")
    assert (summary["date_start"], summary["date_stop"]) == ("2025-04-11", "2025-05-31")
    assert len(curated_rows(lake, PERIODS)) == 2
    warning = result[2].stderr
    assert "the report from 2025-04-01 to 2025-04-30 is left out of spend totals" in warning
    assert "27 of its days count nowhere" in warning


def test_of_two_overlapping_ranges_only_the_narrowest_counts(tmp_path: Path) -> None:
    lake = new_lake(tmp_path / "lake")
    drop_bytes(
        lake,
        "BEDROT-ADS-Apr-2025_20250501_090000.csv",
        _export(("2025-04-01", "2025-04-30", "90.00"), ("2025-04-07", "2025-04-13", "21.00")),
    )

    run_ok(lake)

    [summary] = curated_rows(lake, SUMMARY)
    assert (summary["spend"], summary["days"]) == ("21.00", "7")


def _d(text: str) -> date:
    return date.fromisoformat(text)


@pytest.mark.parametrize(
    ("reported", "counted"),
    [
        # a chain: the week beats the fortnight, which still keeps the month out (the rule is
        # the warehouse view's, which judges each range against all the others)
        (
            [("04-01", "04-07"), ("04-05", "04-18"), ("04-15", "05-14")],
            [("04-01", "04-07")],
        ),
        # equal length: the earlier start wins
        ([("04-01", "04-07"), ("04-04", "04-10")], [("04-01", "04-07")]),
        # a day inside a range keeps the range out, and the day counts
        ([("04-01", "04-30"), ("04-09", "04-09")], [("04-09", "04-09")]),
        # disjoint ranges both count
        ([("04-01", "04-30"), ("05-01", "05-31")], [("04-01", "04-30"), ("05-01", "05-31")]),
    ],
)
def test_counted_spans_never_hold_a_day_twice(
    reported: list[tuple[str, str]], counted: list[tuple[str, str]]
) -> None:
    spans = [(_d(f"2025-{a}"), _d(f"2025-{b}")) for a, b in reported]

    chosen = counted_spans(spans)

    assert chosen == [(_d(f"2025-{a}"), _d(f"2025-{b}")) for a, b in counted]
    days = [day for first, last in chosen for day in range(first.toordinal(), last.toordinal() + 1)]
    assert len(days) == len(set(days))


def test_a_range_left_out_reports_the_days_nothing_counts() -> None:
    month, day = (_d("2025-04-01"), _d("2025-04-30")), (_d("2025-04-09"), _d("2025-04-09"))

    assert left_out([month, day]) == [(month, 29)]
    assert left_out([day]) == []

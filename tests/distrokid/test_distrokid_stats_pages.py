"""DistroKid stats pages → daily Spotify and Apple streams, upserted without ever losing a day."""

from __future__ import annotations

from common.lake import Lake
from tests.distrokid.conftest import curated_rows, drop
from tests.steps_support import clean_in_process

STREAMS_PAGE = """<html><body><script>
AmCharts.makeChart("chartdiv365",{{"type":"serial","id":"trend365day","categoryField":"category",
"dataProvider":[{points},]}});
</script></body></html>"""
APPLE_PAGE = """<html><body><script>
var chartData = {{"byMonth":{{"dataProvider":[{{"field":"12-24","value":999}}]}},
"last365days":{{"isEmpty":0,"categoryField":"field","dataProvider":[{points}]}}}};
</script></body></html>"""


def _streams_page(points: dict[str, int]) -> str:
    body = ",".join(f'{{"category": "{d}","column-1": {n}}}' for d, n in points.items())
    return STREAMS_PAGE.format(points=body)


def _apple_page(points: dict[str, int]) -> str:
    body = ",".join(f'{{"field":"{d}","value":{n}}}' for d, n in points.items())
    return APPLE_PAGE.format(points=body)


def _land_pages(
    lake: Lake, stamp: str, streams: dict[str, int], apple: dict[str, int] | None = None
) -> None:
    """A streams page (and an Apple Music page) extracted at `stamp` (YYYYMMDD_HHMMSS)."""
    landing = lake.zone("1_landing") / "distrokid"
    (landing / f"streams_stats_{stamp}.html").write_text(_streams_page(streams))
    if apple is not None:
        (landing / f"applemusic_stats_{stamp}.html").write_text(_apple_page(apple))


def _count(text: str) -> int | None:
    return int(text) if text else None


def _daily(lake: Lake) -> dict[str, tuple[int | None, int | None, int | None]]:
    """(Spotify, Apple, combined) per day; None where the count is unknown (written empty)."""
    return {
        r["date"]: tuple(  # type: ignore[misc]
            _count(r[column]) for column in ("spotify_streams", "apple_streams", "combined_streams")
        )
        for r in curated_rows(lake, "tidy_daily_streams.csv")
        if r["source"] == "distrokid"
    }


def test_the_sample_pages_become_daily_streams_per_platform(dk_lake: Lake) -> None:
    drop(dk_lake, "streams_stats_skeleton.html", "streams_stats_20250103_080000.html")
    drop(dk_lake, "applemusic_stats_skeleton.html", "applemusic_stats_20250103_080000.html")

    results = clean_in_process(dk_lake, "distrokid")

    assert [r.returncode for r in results] == [0, 0, 0], [r.stderr for r in results]
    assert _daily(dk_lake) == {
        "2024-12-30": (41, 3, 44),
        "2024-12-31": (39, 4, 43),
        "2025-01-01": (52, 2, 54),
        # The streams page ends on a day its chart has not filled in yet (0), the Apple page a
        # day earlier: both counts of that day are unknown, not 0.
        "2025-01-02": (None, None, None),
    }


def test_a_newer_page_revises_its_days_keeps_older_history_and_never_zeroes_a_count(
    dk_lake: Lake,
) -> None:
    _land_pages(
        dk_lake,
        "20250103_080000",
        {"2025-01-01": 10, "2025-01-02": 20, "2025-01-03": 30},
        {"2025-01-01": 1, "2025-01-02": 2},
    )
    clean_in_process(dk_lake, "distrokid")
    _land_pages(dk_lake, "20260104_080000", {"2025-01-02": 0, "2025-01-03": 33, "2026-01-04": 5})

    results = clean_in_process(dk_lake, "distrokid")

    assert [r.returncode for r in results] == [0, 0, 0]
    assert _daily(dk_lake) == {
        "2025-01-01": (10, 1, 11),
        "2025-01-02": (20, 2, 22),
        # Past the Apple page's last day, Apple's count is unknown until a newer page lands.
        "2025-01-03": (33, None, None),
        "2026-01-04": (5, None, None),
    }


def test_apple_counts_come_from_last365days_not_the_longest_series(dk_lake: Lake) -> None:
    landing = dk_lake.zone("1_landing") / "distrokid"
    (landing / "applemusic_stats_20250103_080000.html").write_text(_apple_page({"2025-01-01": 7}))

    clean_in_process(dk_lake, "distrokid")

    assert _daily(dk_lake) == {"2025-01-01": (None, 7, None)}


def test_other_sources_rows_in_tidy_daily_streams_are_left_alone(dk_lake: Lake) -> None:
    tidy = dk_lake.zone("4_curated") / "tidy_daily_streams.csv"
    tidy.write_text(
        "date,source,spotify_streams,apple_streams,combined_streams\n" "2024-06-01,toolost,5,6,11\n"
    )
    drop(dk_lake, "streams_stats_skeleton.html", "streams_stats_20250103_080000.html")

    clean_in_process(dk_lake, "distrokid")

    rows = curated_rows(dk_lake, "tidy_daily_streams.csv")
    assert rows[0] == {"date": "2024-12-30", "source": "distrokid", "spotify_streams": "41",
                       "apple_streams": "", "combined_streams": ""}  # fmt: skip
    assert rows[-1] == {"date": "2024-06-01", "source": "toolost", "spotify_streams": "5",
                        "apple_streams": "6", "combined_streams": "11"}  # fmt: skip


def test_a_day_missing_inside_a_platforms_own_days_is_a_zero(dk_lake: Lake) -> None:
    # DistroKid's charts list every day; a day left out between two listed days streamed 0.
    _land_pages(
        dk_lake,
        "20250104_080000",
        {"2025-01-01": 10, "2025-01-02": 20, "2025-01-03": 30},
        {"2025-01-01": 1, "2025-01-03": 3},
    )

    clean_in_process(dk_lake, "distrokid")

    assert _daily(dk_lake)["2025-01-02"] == (20, 0, 20)


def test_zeros_at_the_end_of_a_chart_are_unfilled_days_until_a_page_counts_them(
    dk_lake: Lake,
) -> None:
    _land_pages(
        dk_lake,
        "20250105_080000",
        {"2025-01-01": 10, "2025-01-02": 0, "2025-01-03": 30, "2025-01-04": 0, "2025-01-05": 0},
        {"2025-01-01": 0, "2025-01-02": 0},  # an artist Apple never counted: real zeros
    )
    clean_in_process(dk_lake, "distrokid")
    assert _daily(dk_lake) == {
        "2025-01-01": (10, 0, 10),
        "2025-01-02": (0, 0, 0),  # inside the counted days: a real 0
        "2025-01-03": (30, None, None),
        "2025-01-04": (None, None, None),
        "2025-01-05": (None, None, None),
    }

    _land_pages(dk_lake, "20250106_080000", {"2025-01-04": 25, "2025-01-05": 0})
    clean_in_process(dk_lake, "distrokid")

    assert _daily(dk_lake)["2025-01-04"] == (25, None, None)
    assert _daily(dk_lake)["2025-01-05"] == (None, None, None)


def test_zeros_long_before_the_page_was_saved_are_real_zeros(dk_lake: Lake) -> None:
    apple = {f"2025-01-{day:02d}": (3 if day == 1 else 0) for day in range(1, 11)}
    _land_pages(dk_lake, "20250111_080000", {day: 100 for day in apple}, apple)

    clean_in_process(dk_lake, "distrokid")

    daily = _daily(dk_lake)
    assert daily["2025-01-08"] == (100, 0, 100)  # an Apple day with no stream
    assert daily["2025-01-09"] == (100, None, None)  # the chart's last days, maybe not filled
    assert daily["2025-01-10"] == (100, None, None)

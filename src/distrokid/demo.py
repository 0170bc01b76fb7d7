"""Deterministic DistroKid demo exports: bank details and the streams and Apple Music pages."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from pathlib import Path

from common.demodata.bank import (
    EXPORT_ROWS,
    LEGACY_ROWS,
    write_legacy_bank_export,
    write_quoted_bank_export,
)
from common.demodata.catalog import releases_of, tracks_of
from common.demodata.series import (
    COUNTRIES,
    SERIES_END,
    by_country,
    days_between,
    split,
    true_daily_counts,
)

# Share of the true count a stats page shows for its last five days, oldest first.
RECENT_COMPLETENESS = (95, 85, 75, 60, 40)
# A day the newer DistroKid page shows as 0 although the older page had its count.
DK_GLITCH_DAY = date(2025, 6, 14)


def page_counts(
    truth: dict[date, int], first: date, last: date, zero_days: Iterable[date] = ()
) -> list[tuple[date, int]]:
    """What a stats page shows for first…last: its last five days still incomplete."""
    points = [(day, truth[day]) for day in days_between(first, last)]
    tail = len(points) - len(RECENT_COMPLETENESS)
    for offset, share in enumerate(RECENT_COMPLETENESS):
        day, count = points[tail + offset]
        points[tail + offset] = (day, count * share // 100)
    zeros = set(zero_days)
    return [(day, 0 if day in zeros else count) for day, count in points]


def _weekly(points: Sequence[tuple[date, int]]) -> list[tuple[date, int]]:
    weeks: dict[date, int] = {}
    for day, count in points:
        monday = day - timedelta(days=day.weekday())
        weeks[monday] = weeks.get(monday, 0) + count
    return sorted(weeks.items())


def _amchart(div: str, chart_id: str, points: Sequence[tuple[date, int]]) -> str:
    provider = "".join(f'{{"category": "{d.isoformat()}","column-1": {n}}},' for d, n in points)
    return (
        f'AmCharts.makeChart("{div}",{{"type":"serial","id":"{chart_id}",'
        f'"categoryField":"category","graphs":[{{"valueField":"column-1"}}],'
        f'"dataProvider":[{provider}]}});\n'
    )


def streams_stats_html(points: Sequence[tuple[date, int]]) -> str:
    charts = (
        _amchart("chartdivWeekly", "trendWeekly", _weekly(points)[-40:])
        + _amchart("chartdiv60", "trend60day", points[-59:])
        + _amchart("chartdiv365", "trend365day", points)
    )
    return (
        '<!DOCTYPE html><html><head><title>Stats</title></head><body>\n<div id="chartdiv"></div>'
        f"\n<script>\n{charts}</script></body></html>\n"
    )


def _series(points: Iterable[tuple[str, object]], **extra: object) -> dict[str, object]:
    provider = [{"field": field, "value": value} for field, value in points]
    return {"isEmpty": 0, **extra, "dataProvider": provider}


def _ranked(names: Sequence[str], total: int) -> list[dict[str, object]]:
    shares = split(total, [len(names) + 3 - rank for rank in range(len(names))])
    return [
        {"field": name, "id": str(rank + 1), "value": share}
        for rank, (name, share) in enumerate(zip(names, shares))
    ]


def applemusic_stats_html(points: Sequence[tuple[date, int]]) -> str:
    total, last = sum(count for _, count in points), points[-1][0]
    months: dict[str, int] = {}
    for day, count in points:
        months[day.strftime("%m-%y")] = months.get(day.strftime("%m-%y"), 0) + count
    on_sale = [t for t in tracks_of("distrokid") if t.release.release_date <= last]
    releases = [r for r in releases_of("distrokid") if r.release_date <= last]
    chart_data = {
        "byMonth": _series(months.items(), categoryField="field"),
        "byWeek": _series(
            ((d.strftime("%m/%d"), n) for d, n in _weekly(points)[-12:]), categoryField="field"
        ),
        "last365days": _series(((d.isoformat(), n) for d, n in points), categoryField="field"),
        "country1year": _series(by_country(total, len(COUNTRIES)), categoryField="field"),
        "tracks1year": {"isEmpty": 0, "dataProvider": _ranked([t.title for t in on_sale], total)},
        "albums1year": {"isEmpty": 0, "dataProvider": _ranked([r.title for r in releases], total)},
    }
    script = json.dumps(chart_data, ensure_ascii=False, separators=(",", ":"))
    return (
        f"<!DOCTYPE html><html><body><script>\nvar chartData = {script};\n</script></body></html>\n"
    )


def write_distrokid(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    dk_releases = [r.release_date for r in releases_of("distrokid")]
    spotify = true_daily_counts(101, 420, dk_releases)
    apple = true_daily_counts(102, 55, dk_releases)
    files = [
        write_legacy_bank_export(folder / "dk_bank_details_20260105_090000.tsv", LEGACY_ROWS),
        write_quoted_bank_export(folder / "dk_bank_details_20260301_090000.csv", EXPORT_ROWS),
    ]
    for stamp, first, last, zeros in (
        ("20260105_090000", date(2025, 1, 1), date(2025, 12, 31), ()),
        ("20260301_090000", date(2025, 3, 1), SERIES_END, (DK_GLITCH_DAY,)),
    ):
        streams = folder / f"streams_stats_{stamp}.html"
        streams.write_text(
            streams_stats_html(page_counts(spotify, first, last, zeros)), encoding="utf-8"
        )
        applemusic = folder / f"applemusic_stats_{stamp}.html"
        applemusic.write_text(
            applemusic_stats_html(page_counts(apple, first, last)), encoding="utf-8"
        )
        files += [streams, applemusic]
    return files

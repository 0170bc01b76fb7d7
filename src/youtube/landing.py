"""What a file dropped in 1_landing/youtube/ is, read into records, or rejected with a reason.

Recognised by content, never by name alone: an Analytics API v2 result table (`columnHeaders`
then positional `rows`), a Data API v3 channel list (`youtube#channelListResponse`), a Reporting
API CSV (`date` as YYYYMMDD), and Studio's exports "Table data.csv" (its leading `Total` row is
a sum of the others and is skipped), "Chart data.csv" and "Totals.csv".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from common.json_exports import decode_json_text, parse_json_text
from common.quarantine import RejectedFile
from common.tabular import read_csv_table
from common.zones import file_timestamp
from youtube import values
from youtube.records import CHANNEL_DAILY, CHANNEL_STATS, VIDEO_DAILY, VIDEOS, Record
from youtube.settings import API_SUFFIXES, EXPORT_SUFFIXES, METRIC_COLUMNS

RESULT_TABLE = "youtubeAnalytics#resultTable"
CHANNEL_LIST = "youtube#channelListResponse"
CSV_ENCODINGS = ("utf-8-sig", "cp1252")
TOTAL_ROW = "total"
MINUTES_PER_HOUR = Decimal(60)


def _hours_as_minutes(text: object) -> Decimal | None:
    """Studio counts watch time in hours; the lake in minutes, as the APIs do."""
    hours = values.decimal(text)
    return None if hours is None else hours * MINUTES_PER_HOUR


# Studio's column names (English UI) -> (our column, how it is read).
Reader = Callable[[object], Any]
STUDIO_METRICS: dict[str, tuple[str, Reader]] = {
    "views": ("views", values.count),
    "watch time (hours)": ("minutes_watched", lambda text: _hours_as_minutes(text)),
    "average view duration": ("average_view_duration_seconds", values.seconds),
    "likes": ("likes", values.count),
    "shares": ("shares", values.count),
    "subscribers gained": ("subscribers_gained", values.count),
    "subscribers lost": ("subscribers_lost", values.count),
}
TABLE_COLUMNS: dict[str, tuple[str, Reader]] = {
    "video title": ("title", lambda text: str(text).strip() or None),
    "video publish time": ("published", values.published_day),
    "duration": ("duration_seconds", values.seconds),
    "views": ("views", values.count),
    "average view duration": ("average_view_duration_seconds", values.seconds),
    "average percentage viewed (%)": ("average_percentage_viewed", values.decimal),
    "subscribers": ("subscribers", values.count),
    "likes": ("likes", values.count),
}
# The Reporting API splits a day of a video by its dimensions: these add up, the rest are
# recomputed from them.
REPORTING_SUMS = {"views": "views", "watch_time_minutes": "minutes_watched"}
# Reporting API reports that count only some views (US provinces; views inside playlists):
# their sums are not a video's day.
PARTIAL_REPORT_COLUMNS = {
    "province_code": "views in US provinces only",
    "playlist_id": "views inside playlists only",
}
# The columns a Studio chart of daily figures may hold; any other column of text is a breakdown
# (Traffic source, Geography, Device type...) whose rows split each day.
CHART_COLUMNS = {"date", "content", "video title", "video publish time", "duration"} | set(
    STUDIO_METRICS
)
# A cell that is not a number Studio writes (1,234 / 4.5 / 12.5% / 0:03:12 / a dash / empty).
_TEXT_CELL = re.compile(r"[^\d\s.,:%+\-\u2013\u2014]")


def as_text(value: object) -> str | None:
    """Raw's text of a read value: exact decimal text, ISO days, or the text itself."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return values.text_of(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _bad(path: Path, where: str, error: values.BadValue, column: str) -> RejectedFile:
    return RejectedFile(
        f"{path.name} {where}, column {column!r}: {error}.",
        rule="value",
        location=where,
        details={"column": column, "problem": str(error)},
    )


def unknown_format(path: Path, seen: str) -> RejectedFile:
    return RejectedFile(
        f"{path.name} is not a YouTube file this lake reads ({seen}); drop an Analytics API "
        "report, a channels response, a Reporting API CSV, or Studio's 'Table data.csv', "
        "'Chart data.csv' or 'Totals.csv'.",
        rule="unknown-format",
    )


# --- API responses -----------------------------------------------------------------------


def _result_table(path: Path, document: dict[str, Any]) -> list[Record]:
    headers = document.get("columnHeaders")
    rows = document.get("rows", [])
    if not isinstance(headers, list) or not isinstance(rows, list):
        raise unknown_format(path, "a result table without columnHeaders or rows")
    names = [str(h.get("name")) if isinstance(h, dict) else "" for h in headers]
    if "day" not in names:
        raise RejectedFile(
            f"{path.name} is an Analytics API report without the 'day' dimension "
            f"(columns: {', '.join(names)}); ask for dimensions=day or day,video.",
            rule="unknown-report",
        )
    dataset = VIDEO_DAILY if "video" in names else CHANNEL_DAILY
    records = []
    for number, row in enumerate(rows, start=1):
        where = f"row {number} of rows"
        if not isinstance(row, list) or len(row) != len(names):
            raise RejectedFile(
                f"{path.name} {where} has {len(row) if isinstance(row, list) else 0} values "
                f"where columnHeaders names {len(names)}.",
                rule="row-width",
                location=where,
            )
        cells = dict(zip(names, row))
        try:
            key = {"date": values.iso_day(cells["day"]).isoformat()}
            if dataset == VIDEO_DAILY:
                key["video_id"] = str(cells["video"]).strip()
            read = {
                column: as_text(_metric(metric, cells[metric]))
                for metric, column in METRIC_COLUMNS.items()
                if metric in cells
            }
        except values.BadValue as error:
            raise _bad(path, where, error, "day") from None
        records.append(Record(dataset, key, read, number))
    return records


def _metric(metric: str, cell: object) -> Decimal | int | None:
    if metric in ("estimatedMinutesWatched", "averageViewDuration"):
        return values.decimal(cell)
    return values.count(cell)


def _channel_list(path: Path, document: dict[str, Any]) -> list[Record]:
    """A snapshot of each listed channel's statistics, dated the day the file was pulled."""
    day = file_timestamp(path).date().isoformat()
    items = document.get("items", [])
    records = []
    for number, item in enumerate(items if isinstance(items, list) else [], start=1):
        stats = item.get("statistics") if isinstance(item, dict) else None
        if not isinstance(stats, dict):
            continue  # asked without part=statistics: nothing to keep
        snippet = item.get("snippet") if isinstance(item.get("snippet"), dict) else {}
        where = f"item {number}"
        try:
            read = {
                "channel_title": snippet.get("title"),
                "subscriber_count": as_text(values.count(stats.get("subscriberCount"))),
                "view_count": as_text(values.count(stats.get("viewCount"))),
                "video_count": as_text(values.count(stats.get("videoCount"))),
                "hidden_subscriber_count": as_text(stats.get("hiddenSubscriberCount")),
            }
        except values.BadValue as error:
            raise _bad(path, where, error, "statistics") from None
        key = {"date": day, "channel_id": str(item.get("id", ""))}
        records.append(Record(CHANNEL_STATS, key, read, number))
    return records


def read_api_response(path: Path) -> list[Record]:
    text = decode_json_text(path.read_bytes(), path.name, "a YouTube API response")
    document = parse_json_text(text, path.name, exact_numbers=True)
    if not isinstance(document, dict):
        raise unknown_format(path, "JSON that is not an object")
    if "error" in document and "kind" not in document:
        raise RejectedFile(
            f"{path.name} is an API error answer, not a report; the next pull asks again.",
            rule="api-error",
        )
    if document.get("kind") == RESULT_TABLE or "columnHeaders" in document:
        return _result_table(path, document)
    if document.get("kind") == CHANNEL_LIST:
        return _channel_list(path, document)
    raise unknown_format(path, f"JSON of kind {document.get('kind')!r}")


# --- CSV exports ---------------------------------------------------------------------------


def _cells(header: list[str], row: list[str]) -> dict[str, str]:
    return {name.strip().lower(): cell for name, cell in zip(header, row)}


def _read_columns(
    path: Path,
    cells: dict[str, str],
    columns: dict[str, tuple[str, Reader]],
    where: str,
) -> dict[str, str | None]:
    read: dict[str, str | None] = {}
    for name, (column, reader) in columns.items():
        if name in cells:
            try:
                read[column] = as_text(reader(cells[name]))
            except values.BadValue as error:
                raise _bad(path, where, error, name) from None
    return read


def _rows(path: Path) -> tuple[list[str], Iterable[tuple[int, dict[str, str]]]]:
    header, rows = read_csv_table(path, CSV_ENCODINGS)
    # read_csv_table drops blank lines: count from line 2 for the messages.
    return header, ((number, _cells(header, row)) for number, row in enumerate(rows, start=2))


def _studio_table(path: Path) -> list[Record]:
    """Table data.csv: one row per video over the export's period, after its `Total` row."""
    _, rows = _rows(path)
    records = []
    for number, cells in rows:
        video = cells.get("content", "").strip()
        if not video or video.lower() == TOTAL_ROW:
            continue
        read = _read_columns(path, cells, TABLE_COLUMNS, f"line {number}")
        records.append(Record(VIDEOS, {"video_id": video}, read, number))
    return records


def _studio_chart(path: Path) -> list[Record]:
    """Chart data.csv / Totals.csv: one row per day (per video when it has `Content`). A chart
    broken down by a dimension lists a day once per value (per traffic source, country...), and
    only the values selected in Studio: it is refused, never taken as the day's figures."""
    header, listed = _rows(path)
    rows = list(listed)
    breakdown = [name for name in header if name.strip().lower() not in CHART_COLUMNS]
    # A column of text that is none of ours is a dimension (Traffic source, Geography...), even
    # when one value alone was selected; a column of numbers is a metric we do not read.
    texts = [
        name
        for name in breakdown
        if any(_TEXT_CELL.search(cells.get(name.strip().lower(), "")) for _, cells in rows)
    ]
    if texts:
        raise _broken_down(f"{path.name} is a chart", texts, "breakdown")
    records = []
    seen: set[tuple[str, ...]] = set()
    for number, cells in rows:
        where = f"line {number}"
        video = cells.get("content", "").strip()
        if TOTAL_ROW in (video.lower(), cells.get("date", "").strip().lower()):
            continue  # a sum of the other rows, wherever Studio puts its label
        try:
            key = {"date": values.iso_day(cells["date"]).isoformat()}
        except values.BadValue as error:
            raise _bad(path, where, error, "Date") from None
        if tuple(key.values()) + (video,) in seen:
            what = f"{path.name} lists {key['date']} more than once ({where}): a chart"
            raise _broken_down(what, breakdown, "unique", where)
        seen.add(tuple(key.values()) + (video,))
        read = _read_columns(path, cells, STUDIO_METRICS, where)
        if video:
            records.append(Record(VIDEO_DAILY, {**key, "video_id": video}, read, number))
        else:
            records.append(Record(CHANNEL_DAILY, key, read, number))
    return records


def _reporting(path: Path) -> list[Record]:
    """A Reporting API CSV: each day of each video split by dimensions, added back up; the
    average view duration is recomputed from the sums (minutes x 60 / views)."""
    _, rows = _rows(path)
    sums: dict[tuple[str, str], dict[str, Decimal]] = {}
    first_line: dict[tuple[str, str], int] = {}
    for number, cells in rows:
        where = f"line {number}"
        try:
            key = (values.iso_day(cells["date"]).isoformat(), cells["video_id"].strip())
        except values.BadValue as error:
            raise _bad(path, where, error, "date") from None
        first_line.setdefault(key, number)
        totals = sums.setdefault(key, {})
        for name, column in REPORTING_SUMS.items():
            try:
                value = values.decimal(cells.get(name))
            except values.BadValue as error:
                raise _bad(path, where, error, name) from None
            if value is not None:
                totals[column] = totals.get(column, Decimal(0)) + value
    records = []
    for (day, video), totals in sums.items():
        read = {column: as_text(value) for column, value in totals.items()}
        views, minutes = totals.get("views"), totals.get("minutes_watched")
        if views and minutes is not None:
            duration = (minutes * 60 / views).quantize(Decimal(1))
            read["average_view_duration_seconds"] = as_text(duration)
        video_key = {"date": day, "video_id": video}
        records.append(Record(VIDEO_DAILY, video_key, read, first_line[(day, video)]))
    return records


def _broken_down(what: str, columns: list[str], rule: str, where: str = "") -> RejectedFile:
    """The sentence for a chart whose rows split each day by a dimension."""
    by = " broken down" + (f" by {', '.join(repr(name) for name in columns)}" if columns else "")
    return RejectedFile(
        f"{what}{by}, not the day's figures; export the chart without a breakdown, or drop "
        "Totals.csv of the same export for the channel's days.",
        rule=rule,
        location=where,
    )


def read_export(path: Path) -> list[Record]:
    header, _ = read_csv_table(path, CSV_ENCODINGS)
    names = {name.strip().lower() for name in header}
    if "date" in names and "video_id" in names and "views" in names:
        for column, counted in PARTIAL_REPORT_COLUMNS.items():
            if column in names:
                raise RejectedFile(
                    f"{path.name} is a Reporting API report of {counted} (its {column!r} "
                    "column), not every view of a video's day: the daily views come from "
                    "channel_basic_a2.",
                    rule="partial-report",
                )
        return _reporting(path)
    if {"content", "video title"} <= names and "date" not in names:
        return _studio_table(path)
    if "date" in names and names & set(STUDIO_METRICS):
        return _studio_chart(path)
    raise unknown_format(path, f"a CSV with the columns {', '.join(header)}")


def read_landed(path: Path) -> list[Record]:
    """The records of a landed file, every value checked, or a rejection saying what is wrong."""
    suffix = path.suffix.lower()
    if suffix in API_SUFFIXES:
        return read_api_response(path)
    if suffix in EXPORT_SUFFIXES:
        return read_export(path)
    raise RejectedFile(
        f"{path.name} is neither a YouTube API response (.json) nor a CSV export; download "
        "Studio's tables as CSV (Advanced mode > Export > Comma-separated values).",
        rule="unknown-format",
    )

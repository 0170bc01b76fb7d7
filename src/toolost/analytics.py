"""The TooLost portal's analytics JSON (Spotify and Apple Music) as daily (date, streams) points.

The portal answers `/api/portal/analytics/spotify` with `{"streams": [{"date", "streams": "123"}],
"discovery": [...]}` (counts are strings, dates unsorted) and `/api/portal/analytics/apple/` with
`{"totalStreams": [{"date", "streams": 5}], "totalShazam": [...], ...}` (counts are ints). A file is
told apart by its keys, never by its name. Anything else is rejected with the reason, and the
monthly sales report, whose format nobody has seen yet, is kept in quarantine rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from common.json_exports import DOCUMENT_MAGIC, decode_json_text, parse_json_text
from common.quarantine import RejectedFile

# The list of daily points that identifies each platform's payload.
SERIES_KEYS = {"spotify": "streams", "apple": "totalStreams"}
JSON_SUFFIX = ".json"
HEAD_CHARS = 65536
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_WHOLE_NUMBER = re.compile(r"[0-9]+")

Points = list[tuple[str, object]]


@dataclass(frozen=True)
class DailySeries:
    """One platform's daily stream counts as the portal sent them (not yet typed)."""

    platform: str
    points: Points


def suggests_sales_report(file_name: str, text: str = "") -> bool:
    """True when the name or the opening text points at the monthly sales report."""
    return "sales" in file_name.lower() or "sales report" in text[:HEAD_CHARS].lower()


def unknown_format(file_name: str, text: str = "") -> RejectedFile:
    """The rejection of a file whose format no parser knows yet: kept, never guessed at."""
    if suggests_sales_report(file_name, text):
        message = (
            f"{file_name} looks like a TooLost monthly sales report, whose format is not known "
            "yet, so it is kept in quarantine until a parser for it exists."
        )
    else:
        message = (
            f"{file_name} is not a TooLost analytics JSON (Spotify or Apple Music) and its format "
            "is not known yet, so it is kept in quarantine until a parser for it exists."
        )
    return RejectedFile(message, rule="unknown-format")


def decode_portal_text(content: bytes, file_name: str) -> str:
    """The text of a portal download; rejected when empty, a document, HTML or undecodable."""
    if content.startswith(DOCUMENT_MAGIC):
        raise unknown_format(file_name)
    return decode_json_text(content, file_name, "analytics JSON")


def parse_portal_json(text: str, file_name: str) -> object:
    """The decoded JSON, or a rejection saying where it breaks (a cut-off download ends early)."""
    try:
        return parse_json_text(text, file_name)
    except RejectedFile:
        if suggests_sales_report(file_name, text):
            raise unknown_format(file_name, text) from None
        raise


def platform_entries(payload: object, file_name: str, text: str = "") -> tuple[str, list[object]]:
    """The platform ('spotify' or 'apple', told by the payload's keys) and its daily entries."""
    if isinstance(payload, dict):
        found = [(name, payload[key]) for name, key in SERIES_KEYS.items() if key in payload]
        if len(found) == 1 and isinstance(found[0][1], list):
            return found[0]
    if suggests_sales_report(file_name, text):
        raise unknown_format(file_name, text)
    keys = sorted(payload) if isinstance(payload, dict) else type(payload).__name__
    raise RejectedFile(
        f"{file_name} is JSON of an unknown shape (keys {keys}); a TooLost analytics file has "
        "exactly one of a 'streams' list (Spotify) or a 'totalStreams' list (Apple Music).",
        rule="unknown-shape",
        details={"keys": keys},
    )


def _is_whole_number(count: object) -> bool:
    """Spotify sends counts as strings ("123"), Apple as ints; nothing else is a count."""
    if isinstance(count, bool):
        return False
    if isinstance(count, int):
        return count >= 0
    return isinstance(count, str) and _WHOLE_NUMBER.fullmatch(count) is not None


def _bad_point(file_name: str, key: str, index: int, why: str) -> RejectedFile:
    return RejectedFile(
        f"{file_name} has {why} in {key!r} (entry {index + 1}).",
        rule="daily-point",
        location=f"{key}[{index}]",
    )


def daily_points(entries: list[object], key: str, file_name: str) -> Points:
    """(date, count) pairs from the portal's `[{"date", "streams"}]`, checked one by one."""
    if not entries:
        raise RejectedFile(
            f"{file_name} holds no days: its {key!r} list is empty.", rule="not-empty"
        )
    points: Points = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict) or "date" not in entry or "streams" not in entry:
            raise _bad_point(
                file_name, key, index, f"an entry without a date and streams {entry!r:.80}"
            )
        day, count = entry["date"], entry["streams"]
        if not isinstance(day, str) or not _is_calendar_day(day):
            raise _bad_point(file_name, key, index, f"a date that is not YYYY-MM-DD: {day!r:.40}")
        if not _is_whole_number(count):
            raise _bad_point(
                file_name, key, index, f"a stream count that is not a whole number: {count!r:.40}"
            )
        points.append((day, count))
    return points


def _is_calendar_day(day: str) -> bool:
    if not _ISO_DAY.fullmatch(day):
        return False
    try:
        date.fromisoformat(day)
    except ValueError:
        return False
    return True


def series_from_json(content: bytes, file_name: str) -> DailySeries:
    """The daily series of one portal response (pure: bytes in, points out)."""
    text = decode_portal_text(content, file_name)
    payload = parse_portal_json(text, file_name)
    platform, entries = platform_entries(payload, file_name, text)
    return DailySeries(platform, daily_points(entries, SERIES_KEYS[platform], file_name))


def read_daily_series(path: Path) -> DailySeries:
    """The daily series of a landed file; non-JSON files (the sales report) are not known yet."""
    if path.suffix.lower() != JSON_SUFFIX:
        with path.open("rb") as stream:
            head = stream.read(HEAD_CHARS)
        raise unknown_format(path.name, head.decode("utf-8", errors="ignore"))
    return series_from_json(path.read_bytes(), path.name)

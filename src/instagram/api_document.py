"""A landed Graph API file: the extractor's pull document, or one insights answer saved by hand.

The pull document (`"document": "instagram_graph_api_pull"`) holds the account's username and
follower total, `daily` answers (values dated by `end_time`), `totals` answers (one per day
asked), the media with their insights, and the metrics the API refused as no longer supported.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from common.json_exports import api_error_rejection, decode_json_text, parse_json_text
from common.quarantine import RejectedFile
from instagram.dates import pacific_day
from instagram.insights import count, item_values
from instagram.records import DailyValue, LandedFile, MediaSnapshot
from instagram.settings import (
    CAPTION_EXCERPT,
    EXPIRED_TOKEN_CODES,
    FOLLOWERS,
    MEDIA_METRICS,
    PULL_DOCUMENT,
    RATE_LIMIT_CODES,
)

# Media fields that stand in for an insights metric the API did not answer.
MEDIA_FIELD_FALLBACKS = {"likes": "like_count", "comments": "comments_count"}


def api_error(error: object, file_name: str) -> RejectedFile:
    """The rejection of a Graph API error payload saved in place of data, with what to do."""

    def advice(code: int | None) -> str:
        if code in RATE_LIMIT_CODES:
            return "the account hit Instagram's rate limit; pull again later"
        if code in EXPIRED_TOKEN_CODES:
            return "the access token is invalid or expired; put a new one in .env and pull again"
        return "the pull failed; pull again"

    return api_error_rejection(error, file_name, "Graph API", "insights", advice)


def _text(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _day(value: object, file_name: str, where: str) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise RejectedFile(
            f"{file_name} has {value!r} as the day of {where}, not a date such as 2025-01-31.",
            rule="date",
            location=where,
        ) from None


def _moment_day(value: object, file_name: str, where: str) -> date:
    try:
        return pacific_day(str(value))
    except ValueError:
        raise RejectedFile(
            f"{file_name} has {value!r} as {where}, not an API time such as "
            "2025-01-02T08:00:00+0000.",
            rule="date",
            location=where,
        ) from None


def _list(document: dict[str, Any], key: str, file_name: str) -> list[Any]:
    value = document.get(key, [])
    if not isinstance(value, list):
        raise RejectedFile(f"{file_name}: {key} is not a list.", rule="unknown-shape", location=key)
    return value


def _media_metric(insights: object, name: str, file_name: str, where: str) -> int | None:
    for item in insights if isinstance(insights, list) else []:
        if not (isinstance(item, dict) and item.get("name") == name):
            continue
        values, total = item.get("values"), item.get("total_value")
        if isinstance(values, list) and values and isinstance(values[0], dict):
            return count(values[0].get("value"), file_name, f"{where}, {name}")
        if isinstance(total, dict):
            return count(total.get("value"), file_name, f"{where}, {name}")
    return None


def _media(
    account: str, entry: object, snapshot: date, file_name: str, number: int
) -> MediaSnapshot:
    where = f"media {number}"
    media_id = _text(entry.get("id")) if isinstance(entry, dict) else None
    if media_id is None:
        raise RejectedFile(
            f"{file_name} has a media entry without an id ({where}).",
            rule="unknown-shape",
            location=where,
        )
    assert isinstance(entry, dict)
    insights = entry.get("insights")
    metrics = {name: _media_metric(insights, name, file_name, where) for name in MEDIA_METRICS}
    for name, fallback in MEDIA_FIELD_FALLBACKS.items():
        if metrics[name] is None and entry.get(fallback) is not None:
            metrics[name] = count(entry.get(fallback), file_name, f"{where}, {fallback}")
    posted_at = _text(entry.get("timestamp"))
    caption = _text(entry.get("caption"))
    return MediaSnapshot(
        account=account,
        media_id=media_id,
        media_type=_text(entry.get("media_type")),
        media_product_type=_text(entry.get("media_product_type")),
        caption_excerpt=" ".join(caption.split())[:CAPTION_EXCERPT] if caption else None,
        posted_at=posted_at,
        posted_date=(
            _moment_day(posted_at, file_name, f"the timestamp of {where}") if posted_at else None
        ),
        permalink=_text(entry.get("permalink")),
        snapshot_date=snapshot,
        metrics=metrics,
    )


def _pull(document: dict[str, Any], file_name: str) -> LandedFile:
    account = _text(document.get("username")) or _text(document.get("ig_user_id"))
    if account is None:
        raise RejectedFile(
            f"{file_name} does not name the Instagram account it was pulled from.",
            rule="unknown-shape",
        )
    snapshot = _moment_day(document.get("pulled_at"), file_name, "pulled_at")
    landed = LandedFile(user_id=_text(document.get("ig_user_id")))
    for number, answer in enumerate(_list(document, "daily", file_name), start=1):
        data = answer.get("data") if isinstance(answer, dict) else None
        landed.daily += item_values(account, data, None, file_name, f"daily {number}", landed.notes)
    for number, answer in enumerate(_list(document, "totals", file_name), start=1):
        where = f"totals {number}"
        day = _day(answer.get("day") if isinstance(answer, dict) else None, file_name, where)
        assert isinstance(answer, dict)
        landed.daily += item_values(
            account, answer.get("data"), day, file_name, where, landed.notes
        )
    profile = document.get("account")
    if isinstance(profile, dict) and "followers_count" in profile:
        followers = count(profile["followers_count"], file_name, "account followers_count")
        landed.daily.append(DailyValue(account, snapshot, FOLLOWERS, followers))
    for number, entry in enumerate(_list(document, "media", file_name), start=1):
        landed.media.append(_media(account, entry, snapshot, file_name, number))
    return landed


def read_api_file(path: Path) -> LandedFile:
    """The records of a landed JSON file; a hand-saved answer names no account (None)."""
    text = decode_json_text(path.read_bytes(), path.name, "a Graph API response")
    document = parse_json_text(text, path.name)
    if isinstance(document, dict) and "error" in document:
        raise api_error(document["error"], path.name)
    if isinstance(document, dict) and document.get("document") == PULL_DOCUMENT:
        landed = _pull(document, path.name)
    elif isinstance(document, dict) and isinstance(document.get("data"), list):
        landed = LandedFile()
        landed.daily = item_values(None, document["data"], None, path.name, "data", landed.notes)
    else:
        shape = sorted(document) if isinstance(document, dict) else type(document).__name__
        raise RejectedFile(
            f"{path.name} is JSON of an unknown shape ({shape}); Instagram files are the "
            'extractor\'s pulls or a saved insights answer {"data": [...]}.',
            rule="unknown-shape",
        )
    if not (landed.daily or landed.media):
        raise RejectedFile(f"{path.name} holds no insights values.", rule="not-empty")
    return landed

"""Graph API insights responses: `{"data": [...], "paging": {...}}`, or a list of such pages.

Every metric is a string; ids are numeric strings and stay text (numbers are read as their exact
text, so a long id never passes through a float); `ctr` is already a percentage; `actions` is a
list of `{action_type, value}` that is absent on days without actions. The spend currency is
the row's `account_currency` when the pull asked for it, else unknown here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from common.json_exports import api_error_rejection, decode_json_text, parse_json_text
from common.quarantine import RejectedFile
from metaads.insights import Action, Fields, InsightRow
from metaads.settings import API, EXPIRED_TOKEN_CODES, RATE_LIMIT_CODES

# Response fields copied as they are; the others are mapped below.
SAME_NAME_FIELDS = (
    "date_start",
    "date_stop",
    "campaign_id",
    "campaign_name",
    "adset_id",
    "adset_name",
    "ad_id",
    "ad_name",
    "spend",
    "impressions",
    "clicks",
    "reach",
    "frequency",
    "cpc",
    "cpm",
    "ctr",
)
CURRENCY_FIELD = "account_currency"
LINK_CLICKS_FIELD = "inline_link_clicks"
LINK_CLICK_ACTION = "link_click"


@dataclass(frozen=True)
class Response:
    """The rows of a saved response, and the page each entry number came from."""

    rows: list[InsightRow]
    page_of: dict[int, int]

    def where(self, entry: int) -> str:
        return f"entry {entry} (page {self.page_of.get(entry, 1)})"


def decode_response(content: bytes, file_name: str) -> str:
    """The text of a saved response; rejected when empty, HTML or not JSON text."""
    return decode_json_text(content, file_name, "a Graph API response")


def parse_json(text: str, file_name: str) -> object:
    """The JSON document with every number kept as its exact text, or where it breaks."""
    return parse_json_text(text, file_name, exact_numbers=True)


def api_error(error: object, file_name: str) -> RejectedFile:
    """The rejection of a Graph API error payload saved in place of data, with what to do."""

    def advice(code: int | None) -> str:
        if code in RATE_LIMIT_CODES:
            return "the ad account hit Meta's rate limit; the extractor backs off and pulls again"
        if code in EXPIRED_TOKEN_CODES:
            return "the access token is invalid or expired; refresh it and pull again"
        return "the pull failed; pull again"

    return api_error_rejection(error, file_name, "Graph API", "insights", advice)


def pages_of(payload: object, file_name: str) -> list[list[object]]:
    """The `data` list of every page: one page, or a list of pages saved together."""
    pages = payload if isinstance(payload, list) else [payload]
    if not pages:
        raise RejectedFile(f"{file_name} is an empty list of pages.", rule="not-empty")
    found: list[list[object]] = []
    for number, page in enumerate(pages, start=1):
        if isinstance(page, dict) and "error" in page:
            raise api_error(page["error"], file_name)
        if not (isinstance(page, dict) and isinstance(page.get("data"), list)):
            shape = sorted(page) if isinstance(page, dict) else type(page).__name__
            raise RejectedFile(
                f"{file_name} is JSON of an unknown shape (page {number}: {shape}); a Graph API "
                'insights response is {"data": [...], "paging": {...}} or a list of those.',
                rule="unknown-shape",
                location=f"page {number}",
            )
        found.append(page["data"])
    return found


def _text(value: object) -> str | None:
    """A field as text: strings as sent, numbers as their exact text, anything else as JSON."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    return json.dumps(value)


def _level(entry: dict[str, object]) -> str:
    if entry.get("ad_id") is not None or entry.get("ad_name") is not None:
        return "ad"
    if entry.get("adset_id") is not None or entry.get("adset_name") is not None:
        return "adset"
    return "campaign"


def _actions(entry: dict[str, object], file_name: str, where: str) -> tuple[Action, ...]:
    listed = entry.get("actions")
    if listed is None:
        return ()
    if not isinstance(listed, list):
        raise RejectedFile(
            f"{file_name} has an 'actions' field that is not a list in {where}.",
            rule="unknown-shape",
            location=where,
        )
    return tuple(
        (
            Action(_text(item.get("action_type")), _text(item.get("value")))
            if isinstance(item, dict)
            else Action(None, _text(item))
        )
        for item in listed
    )


def _link_clicks(entry: dict[str, object], actions: tuple[Action, ...], asked: bool) -> str | None:
    """`inline_link_clicks`, else the `link_click` action; 0 on a day without actions when the
    pull asked for them (the list is absent then), unknown when it did not."""
    if LINK_CLICKS_FIELD in entry:
        return _text(entry[LINK_CLICKS_FIELD])
    for action in actions:
        if action.action_type == LINK_CLICK_ACTION:
            return action.value
    return "0" if asked else None


def response_rows(payload: object, file_name: str) -> Response:
    """The insights rows of a decoded response, numbered 1… across its pages."""
    entries: list[tuple[int, object]] = [
        (number, entry)
        for number, data in enumerate(pages_of(payload, file_name), start=1)
        for entry in data
    ]
    asked = any(
        isinstance(entry, dict) and ("actions" in entry or LINK_CLICKS_FIELD in entry)
        for _, entry in entries
    )
    rows: list[InsightRow] = []
    page_of: dict[int, int] = {}
    for index, (page, entry) in enumerate(entries, start=1):
        page_of[index] = page
        where = f"entry {index} (page {page})"
        if not isinstance(entry, dict):
            raise RejectedFile(
                f"{file_name} has a data entry that is not an object in {where}.",
                rule="unknown-shape",
                location=where,
            )
        actions = _actions(entry, file_name, where)
        fields: Fields = {name: _text(entry.get(name)) for name in SAME_NAME_FIELDS}
        fields.update(
            source=API,
            level=_level(entry),
            currency=_text(entry.get(CURRENCY_FIELD)),
            link_clicks=_link_clicks(entry, actions, asked),
        )
        rows.append(InsightRow(index, fields, actions))
    return Response(rows, page_of)


def read_response(path: Path) -> Response:
    """The rows of a saved insights response (pure but for reading the file)."""
    text = decode_response(path.read_bytes(), path.name)
    return response_rows(parse_json(text, path.name), path.name)

"""Linktree GraphQL captures: which responses of a saved capture are analytics, and which are not.

A capture is either one response body (`{"data": ...}`, as the earlier extractor saved every
response to its own file) or a list of captured operations `{operationName, query?, variables?,
response | data}` (a list of bare bodies is read too). A payload is chosen by what it answers —
its root field `data.getAccountAnalytics.<section>`, or `link<ID>` aliases for link titles — and
its operation name is kept beside it and named in every log line: names alone are not trusted,
because old captures have none. Anything else (currentUser, wallet, analyticsChat, …) is ignored
with a reason, never guessed at; a capture with nothing usable is rejected.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from common.json_exports import decode_json_text, parse_json_text
from common.quarantine import RejectedFile
from linktree.settings import (
    ANALYTICS_ROOT,
    ANALYTICS_SECTIONS,
    CAPTURE_SUFFIX,
    LINK_ALIAS,
    PAYLOAD_ANALYTICS,
    PAYLOAD_LINK_TITLES,
    RECORD_KEYS,
    RESPONSE_KEYS,
)


@dataclass(frozen=True)
class Payload:
    """One response the lake reads: analytics sections or link titles."""

    index: int
    operation: str | None
    variables: object
    kind: str
    data: dict[str, object]
    errors: list[str] = field(default_factory=list)

    def describe(self) -> str:
        return _describe(self.index, self.operation)


@dataclass(frozen=True)
class Ignored:
    """One response of the capture that is not Linktree analytics, and why."""

    index: int
    operation: str | None
    reason: str

    def describe(self) -> str:
        return _describe(self.index, self.operation)


@dataclass(frozen=True)
class Capture:
    payloads: list[Payload]
    ignored: list[Ignored]


def _describe(index: int, operation: str | None) -> str:
    return (
        f"response {index + 1} ({'operation ' + operation if operation else 'no operation name'})"
    )


def decode_capture(content: bytes, file_name: str) -> str:
    """The capture's text; rejected when empty, a binary document, HTML or not JSON text."""
    return decode_json_text(content, file_name, "a Linktree GraphQL capture")


def parse_capture_json(text: str, file_name: str) -> object:
    """The decoded JSON, or a rejection saying where it breaks (a cut-off capture ends early)."""
    return parse_json_text(text, file_name)


def _is_record(item: dict[str, object]) -> bool:
    return bool(RECORD_KEYS & item.keys())


def responses(document: object, file_name: str) -> list[tuple[int, str | None, object, object]]:
    """(index, operation, variables, response body) of every response the capture holds."""
    if isinstance(document, dict) and (_is_record(document) or RESPONSE_KEYS & document.keys()):
        items: list[object] = [document]
    elif isinstance(document, list):
        items = document
    else:
        shape = sorted(document) if isinstance(document, dict) else type(document).__name__
        raise RejectedFile(
            f"{file_name} is JSON of an unknown shape ({shape}); a Linktree capture is a GraphQL "
            "response ({'data': …}) or a list of captured operations.",
            rule="unknown-shape",
            details={"shape": shape},
        )
    found: list[tuple[int, str | None, object, object]] = []
    for index, item in enumerate(items):
        if isinstance(item, dict) and _is_record(item):
            operation = item.get("operationName")
            name = operation if isinstance(operation, str) and operation else None
            body = item["response"] if "response" in item else {"data": item.get("data")}
            found.append((index, name, item.get("variables"), body))
        else:
            found.append((index, None, None, item))
    return found


def _error_messages(body: dict[str, object]) -> list[str]:
    errors = body.get("errors")
    if not isinstance(errors, list):
        return []
    return [str(e.get("message")) if isinstance(e, dict) else str(e) for e in errors]


def _with_errors(reason: str, errors: list[str]) -> str:
    return reason + (f" (GraphQL errors: {'; '.join(errors)})" if errors else "")


def classify(
    index: int, operation: str | None, variables: object, body: object
) -> Payload | Ignored:
    """An analytics or link-titles payload, told by its root field, or the reason it is ignored."""
    if not isinstance(body, dict):
        return Ignored(index, operation, "not a GraphQL response object")
    errors = _error_messages(body)
    data = body.get("data")
    if not isinstance(data, dict) or not data:
        return Ignored(index, operation, _with_errors("no data", errors))
    if ANALYTICS_ROOT in data:
        analytics = data[ANALYTICS_ROOT]
        if not isinstance(analytics, dict) or not any(
            analytics.get(section) is not None for section in ANALYTICS_SECTIONS
        ):
            reason = f"{ANALYTICS_ROOT} holds none of {', '.join(ANALYTICS_SECTIONS)}"
            return Ignored(index, operation, _with_errors(reason, errors))
        return Payload(index, operation, variables, PAYLOAD_ANALYTICS, data, errors)
    if all(LINK_ALIAS.fullmatch(root) for root in data):
        return Payload(index, operation, variables, PAYLOAD_LINK_TITLES, data, errors)
    roots = ", ".join(sorted(data))
    return Ignored(index, operation, f"root field(s) {roots}: not Linktree analytics")


def capture_from_json(content: bytes, file_name: str) -> Capture:
    """The payloads and ignored responses of one capture; rejected when nothing is usable."""
    document = parse_capture_json(decode_capture(content, file_name), file_name)
    payloads: list[Payload] = []
    ignored: list[Ignored] = []
    for index, operation, variables, body in responses(document, file_name):
        picked = classify(index, operation, variables, body)
        if isinstance(picked, Payload):
            payloads.append(picked)
        else:
            ignored.append(picked)
    if not payloads:
        seen = [f"{i.describe()}: {i.reason}" for i in ignored] or ["no responses at all"]
        raise RejectedFile(
            f"{file_name} holds no Linktree analytics payload ({ANALYTICS_ROOT} or link titles), "
            f"so nothing in it is usable: {'; '.join(seen)[:300]}.",
            rule="no-analytics",
            details={"responses": seen},
        )
    return Capture(payloads, ignored)


def read_capture(path: Path) -> Capture:
    """The capture saved at `path`; only .json files are captures."""
    if path.suffix.lower() != CAPTURE_SUFFIX:
        raise RejectedFile(
            f"{path.name} is not a Linktree GraphQL capture (a .json file).",
            rule="unknown-format",
        )
    return capture_from_json(path.read_bytes(), path.name)

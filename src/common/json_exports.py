"""Reading a saved JSON export or API response, with one clear rejection for each way it breaks:
empty, a binary document saved under a .json name, undecodable, an HTML page, cut off, invalid."""

from __future__ import annotations

import json
from collections.abc import Callable

from common.quarantine import RejectedFile
from common.sniffing import (
    DOCUMENT_MAGIC,
    document_rejection,
    json_cut_off,
    require_text,
    sniff_bytes,
)

# toolost.analytics tells a document apart before it asks for JSON text.
__all__ = ["DOCUMENT_MAGIC", "decode_json_text", "parse_json_text"]


def decode_json_text(content: bytes, file_name: str, what: str) -> str:
    """The text of a saved JSON file; `what` names what it should be, for the messages.

    The encoding is the one JSON allows that its first bytes show (UTF-8, -16 or -32).
    """
    sniff = sniff_bytes(file_name, content, (json.detect_encoding(content),))
    if sniff.document:
        raise document_rejection(file_name, what)
    where = sniff.undecodable_at
    encoding = require_text(
        sniff,
        f"{file_name} is not readable as JSON text (UTF-8, -16 or -32) at byte {where}.",
        what,
        binary=False,
    )
    return content.decode(encoding).lstrip("\ufeff")


def parse_json_text(text: str, file_name: str, exact_numbers: bool = False) -> object:
    """The JSON document, or where it breaks (a cut-off download ends early).

    `exact_numbers` keeps every number as its text, so ids and money never pass through floats.
    """
    try:
        if exact_numbers:
            return json.loads(text, parse_int=str, parse_float=str)
        return json.loads(text)
    except json.JSONDecodeError as error:
        cut_off = json_cut_off(text, error)
        raise RejectedFile(
            f"{file_name} is not valid JSON ({error.msg} at line {error.lineno} column "
            f"{error.colno})" + ("; the download was cut off." if cut_off else "."),
            rule="truncated" if cut_off else "invalid-json",
            location=f"line {error.lineno} column {error.colno}",
        ) from None


def api_error_rejection(
    error: object, file_name: str, api: str, expected: str, advice: Callable[[int | None], str]
) -> RejectedFile:
    """The rejection of an API error payload (`{"code": …, "message": …}`) saved in place of
    data: its code and message, and what to do, which `advice` says from the numeric code."""
    details = error if isinstance(error, dict) else {"error": error}
    code = str(details.get("code", "?"))
    message = str(details.get("message", "no message"))
    return RejectedFile(
        f"{file_name} is a {api} error response (code {code}: {message}), not {expected}: "
        f"{advice(int(code) if code.isdigit() else None)}.",
        rule="api-error",
        details=details,
    )

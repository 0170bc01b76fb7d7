"""Reading a saved JSON export or API response, with one clear rejection for each way it breaks:
empty, a binary document saved under a .json name, undecodable, an HTML page, cut off, invalid."""

from __future__ import annotations

import json

from common.quarantine import RejectedFile
from common.tabular import HTML_MARKERS

# Binary documents sometimes saved under a .json name: xlsx (zip), xls (OLE2) and pdf.
DOCUMENT_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF")


def decode_json_text(content: bytes, file_name: str, what: str) -> str:
    """The text of a saved JSON file; `what` names what it should be, for the messages."""
    if not content.strip():
        raise RejectedFile(f"{file_name} is empty.", rule="not-empty")
    if content.startswith(DOCUMENT_MAGIC):
        raise RejectedFile(f"{file_name} is a binary document, not {what}.", rule="unknown-format")
    try:
        text = content.decode(json.detect_encoding(content)).lstrip("\ufeff")
    except UnicodeDecodeError as error:
        raise RejectedFile(
            f"{file_name} is not readable as JSON text (UTF-8, -16 or -32) at byte {error.start}.",
            rule="encoding",
        ) from None
    if text.lstrip().lower().startswith(HTML_MARKERS):
        raise RejectedFile(
            f"{file_name} is an HTML page, not {what} (a login page saved by an expired session "
            "looks like this).",
            rule="not-html",
        )
    return text


def parse_json_text(text: str, file_name: str, exact_numbers: bool = False) -> object:
    """The JSON document, or where it breaks (a cut-off download ends early).

    `exact_numbers` keeps every number as its text, so ids and money never pass through floats.
    """
    try:
        if exact_numbers:
            return json.loads(text, parse_int=str, parse_float=str)
        return json.loads(text)
    except json.JSONDecodeError as error:
        # A string still open at the end is reported where it starts, not where the text ends.
        cut_off = error.pos >= len(text.rstrip()) or error.msg.startswith("Unterminated string")
        raise RejectedFile(
            f"{file_name} is not valid JSON ({error.msg} at line {error.lineno} column "
            f"{error.colno})" + ("; the download was cut off." if cut_off else "."),
            rule="truncated" if cut_off else "invalid-json",
            location=f"line {error.lineno} column {error.colno}",
        ) from None

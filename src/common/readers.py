"""Sniffing real exports: encodings, line ends, headers, truncation, and clean UTF-8 copies."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator, Sequence
from pathlib import Path

from common.quarantine import RejectedFile
from common.tabular import HTML_MARKERS
from common.zones import atomic_copy, atomic_write_chunks

CHUNK = 1 << 20
# Tried in order; cp1252 covers latin-1 text. Anything else is an unknown encoding.
TEXT_ENCODINGS = ("utf-8-sig", "cp1252")
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 13))


def _chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            yield chunk


def sniff_encoding(path: Path, encodings: Sequence[str] = TEXT_ENCODINGS) -> str:
    """The first encoding that decodes the whole file (streamed), or a rejection.

    UTF-16 with a BOM is recognised by its BOM. Control bytes such as NUL mean the file is
    binary or in an encoding we do not know, and it is rejected rather than guessed at.
    """
    with path.open("rb") as stream:
        head = stream.read(4)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if path.stat().st_size == 0:
        raise RejectedFile(f"{path.name} is empty.", rule="not-empty")
    for encoding in encodings:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            for chunk in _chunks(path):
                if chunk.translate(None, _CONTROL) != chunk:
                    raise RejectedFile(
                        f"{path.name} holds binary control bytes: its encoding is unknown.",
                        rule="encoding",
                    )
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    raise RejectedFile(
        f"{path.name} is in an unknown encoding (not {' or '.join(encodings)}).", rule="encoding"
    )


def _reject_control_bytes(path: Path, chunk: bytes) -> None:
    if chunk.translate(None, _CONTROL) != chunk:
        raise RejectedFile(
            f"{path.name} holds binary control bytes: its encoding is unknown.", rule="encoding"
        )


def sniff_head_encoding(path: Path, size: int = 65536) -> str:
    """The encoding the start of the file suggests, without reading the rest (large exports).

    `copy_as_utf8` checks the whole file while it copies it.
    """
    with path.open("rb") as stream:
        head = stream.read(size)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    _reject_control_bytes(path, head)
    try:
        codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8-sig"


def _checked_utf8_chunks(path: Path) -> Iterator[bytes]:
    decoder = codecs.getincrementaldecoder("utf-8")()
    for chunk in _chunks(path):
        _reject_control_bytes(path, chunk)
        decoder.decode(chunk)
        yield chunk
    decoder.decode(b"", final=True)


def copy_as_utf8(source: Path, target: Path) -> Path:
    """An atomic UTF-8 copy in one pass: the bytes themselves when they are valid UTF-8 (checked
    while copying), else the text transcoded from cp1252 (latin-1) with LF line ends."""
    try:
        return atomic_write_chunks(target, _checked_utf8_chunks(source))
    except UnicodeDecodeError:
        encoding = sniff_encoding(source, ("cp1252",))
        return atomic_write_chunks(target, _normalised_utf8(source, encoding))


def read_head(path: Path, encoding: str, size: int = 65536) -> str:
    with path.open("rb") as stream:
        raw = stream.read(size)
    return raw.decode(encoding, errors="ignore")


def first_line(text: str) -> str:
    """The first line, whatever the line ends (CR-only exports exist)."""
    return text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""


def reject_html_or_empty(path: Path, head: str) -> None:
    if not head.strip():
        raise RejectedFile(f"{path.name} is empty.", rule="not-empty")
    if head.lstrip("\ufeff \t\r\n").lower().startswith(HTML_MARKERS):
        raise RejectedFile(
            f"{path.name} is an HTML page, not an export (a login page saved by an expired "
            "session looks like this).",
            rule="not-html",
        )


def header_fields(line: str, delimiter: str) -> list[str]:
    row = next(csv.reader(io.StringIO(line), delimiter=delimiter), [])
    return [name.strip().lstrip("\ufeff").strip() for name in row]


def sniff_delimiter(header: str, candidates: str = "\t,;") -> str:
    counts = {d: header.count(d) for d in candidates}
    return max(counts, key=lambda d: counts[d])


def last_line(path: Path, encoding: str) -> str:
    """The last non-empty line, read from the end of the file only."""
    tail = _tail_bytes(path).decode(encoding, errors="ignore")
    lines = tail.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    return lines[-1] if lines else ""


def _tail_bytes(path: Path, size: int = 65536) -> bytes:
    with path.open("rb") as stream:
        stream.seek(max(0, path.stat().st_size - size))
        return stream.read()


def count_lines(path: Path) -> int:
    """Line count whatever the line ends: CR, LF or CRLF."""
    count, previous = 0, b""
    for chunk in _chunks(path):
        count += chunk.count(b"\n") + chunk.count(b"\r") - chunk.count(b"\r\n")
        if previous == b"\r" and chunk.startswith(b"\n"):
            count -= 1
        previous = chunk[-1:]
    if _tail_bytes(path, 1) not in (b"\n", b"\r"):
        count += 1
    return count


def check_complete_last_line(path: Path, encoding: str, delimiter: str, width: int) -> None:
    """Reject a file whose last line has fewer fields than the header (a cut-off download)."""
    line = last_line(path, encoding)
    fields = next(csv.reader(io.StringIO(line), delimiter=delimiter), [])
    if len(fields) != width:
        number = count_lines(path)
        raise RejectedFile(
            f"{path.name} ends with an incomplete line {number} ({len(fields)} of {width} fields): "
            "the download was cut off.",
            rule="truncated",
            location=f"line {number}",
            details={"line": number, "text": line[:500]},
        )


def _normalised_utf8(path: Path, encoding: str) -> Iterator[bytes]:
    """The file as UTF-8 with LF line ends, streamed; no BOM."""
    decoder = codecs.getincrementaldecoder(encoding)()
    pending_cr = False
    first = True
    for chunk in _chunks(path):
        text = decoder.decode(chunk)
        if first:
            text = text.lstrip("\ufeff")
            first = False
        if pending_cr:
            text = "\r" + text
        pending_cr = text.endswith("\r")
        if pending_cr:
            text = text[:-1]
        yield text.replace("\r\n", "\n").replace("\r", "\n").encode("utf-8")
    tail = decoder.decode(b"", final=True)
    yield (("\r" if pending_cr else "") + tail).replace("\r\n", "\n").replace("\r", "\n").encode()


def write_utf8_copy(source: Path, target: Path, encoding: str) -> Path:
    """An atomic UTF-8 copy of a text export: the bytes themselves when already UTF-8, else the
    text transcoded with LF line ends (delimiter and values unchanged either way)."""
    if encoding in ("utf-8", "utf-8-sig"):
        return atomic_copy(source, target)
    return atomic_write_chunks(target, _normalised_utf8(source, encoding))


def sniff_line_end(head: str) -> str:
    """'\r' for the CR-only exports DistroKid makes, else '\n' (which also reads CRLF)."""
    return "\r" if "\r" in head and "\n" not in head else "\n"

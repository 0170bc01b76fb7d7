"""Reading real exports: encodings, line ends, headers, truncation, and clean UTF-8 copies.

The verdicts themselves (empty, HTML page, binary, encoding, cut off) come from `common.sniffing`,
the one sniffer every reader shares.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator, Sequence
from pathlib import Path

from common.sniffing import (
    CHUNK,
    TEXT_ENCODINGS,
    bom_encoding,
    check_complete_last_line,
    control_bytes_rejection,
    count_lines,
    empty_rejection,
    has_control_bytes,
    html_rejection,
    is_blank,
    last_line,
    looks_like_html,
    require_text,
    sniff_file,
)
from common.zones import atomic_copy, atomic_write_chunks

# Services import the cut-off checks from here; they live in common.sniffing.
__all__ = [
    "TEXT_ENCODINGS",
    "check_complete_last_line",
    "copy_as_utf8",
    "count_lines",
    "first_line",
    "header_fields",
    "last_line",
    "read_head",
    "reject_html_or_empty",
    "sniff_delimiter",
    "sniff_encoding",
    "sniff_head_encoding",
    "sniff_line_end",
    "write_utf8_copy",
]


def _chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            yield chunk


def _unknown_encoding(name: str, encodings: Sequence[str]) -> str:
    return f"{name} is in an unknown encoding (not {' or '.join(encodings)})."


def sniff_encoding(path: Path, encodings: Sequence[str] = TEXT_ENCODINGS) -> str:
    """The first encoding that decodes the whole file (streamed), or a rejection.

    UTF-16 with a BOM is recognised by its BOM. Control bytes such as NUL mean the file is
    binary or in an encoding we do not know, and it is rejected rather than guessed at.
    """
    return require_text(sniff_file(path, encodings), _unknown_encoding(path.name, encodings))


def sniff_head_encoding(path: Path) -> str:
    """The encoding the start of the file suggests, without reading the rest (large exports).

    `copy_as_utf8` checks the whole file while it copies it.
    """
    sniff = sniff_file(path, whole=False)
    return require_text(sniff, _unknown_encoding(path.name, TEXT_ENCODINGS))


def _checked_utf8_chunks(path: Path) -> Iterator[bytes]:
    decoder = codecs.getincrementaldecoder("utf-8")()
    for chunk in _chunks(path):
        if has_control_bytes(chunk):
            raise control_bytes_rejection(path.name)
        # Plain ASCII is valid UTF-8: only a chunk with other bytes, or one finishing a
        # character the previous chunk began, needs decoding (a tenth of the time).
        if not chunk.isascii() or decoder.getstate()[0]:
            decoder.decode(chunk)
        yield chunk
    decoder.decode(b"", final=True)


def copy_as_utf8(source: Path, target: Path) -> Path:
    """An atomic UTF-8 copy in one pass: the bytes themselves when they are valid UTF-8 (checked
    while copying), else the text transcoded with LF line ends from UTF-16/32 (by its byte-order
    mark: Excel's "Unicode Text") or cp1252 (latin-1)."""
    with source.open("rb") as stream:
        wide = bom_encoding(stream.read(4))
    if wide is not None:
        return atomic_write_chunks(target, _normalised_utf8(source, sniff_encoding(source)))
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
    if is_blank(head):
        raise empty_rejection(path.name)
    if looks_like_html(head):
        raise html_rejection(path.name)


def header_fields(line: str, delimiter: str) -> list[str]:
    row = next(csv.reader(io.StringIO(line), delimiter=delimiter), [])
    return [name.strip().lstrip("\ufeff").strip() for name in row]


def sniff_delimiter(header: str, candidates: str = "\t,;") -> str:
    counts = {d: header.count(d) for d in candidates}
    return max(counts, key=lambda d: counts[d])


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

"""One sniffer behind every reader: empty, an HTML page, binary, which encoding, cut off.

Every reader (delimited exports, small CSVs, saved JSON) asks `sniff_file` or `sniff_bytes` for the
same `Sniff` record, and `require_text` turns it into the rejection users read in the quarantine,
so a login page saved as `.csv` or `.json` is told apart the same way everywhere. Cut-off downloads
need the format to be seen (a short last line, JSON that ends early), so the two checks for them
live here too: `check_complete_last_line` and `json_cut_off`.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from common.quarantine import RejectedFile

CHUNK = 1 << 20
HEAD_SIZE = 65536
# The most lines one record of a quoted format may span (a caption's line breaks) for the cut-off
# check to see it whole.
MAX_RECORD_LINES = 200
# Tried in order; utf-8-sig also reads UTF-8 without a BOM, cp1252 covers latin-1 text.
TEXT_ENCODINGS = ("utf-8-sig", "cp1252")
HTML_MARKERS = ("<!doctype html", "<html", "<head", "<body")
# Binary documents sometimes saved under a text name: xlsx (zip), xls (OLE2) and pdf.
DOCUMENT_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF")
# UTF-32 first: its little-endian BOM starts with UTF-16's.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_WIDE_ENCODINGS = ("utf-16", "utf_16", "utf-32", "utf_32")
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 13))


@dataclass(frozen=True)
class Sniff:
    """What a file's bytes say before a reader parses them; each field is one verdict."""

    name: str
    # No bytes, a BOM alone, or only white space.
    empty: bool
    # A web page: a login page saved by an expired session looks like this.
    html: bool
    # An xlsx, xls or pdf saved under a text name.
    document: bool
    # Control bytes such as NUL in a one-byte encoding: binary, or an encoding we do not know.
    control_bytes: bool
    # The first encoding that decodes every byte (a UTF-16/32 BOM is tried first); None if none.
    encoding: str | None
    # Where the last encoding tried stopped decoding, when none decodes the file.
    undecodable_at: int | None
    tried: tuple[str, ...]

    @property
    def binary(self) -> bool:
        return self.document or self.control_bytes


def _file_chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            yield chunk


def has_control_bytes(chunk: bytes) -> bool:
    """True when `chunk` holds a control byte other than tab, LF or CR."""
    return chunk.translate(None, _CONTROL) != chunk


def _is_wide(encoding: str) -> bool:
    return encoding.lower().startswith(_WIDE_ENCODINGS)


def _scan(
    chunks: Iterable[bytes], encoding: str, final: bool, look_for_control: bool
) -> tuple[bool, int | None]:
    """(holds control bytes, offset of the first byte `encoding` cannot decode or None)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    control, undecodable, consumed = False, None, 0
    for chunk in chunks:
        control = control or (look_for_control and has_control_bytes(chunk))
        if undecodable is None:
            pending = len(decoder.getstate()[0])
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                undecodable = consumed - pending + error.start
        consumed += len(chunk)
        if undecodable is not None and (control or not look_for_control):
            break
    if undecodable is None and final:
        pending = len(decoder.getstate()[0])
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as error:
            undecodable = consumed - pending + error.start
    return control, undecodable


def bom_encoding(head: bytes) -> str | None:
    """'utf-16' or 'utf-32' when the bytes start with that encoding's byte-order mark."""
    return next((encoding for bom, encoding in _BOMS if head.startswith(bom)), None)


def is_blank(text: str) -> bool:
    return not text.lstrip("\ufeff").strip()


def looks_like_html(text: str) -> bool:
    """True when the text starts like a web page (after any BOM and white space)."""
    return text.lstrip().lstrip("\ufeff").lstrip().lower().startswith(HTML_MARKERS)


def _sniff(
    name: str,
    head: bytes,
    chunks: Callable[[], Iterable[bytes]],
    encodings: Sequence[str],
    final: bool,
) -> Sniff:
    bom = bom_encoding(head)
    tried = (bom,) if bom else tuple(encodings)
    control, found, undecodable = False, None, None
    for number, encoding in enumerate(tried):
        look = number == 0 and not _is_wide(encoding)
        found_control, undecodable = _scan(chunks(), encoding, final, look)
        control = control or found_control
        if undecodable is None:
            found = encoding
            break
    text = head.decode(found or tried[0], errors="ignore")
    return Sniff(
        name=name,
        empty=is_blank(text),
        html=looks_like_html(text),
        document=head.startswith(DOCUMENT_MAGIC),
        control_bytes=control,
        encoding=found,
        undecodable_at=undecodable,
        tried=tried,
    )


def sniff_file(path: Path, encodings: Sequence[str] = TEXT_ENCODINGS, whole: bool = True) -> Sniff:
    """The verdicts on a file, streamed; `whole=False` judges the encoding by the first 64 KiB
    only (for large exports that a later copy checks in full while it writes)."""
    with path.open("rb") as stream:
        head = stream.read(HEAD_SIZE)
    whole = whole or len(head) < HEAD_SIZE
    if whole:
        return _sniff(path.name, head, lambda: _file_chunks(path), encodings, final=True)
    return _sniff(path.name, head, lambda: [head], encodings, final=False)


def sniff_bytes(name: str, content: bytes, encodings: Sequence[str] = TEXT_ENCODINGS) -> Sniff:
    """The verdicts on a file already read into memory."""
    return _sniff(name, content[:HEAD_SIZE], lambda: [content], encodings, final=True)


def empty_rejection(name: str) -> RejectedFile:
    return RejectedFile(f"{name} is empty.", rule="not-empty")


def html_rejection(name: str, what: str = "an export") -> RejectedFile:
    return RejectedFile(
        f"{name} is an HTML page, not {what} (a login page saved by an expired session looks "
        "like this).",
        rule="not-html",
    )


def control_bytes_rejection(name: str) -> RejectedFile:
    return RejectedFile(
        f"{name} holds binary control bytes: its encoding is unknown.", rule="encoding"
    )


def document_rejection(name: str, what: str) -> RejectedFile:
    return RejectedFile(f"{name} is a binary document, not {what}.", rule="unknown-format")


def require_text(
    sniff: Sniff, unreadable: str, what: str = "an export", binary: bool = True
) -> str:
    """The encoding of a file a reader can read as text, or the rejection for the first thing
    wrong with it: empty, an HTML page, binary control bytes (when `binary`), undecodable.

    `unreadable` is the reader's sentence for an encoding it does not know.
    """
    if sniff.empty:
        raise empty_rejection(sniff.name)
    if sniff.html:
        raise html_rejection(sniff.name, what)
    if binary and sniff.control_bytes:
        raise control_bytes_rejection(sniff.name)
    if sniff.encoding is None:
        raise RejectedFile(unreadable, rule="encoding")
    return sniff.encoding


def tail_bytes(path: Path, size: int = 65536) -> bytes:
    with path.open("rb") as stream:
        stream.seek(max(0, path.stat().st_size - size))
        return stream.read()


def _tail_lines(path: Path, encoding: str) -> list[str]:
    """The lines at the end of the file (read from there only), trailing empty ones dropped."""
    tail = tail_bytes(path).decode(encoding, errors="ignore")
    lines = tail.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def last_line(path: Path, encoding: str) -> str:
    """The last non-empty line, read from the end of the file only."""
    lines = _tail_lines(path, encoding)
    return lines[-1] if lines else ""


def count_lines(path: Path) -> int:
    """Line count whatever the line ends: CR, LF or CRLF."""
    count, previous = 0, b""
    for chunk in _file_chunks(path):
        count += chunk.count(b"\n") + chunk.count(b"\r") - chunk.count(b"\r\n")
        if previous == b"\r" and chunk.startswith(b"\n"):
            count -= 1
        previous = chunk[-1:]
    if tail_bytes(path, 1) not in (b"\n", b"\r"):
        count += 1
    return count


def _whole_last_record(lines: list[str], delimiter: str, width: int, quoted: bool) -> bool:
    """True when the last of `lines` ends a record of `width` fields. In a quoted format the
    record may span several lines (a caption with line breaks inside its quotes): the last k
    lines are tried as one record, k = 1, 2, ... while they stay within the tail read."""
    for count in range(1, (min(len(lines), MAX_RECORD_LINES) if quoted else 1) + 1):
        text = "\n".join(lines[-count:])
        if count > 1 and text.count('"') % 2:
            # A quote left open: the csv module would read it to the end of the text as one
            # field, but a record cut inside its quoted last field is just that, cut off.
            continue
        records = _records(text, delimiter, quoted)
        if len(records) == 1 and len(records[0]) == width:
            return True
    return False


def _records(text: str, delimiter: str, quoted: bool) -> list[list[str]]:
    if quoted:
        return list(csv.reader(io.StringIO(text), delimiter=delimiter))
    return list(csv.reader(io.StringIO(text), delimiter=delimiter, quoting=csv.QUOTE_NONE))


def check_complete_last_line(
    path: Path, encoding: str, delimiter: str, width: int, quoted: bool = True
) -> None:
    """Reject a file whose last record has fewer fields than the header (a cut-off download).

    A missing final line end alone is not a cut: many real exports end without one. `quoted`
    says whether the format quotes its fields (a quoted field may hold line breaks); without
    quoting, a `"` is text like any other character (DistroKid's legacy TSV).
    """
    lines = _tail_lines(path, encoding)
    if not _whole_last_record(lines, delimiter, width, quoted):
        line = lines[-1] if lines else ""
        fields = next(iter(_records(line, delimiter, quoted)), [])
        number = count_lines(path)
        raise RejectedFile(
            f"{path.name} ends with an incomplete line {number} ({len(fields)} of {width} fields): "
            "the download was cut off.",
            rule="truncated",
            location=f"line {number}",
            details={"line": number, "text": line[:500]},
        )


def json_cut_off(text: str, error: json.JSONDecodeError) -> bool:
    """True when JSON breaks where the text ends (brackets left open): a cut-off download.

    A string still open at the end is reported where it starts, not where the text ends.
    """
    return error.pos >= len(text.rstrip()) or error.msg.startswith("Unterminated string")

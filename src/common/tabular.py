"""Reading and writing small CSV files, with clear rejections of bad input."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Protocol

from common.quarantine import RejectedFile
from common.sniffing import require_text, sniff_bytes
from common.zones import atomic_write_chunks


class CsvReader(Protocol):
    """What `csv.reader` returns: rows, and the line it has read up to."""

    @property
    def line_num(self) -> int: ...

    def __iter__(self) -> Iterator[list[str]]: ...

    def __next__(self) -> list[str]: ...


def readable_rows(reader: CsvReader, file_name: str) -> Iterator[list[str]]:
    """The reader's rows; a line the csv module refuses (a field over its 128 KB limit, as a
    damaged download or a file that is not an export has) rejects the file instead of failing."""
    try:
        yield from reader
    except csv.Error as error:
        raise RejectedFile(
            f"{file_name} line {reader.line_num} cannot be read as CSV ({error}): the file is "
            "damaged or is not an export.",
            rule="malformed-csv",
            location=f"line {reader.line_num}",
        ) from None


def decode_text(path: Path, encodings: Sequence[str] = ("utf-8-sig",)) -> str:
    """The file's text, or a rejection: empty, an HTML page, binary, or in none of `encodings`."""
    content = path.read_bytes()
    encoding = require_text(
        sniff_bytes(path.name, content, encodings),
        f"{path.name} is not readable as {' or '.join(encodings)}.",
    )
    return content.decode(encoding)


def read_csv_table(
    path: Path, encodings: Sequence[str] = ("utf-8-sig",), delimiter: str = ","
) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a CSV, rejected when empty, HTML, mis-encoded, headerless or ragged."""
    text = decode_text(path, encodings)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    numbered = [
        (reader.line_num, row)
        for row in readable_rows(reader, path.name)
        if any(cell.strip() for cell in row)
    ]
    header = [name.strip() for name in numbered[0][1]] if numbered else []
    if not header or any(not name for name in header):
        raise RejectedFile(
            f"{path.name} has no header row of column names.", rule="header", location="line 1"
        )
    duplicated = sorted({name for name in header if header.count(name) > 1})
    if duplicated:
        raise RejectedFile(
            f"{path.name} repeats the column(s) {', '.join(duplicated)} in its header.",
            rule="header",
            location="line 1",
        )
    for number, row in numbered[1:]:
        if len(row) != len(header):
            raise RejectedFile(
                f"{path.name} line {number} has {len(row)} fields where the header has "
                f"{len(header)} (a truncated or malformed line).",
                rule="row-width",
                location=f"line {number}",
                details={"line": number, "fields": row},
            )
    return header, [row for _, row in numbered[1:]]


def checked_rows(
    stream: Iterable[str], file_name: str, width: int, delimiter: str = ","
) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of each non-blank data row after the header; a row whose width is
    not the header's rejects the file (a truncated or malformed line)."""
    reader = csv.reader(stream, delimiter=delimiter)
    rows = readable_rows(reader, file_name)
    next(rows, None)
    for cells in rows:
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != width:
            raise RejectedFile(
                f"{file_name} line {reader.line_num} has {len(cells)} fields where the header "
                f"has {width} (a truncated or malformed line).",
                rule="row-width",
                location=f"line {reader.line_num}",
                details={"line": reader.line_num, "fields": cells},
            )
        yield reader.line_num, cells


def csv_chunks(header: Sequence[str], rows: Sequence[Sequence[object]]) -> Iterator[bytes]:
    """UTF-8 CSV bytes with `\\n` line ends, in chunks of about 1,000 rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for index, row in enumerate(rows, start=1):
        writer.writerow(row)
        if index % 1000 == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def write_csv(target: Path, header: Sequence[str], rows: Sequence[Sequence[object]]) -> Path:
    return atomic_write_chunks(target, csv_chunks(header, rows))

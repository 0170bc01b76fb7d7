"""Small CSVs: bad input becomes a RejectedFile naming its rule; written CSVs read back as given."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from common.quarantine import RejectedFile
from common.tabular import csv_chunks, read_csv_table, write_csv

LOGIN_PAGE = b"""
<!DOCTYPE html>
<html><head><title>Sign in</title></head><body><form>...</form></body></html>
"""


def export(tmp_path: Path, content: bytes, name: str = "streams.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def rejection(path: Path) -> RejectedFile:
    with pytest.raises(RejectedFile) as caught:
        read_csv_table(path)
    return caught.value


def test_an_empty_file_is_rejected_as_empty(tmp_path: Path) -> None:
    error = rejection(export(tmp_path, b""))

    assert error.rule == "not-empty"
    assert str(error) == "streams.csv is empty."


def test_a_whitespace_only_file_is_rejected_as_empty(tmp_path: Path) -> None:
    error = rejection(export(tmp_path, b"  \r\n\t\n  \n"))

    assert error.rule == "not-empty"
    assert "streams.csv is empty" in str(error)


def test_an_html_login_page_saved_as_csv_is_rejected(tmp_path: Path) -> None:
    error = rejection(export(tmp_path, LOGIN_PAGE))

    assert error.rule == "not-html"
    assert "streams.csv is an HTML page" in str(error)
    assert "login page" in str(error)


def test_bytes_that_are_not_utf8_are_rejected_naming_the_encoding(tmp_path: Path) -> None:
    error = rejection(export(tmp_path, "artist,city\nBjörk,Reykjavík\n".encode("cp1252")))

    assert error.rule == "encoding"
    assert str(error) == "streams.csv is not readable as utf-8-sig."


def test_a_binary_file_saved_as_csv_is_rejected_not_read_as_text(tmp_path: Path) -> None:
    error = rejection(export(tmp_path, "date,streams\n2026-10-30,4\n".encode("utf-16-le")))

    assert error.rule == "encoding"
    assert str(error) == "streams.csv holds binary control bytes: its encoding is unknown."


def test_a_utf16_file_with_its_bom_is_read(tmp_path: Path) -> None:
    header, rows = read_csv_table(export(tmp_path, "date,streams\n2026-10-30,4\n".encode("utf-16")))

    assert header == ["date", "streams"]
    assert rows == [["2026-10-30", "4"]]


def test_a_truncated_last_line_is_rejected_naming_its_line(tmp_path: Path) -> None:
    error = rejection(export(tmp_path, b"date,streams,saves\n2026-10-30,4,1\n2026-10-31,7"))

    assert error.rule == "row-width"
    assert error.location == "line 3"
    assert "line 3 has 2 fields where the header has 3" in str(error)


def test_a_truncated_line_after_a_blank_line_names_its_line_in_the_file(tmp_path: Path) -> None:
    error = rejection(export(tmp_path, b"date,streams,saves\n\n2026-10-30,4,1\n2026-10-31,7\n"))

    assert error.location == "line 4"


@pytest.mark.parametrize(
    "header",
    [b"date,,streams", b"date, ,streams", b",date,streams"],
    ids=["empty", "blank", "first"],
)
def test_a_header_with_a_nameless_column_is_rejected(tmp_path: Path, header: bytes) -> None:
    error = rejection(export(tmp_path, header + b"\n2026-10-30,x,4\n"))

    assert error.rule == "header"
    assert error.location == "line 1"
    assert "has no header row of column names" in str(error)


def test_a_header_with_a_repeated_column_is_rejected_naming_it(tmp_path: Path) -> None:
    error = rejection(export(tmp_path, b"date,streams,date\n2026-10-30,4,2026-10-30\n"))

    assert error.rule == "header"
    assert "repeats the column(s) date" in str(error)


def test_a_utf8_file_with_bom_has_a_clean_first_column_name(tmp_path: Path) -> None:
    header, rows = read_csv_table(export(tmp_path, "\ufeffdate,streams\n2026-10-30,4\n".encode()))

    assert header == ["date", "streams"]
    assert rows == [["2026-10-30", "4"]]


def test_write_csv_round_trips_through_csv_reader(tmp_path: Path) -> None:
    header = ["date", "title", "streams"]
    rows = [[f"2026-10-{i % 28 + 1:02d}", f'Song "{i}", ö\nlive', i] for i in range(2500)]
    target = tmp_path / "out" / "streams.csv"

    write_csv(target, header, rows)

    with target.open(encoding="utf-8", newline="") as stream:
        read_back = list(csv.reader(stream))
    assert read_back == [header, *[[str(cell) for cell in row] for row in rows]]


def test_csv_chunks_streams_large_tables_in_several_chunks() -> None:
    rows = [[str(i), "x"] for i in range(2500)]

    chunks = list(csv_chunks(["id", "value"], rows))

    assert len(chunks) >= 3
    assert b"".join(chunks).decode("utf-8").splitlines()[0] == "id,value"
    assert b"".join(chunks).count(b"\n") == 2501

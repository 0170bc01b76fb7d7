"""The one sniffer: each verdict on a file's bytes, and the same verdict from every reader."""

from __future__ import annotations

import codecs
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from common import sniffing
from common.json_exports import decode_json_text, parse_json_text
from common.quarantine import RejectedFile
from common.readers import reject_html_or_empty, sniff_encoding, sniff_head_encoding
from common.sniffing import (
    check_complete_last_line,
    require_text,
    sniff_bytes,
    sniff_file,
)
from common.tabular import read_csv_table

LOGIN_PAGE = b"\r\n  <!DOCTYPE html>\n<html><head><title>Sign in</title></head></html>\n"
CSV = "artist,city\nBj\u00f6rk,Reykjav\u00edk\n"


def saved(tmp_path: Path, content: bytes, name: str = "streams.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


@pytest.mark.parametrize("content", [b"", b" \r\n\t\n", codecs.BOM_UTF8, codecs.BOM_UTF16_LE])
def test_no_bytes_white_space_or_a_bom_alone_is_empty(content: bytes) -> None:
    assert sniff_bytes("streams.csv", content).empty


@pytest.mark.parametrize(
    "content",
    [LOGIN_PAGE, codecs.BOM_UTF8 + LOGIN_PAGE, b"<HTML><body>Log in</body></HTML>"],
    ids=["doctype", "bom", "upper-case"],
)
def test_a_login_page_is_an_html_page(content: bytes) -> None:
    sniff = sniff_bytes("streams.csv", content)

    assert sniff.html
    assert not sniff.empty


def test_a_csv_about_html_is_not_an_html_page() -> None:
    assert not sniff_bytes("links.csv", b"title,url\n<html> tips,https://x\n").html


@pytest.mark.parametrize("magic", [b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF-1.7"])
def test_a_spreadsheet_or_pdf_is_a_binary_document(magic: bytes) -> None:
    sniff = sniff_bytes("streams.csv", magic + b"\x00\x01rest")

    assert sniff.document
    assert sniff.binary


def test_nul_bytes_in_a_one_byte_encoding_are_binary() -> None:
    sniff = sniff_bytes("streams.csv", CSV.encode("utf-16-le"))

    assert sniff.control_bytes
    assert sniff.binary


def test_tabs_and_every_line_end_are_not_control_bytes() -> None:
    assert not sniff_bytes("streams.tsv", b"a\tb\r\n1\t2\r3\t4\n").binary


@pytest.mark.parametrize(
    ("content", "encoding"),
    [
        (CSV.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF8 + CSV.encode("utf-8"), "utf-8-sig"),
        (CSV.encode("cp1252"), "cp1252"),
        (CSV.encode("utf-16"), "utf-16"),
        (codecs.BOM_UTF16_BE + CSV.encode("utf-16-be"), "utf-16"),
        (CSV.encode("utf-32"), "utf-32"),
    ],
    ids=["utf-8", "utf-8-bom", "cp1252", "utf-16-le-bom", "utf-16-be-bom", "utf-32-bom"],
)
def test_the_encoding_is_the_first_that_decodes_or_the_bom(content: bytes, encoding: str) -> None:
    sniff = sniff_bytes("streams.csv", content)

    assert sniff.encoding == encoding
    assert not sniff.binary
    assert content.decode(encoding).lstrip("\ufeff") == CSV


def test_bytes_no_encoding_decodes_have_none_and_say_where_it_stopped() -> None:
    # 0x81 is neither UTF-8 nor cp1252.
    sniff = sniff_bytes("streams.csv", b"artist\nab\x81c\n", ("utf-8-sig", "cp1252"))

    assert sniff.encoding is None
    assert sniff.undecodable_at == 9
    assert sniff.tried == ("utf-8-sig", "cp1252")


def test_a_file_is_decoded_across_chunks_and_a_late_bad_byte_is_found(tmp_path: Path) -> None:
    # A two-byte character straddles the first chunk boundary; the bad byte comes after it.
    body = b"a" * (sniffing.CHUNK - 1) + "\u00e9".encode() + b"bb\xff"
    path = saved(tmp_path, body)

    sniff = sniff_file(path, ("utf-8",))

    assert sniff.encoding is None
    assert sniff.undecodable_at == len(body) - 1


def test_head_only_sniffing_trusts_the_start_of_a_large_export(tmp_path: Path) -> None:
    body = b"date,title\n" + b"2025-01-01,x\n" * 6000 + "2025-01-02,Caf\u00e9\n".encode("cp1252")
    path = saved(tmp_path, body)

    assert sniff_file(path, whole=False).encoding == "utf-8-sig"
    assert sniff_file(path).encoding == "cp1252"


@pytest.mark.parametrize(
    ("content", "rule", "sentence"),
    [
        (b"", "not-empty", "streams.csv is empty."),
        (
            LOGIN_PAGE,
            "not-html",
            "streams.csv is an HTML page, not an export (a login page saved by an expired "
            "session looks like this).",
        ),
        (
            b"a,b\n1,\x002\n",
            "encoding",
            "streams.csv holds binary control bytes: its encoding " "is unknown.",
        ),
        (b"a,b\n1,\x812\n", "encoding", "streams.csv cannot be read."),
    ],
    ids=["empty", "html", "binary", "undecodable"],
)
def test_require_text_rejects_with_the_sentence_users_read(
    content: bytes, rule: str, sentence: str
) -> None:
    with pytest.raises(RejectedFile) as caught:
        require_text(sniff_bytes("streams.csv", content), "streams.csv cannot be read.")

    assert caught.value.rule == rule
    assert str(caught.value) == sentence


def _readers(tmp_path: Path) -> dict[str, Callable[[bytes], object]]:
    def export_reader(content: bytes) -> object:
        path = saved(tmp_path, content, "export.csv")
        encoding = sniff_encoding(path)
        with path.open("rb") as stream:
            reject_html_or_empty(path, stream.read().decode(encoding, errors="ignore"))
        return encoding

    def large_export_reader(content: bytes) -> object:
        return sniff_head_encoding(saved(tmp_path, content, "large.tsv"))

    return {
        "export": export_reader,
        "large export": large_export_reader,
        "small csv": lambda content: read_csv_table(saved(tmp_path, content, "small.csv")),
        "json": lambda content: decode_json_text(content, "capture.json", "a capture"),
    }


@pytest.mark.parametrize("reader", ["export", "large export", "small csv", "json"])
@pytest.mark.parametrize(
    ("content", "rule"),
    [(b"", "not-empty"), (b"\r\n \n", "not-empty"), (LOGIN_PAGE, "not-html")],
    ids=["empty", "blank", "login-page"],
)
def test_every_reader_gives_the_same_verdict(
    tmp_path: Path, reader: str, content: bytes, rule: str
) -> None:
    with pytest.raises(RejectedFile) as caught:
        _readers(tmp_path)[reader](content)

    assert caught.value.rule == rule


def test_a_json_capture_saved_as_a_spreadsheet_is_a_binary_document() -> None:
    with pytest.raises(RejectedFile) as caught:
        decode_json_text(b"PK\x03\x04\x14\x00", "capture.json", "a capture")

    assert caught.value.rule == "unknown-format"
    assert str(caught.value) == "capture.json is a binary document, not a capture."


def test_json_in_utf16_without_a_bom_is_read() -> None:
    content = json.dumps({"views": 3}).encode("utf-16-le")

    assert decode_json_text(content, "capture.json", "a capture") == '{"views": 3}'


def test_undecodable_json_names_the_byte() -> None:
    with pytest.raises(RejectedFile) as caught:
        decode_json_text(b'{"a": "\xff"}', "capture.json", "a capture")

    assert caught.value.rule == "encoding"
    assert str(caught.value) == (
        "capture.json is not readable as JSON text (UTF-8, -16 or -32) at byte 7."
    )


@pytest.mark.parametrize("text", ['{"data": [1, 2', '{"data": "ab'], ids=["open", "string"])
def test_json_that_ends_early_is_cut_off(text: str) -> None:
    with pytest.raises(RejectedFile) as caught:
        parse_json_text(text, "capture.json")

    assert caught.value.rule == "truncated"
    assert str(caught.value).endswith("the download was cut off.")


def test_a_last_line_short_of_fields_is_cut_off(tmp_path: Path) -> None:
    path = saved(tmp_path, b"date\tstreams\tsaves\r2025-01-01\t4\t1\r2025-01-02\t7")

    with pytest.raises(RejectedFile) as caught:
        check_complete_last_line(path, "utf-8", "\t", 3)

    assert caught.value.rule == "truncated"
    assert caught.value.location == "line 3"


def test_a_complete_last_line_without_a_line_end_is_not_cut_off(tmp_path: Path) -> None:
    path = saved(tmp_path, b"date,streams\n2025-01-01,4")

    check_complete_last_line(path, "utf-8", ",", 2)


def test_a_last_record_with_a_quoted_line_break_is_whole(tmp_path: Path) -> None:
    # TikTok's Content.csv: every field quoted, a caption may hold line breaks.
    path = saved(
        tmp_path,
        b'"Date","Caption","Views"\n"January 1","one line","12"\n'
        b'"January 2","new single out now\nlink in bio\n\nout friday","4826"\n',
    )

    check_complete_last_line(path, "utf-8", ",", 3)


def test_a_last_record_cut_inside_its_quoted_line_break_is_cut_off(tmp_path: Path) -> None:
    path = saved(
        tmp_path,
        b'"Date","Caption","Views"\n"January 1","one line","12"\n"January 2","new single\nlink',
    )

    with pytest.raises(RejectedFile) as caught:
        check_complete_last_line(path, "utf-8", ",", 3)

    assert caught.value.rule == "truncated"


def test_an_unquoted_format_reads_a_stray_quote_as_text(tmp_path: Path) -> None:
    # DistroKid's legacy TSV has no quoting: a title may start with a quote it never closes.
    path = saved(
        tmp_path, b'title\tstore\tearnings\nA Song\tSpotify\t0.1\n"Untitled\tSpotify\t0.2\n'
    )

    check_complete_last_line(path, "utf-8", "\t", 3, quoted=False)
    with pytest.raises(RejectedFile):
        check_complete_last_line(path, "utf-8", "\t", 3, quoted=True)


def test_a_record_cut_inside_its_quoted_last_field_is_cut_off(tmp_path: Path) -> None:
    # The csv module reads an unclosed quote to the end of the text: the open field must not
    # make a cut-off record look whole.
    path = saved(tmp_path, b'id,views,caption\n1,5,"one"\n2,7,"new single out now\nlink in b')

    with pytest.raises(RejectedFile) as caught:
        check_complete_last_line(path, "utf-8", ",", 3)

    assert caught.value.rule == "truncated"

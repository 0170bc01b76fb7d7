"""What the fuzz test and benchmarks/bench_fuzz.py share: every reader and service parser as
`bytes -> result`, and the bytes to feed them (a real sample with random edits, or noise).

A parser passes when it returns, or refuses with a RejectedFile (the file is quarantined with
its reason). Any other exception is a crash the cleaner would log as a failed script.
"""

from __future__ import annotations

import atexit
import csv
import io
import logging
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from hypothesis import strategies as st

from common import json_exports, readers, sniffing, tabular
from common.artists import ArtistDirectory
from common.lake import Lake
from common.script import ScriptContext
from common.testing import lake_for
from tests.reliability.corpus_support import BY_NAME, demo_exports

Parse = Callable[[Path], object]


@dataclass(frozen=True)
class Target:
    """One reader or parser, the name its input file gets, and a real sample to edit."""

    name: str
    file_name: str
    sample: Callable[[], bytes]
    parse: Parse


# ---- the common readers ------------------------------------------------------------------


def _first_text_sample() -> bytes:
    return demo_exports("capitalone")[BY_NAME["capitalone"].primary]


def _json_sample() -> bytes:
    return demo_exports("mailchimp")[BY_NAME["mailchimp"].primary]


def _tab_sample() -> bytes:
    return demo_exports("distrokid")["dk_bank_details_20260105_090000.tsv"][:20000]


def _sniff_and_lines(path: Path) -> object:
    sniff = sniffing.sniff_file(path)
    encoding = sniffing.require_text(sniff, f"{path.name} is unreadable.")
    head = readers.read_head(path, encoding)
    delimiter = readers.sniff_delimiter(readers.first_line(head))
    width = len(readers.header_fields(readers.first_line(head), delimiter))
    sniffing.check_complete_last_line(path, encoding, delimiter, width)
    return sniffing.count_lines(path), readers.sniff_line_end(head)


def _utf8_copy(path: Path) -> object:
    with tempfile.TemporaryDirectory() as folder:
        copy = readers.copy_as_utf8(path, Path(folder) / "copy.csv")
        return copy.read_bytes()


def _checked_rows(path: Path) -> object:
    text = tabular.decode_text(path)
    header = next(csv.reader(io.StringIO(text)), [])
    return list(tabular.checked_rows(io.StringIO(text, newline=""), path.name, len(header)))


def _json(path: Path) -> object:
    text = json_exports.decode_json_text(path.read_bytes(), path.name, "an API response")
    return json_exports.parse_json_text(text, path.name, exact_numbers=True)


COMMON = (
    Target("sniffing.sniff_file+cut-off", "export.csv", _first_text_sample, _sniff_and_lines),
    Target("sniffing.sniff_bytes", "export.csv", _first_text_sample, lambda p: _bytes_sniff(p)),
    Target("readers.sniff_encoding", "export.tsv", _tab_sample, readers.sniff_encoding),
    Target("readers.copy_as_utf8", "export.tsv", _tab_sample, _utf8_copy),
    Target("tabular.read_csv_table", "export.csv", _first_text_sample, tabular.read_csv_table),
    Target("tabular.checked_rows", "export.csv", _first_text_sample, _checked_rows),
    Target("json_exports.decode+parse", "response.json", _json_sample, _json),
)


def _bytes_sniff(path: Path) -> object:
    sniff = sniffing.sniff_bytes(path.name, path.read_bytes())
    return sniffing.require_text(sniff, f"{path.name} is unreadable.")


# ---- each service's parser: its landing handler, and the raw reader after it ------------


@cache
def fuzz_lake() -> Lake:
    """One lake for every service's parser: they write their raw copies into it."""
    folder = Path(tempfile.mkdtemp(prefix="bedrot-fuzz-"))
    atexit.register(shutil.rmtree, folder, True)
    return lake_for(folder / "lake", sorted({s.name for s in BY_NAME.values()}))


def _context(service: str) -> ScriptContext:
    log = logging.getLogger(f"bedrot.fuzz.{service}")
    if not log.handlers:  # once per service, however many examples
        log.addHandler(logging.NullHandler())
    log.propagate = False
    return ScriptContext(fuzz_lake(), service, log)


def _service_parser(service: str) -> Parse:
    """The function the service's landing step calls for one file, then (where validation
    continues in raw -> staging) the one its next step calls for each raw file made."""

    def parse(path: Path) -> object:
        ctx = _context(service)
        landing = fuzz_lake().zone("1_landing") / service / path.name
        landing.write_bytes(path.read_bytes())
        made = _land(ctx, service, landing)
        return [_stage(ctx, service, raw) for raw in made]

    return parse


def _land(ctx: ScriptContext, service: str, landing: Path) -> list[Path]:
    import importlib

    steps = importlib.import_module(f"{service}.steps")
    if service == "spotify":
        from spotify import exports

        return exports.landing_to_raw(ctx.lake, ArtistDirectory.load(ctx.lake), landing)
    if service == "tiktok":
        return list(steps.extractions_to_raw(ctx, ArtistDirectory.load(ctx.lake), landing))
    handler = getattr(steps, "land_file", None) or getattr(steps, "capture_to_raw", None)
    handler = handler or steps.landed_to_raw
    return list(handler(ctx, landing))


def _stage(ctx: ScriptContext, service: str, raw: Path) -> object:
    if service == "capitalone":
        from capitalone.steps import read_statement

        return read_statement(ctx, raw)
    if service == "distrokid" and raw.suffix in (".csv", ".tsv"):
        from distrokid.steps import stage_bank_export

        return stage_bank_export(ctx, raw)
    return raw


def _member(service: str, member: str) -> Callable[[], bytes]:
    def sample() -> bytes:
        import zipfile

        primary = demo_exports(service)[BY_NAME[service].primary]
        with zipfile.ZipFile(io.BytesIO(primary)) as archive:
            return archive.read(member)

    return sample


def _primary(service: str) -> Callable[[], bytes]:
    return lambda: demo_exports(service)[BY_NAME[service].primary]


SERVICES = tuple(
    Target(f"{s}.parse", BY_NAME[s].primary, _primary(s), _service_parser(s))
    for s in (
        "capitalone",
        "distrokid",
        "linktree",
        "metaads",
        "spotify",
        "tiktok",
        "toolost",
        "instagram",
        "youtube",
        "mailchimp",
    )
) + (
    Target(
        "tiktok.parse-loose-csv",
        "tiktok_zone.a0_Overview_2025-03-01_1772359200.csv",
        _member("tiktok", "Overview.csv"),
        _service_parser("tiktok"),
    ),
    Target(
        "metaads.parse-ads-manager-csv",
        "BEDROT-ADS-Jun-2025_20250606_091500.csv",
        lambda: demo_exports("metaads")["BEDROT-ADS-Jun-2025_20250606_091500.csv"],
        _service_parser("metaads"),
    ),
    Target(
        "instagram.parse-business-suite-csv",
        "Views_Mar-01-2025_Mar-31-2025_20250401_090000.csv",
        lambda: demo_exports("instagram")["Views_Mar-01-2025_Mar-31-2025_20250401_090000.csv"],
        _service_parser("instagram"),
    ),
    Target(
        "distrokid.parse-stats-page",
        "streams_stats_20260105_090000.html",
        lambda: demo_exports("distrokid")["streams_stats_20260105_090000.html"],
        _service_parser("distrokid"),
    ),
)
TARGETS = {target.name: target for target in COMMON + SERVICES}


# ---- the bytes -----------------------------------------------------------------------------


def _apply(sample: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    content = bytearray(sample)
    for position, removed, inserted in edits:
        at = position % (len(content) + 1)
        content[at : at + removed] = inserted
    return bytes(content)


INTERESTING = st.sampled_from(
    [
        b"\x00",
        b"\xff\xfe",
        b"\xef\xbb\xbf",
        b'"',
        b",",
        b"\r",
        b"\n",
        b"\t",
        b"-1",
        b"NaN",
        b"1e999",
        b"<html>",
        b"{",
        b"]",
        b"\xe9",
        b"\x81",
        b"=cmd|' /C calc'!A0",
        b"PK\x03\x04",
    ]
)


def fuzz_bytes(sample: bytes) -> st.SearchStrategy[bytes]:
    """Noise, a sample cut anywhere, or a sample with up to four random edits."""
    edit = st.tuples(
        st.integers(0, max(len(sample), 1) * 4),
        st.integers(0, 64),
        st.one_of(st.binary(max_size=24), INTERESTING),
    )
    return st.one_of(
        st.binary(max_size=600),
        st.integers(0, len(sample)).map(lambda n: sample[:n]),
        st.lists(edit, min_size=1, max_size=4).map(lambda edits: _apply(sample, edits)),
    )


def run_target(target: Target, content: bytes) -> str:
    """'ok' or 'rejected' for one input; any other exception propagates (a failure)."""
    from common.quarantine import RejectedFile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / target.file_name
        path.write_bytes(content)
        try:
            target.parse(path)
        except RejectedFile:
            return "rejected"
    return "ok"

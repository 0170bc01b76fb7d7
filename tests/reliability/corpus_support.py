"""The bad-input corpus: for each service, its demo exports (every landing file kind it takes)
plus one variant per way a real drop goes wrong, all dropped together and cleaned in process.

A variant is named like the service's primary export with an earlier time of day, so a valid
copy of the same data never wins over the primary and the curated result must equal the result
of the demo files alone: a copy that is counted twice shows up as a difference.
"""

from __future__ import annotations

import csv
import glob
import io
import json
import random
import re
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from common.demodata import demo_writers
from common.lake import Lake
from common.testing import lake_for
from tests.steps_support import Runs, clean_in_process

FIVE_MB = 5 * 1024 * 1024
# Deflated zeros shrink about a thousandfold: 300 MB (over TikTok's 200 MB member limit) is a
# few hundred KB of zip, made in about a second.
BOMB_BYTES = 300 * 1024 * 1024
LOGIN_PAGE = (
    b"<!DOCTYPE html>\n<html lang='en'><head><title>Log in</title></head>"
    b"<body><form action='/login'><input name='password' type='password'></form></body></html>\n"
)


@dataclass(frozen=True)
class ServiceCorpus:
    """Where a service's variants come from: its primary export and the values to spoil."""

    name: str
    primary: str
    # The time-of-day part of the primary's name, replaced to name each variant.
    stamp: str
    # A count field (CSV column or JSON key) and, for services that hold money, a money field.
    count: str
    money: str | None = None
    # TikTok: the primary is a Studio zip and the variants spoil this member.
    member: str | None = None

    @property
    def is_json(self) -> bool:
        return self.primary.endswith(".json")


SERVICES = (
    ServiceCorpus(
        "capitalone", "capitalone_transactions_20260110_090000.csv", "090000", "Debit", "Debit"
    ),
    ServiceCorpus(
        "distrokid", "dk_bank_details_20260301_090000.csv", "090000", "Quantity", "Earnings (USD)"
    ),
    ServiceCorpus("linktree", "graphql_analytics_20260103_091500.json", "091500", "totalViews"),
    ServiceCorpus(
        "metaads", "metaads_insights_20250510_080000.json", "080000", "impressions", "spend"
    ),
    ServiceCorpus("spotify", "ZONE A0-audience-timeline_20260301_090000.csv", "090000", "streams"),
    ServiceCorpus(
        "tiktok",
        "Overview_2025-03-01_1772359200_zone.a0.zip",
        "1772359200",
        "Video Views",
        member="Overview.csv",
    ),
    ServiceCorpus("toolost", "toolost_apple_20260301_090000.json", "090000", "streams"),
    ServiceCorpus("instagram", "instagram_insights_20250508_150000.json", "150000", "value"),
    ServiceCorpus(
        "youtube", "youtube_channel_stats_20250530_080000.json", "080000", "subscriberCount"
    ),
    ServiceCorpus("mailchimp", "mailchimp_reports_20250615_070000.json", "070000", "emails_sent"),
)
BY_NAME = {service.name: service for service in SERVICES}

# Case name -> may it be curated (it is valid, or holds the primary's own data)? The others
# must be quarantined.
CASES = {
    "empty": False,
    "html_login_page": False,
    "binary_bytes": False,
    "cut_off_last_line": False,
    "other_service_header": False,
    "unused_encoding": True,
    "not_a_number": True,
    "too_many_decimals": True,
    "negative_count": True,
    "zip_slip": False,
    "zip_bomb": False,
    "zip_bomb_lying_size": False,
    "five_mb_line": True,
    "same_export_new_name": True,
}


def variant_name(service: ServiceCorpus, index: int) -> str:
    """The primary's name with an earlier time: '090000' -> '0859NN', an epoch 100 s back + NN."""
    stamp = service.stamp
    if len(stamp) == 10:
        earlier = str(int(stamp) - 100 + index)
    else:
        hours, minutes = int(stamp[:2]), int(stamp[2:4])
        total = hours * 60 + minutes - 1
        earlier = f"{total // 60:02d}{total % 60:02d}{index:02d}"
    return service.primary.replace(stamp, earlier)


def demo_exports(service: str) -> dict[str, bytes]:
    """The service's demo landing files by name, written once per test session."""
    return dict(_demo_exports(service))


@cache
def _demo_exports(service: str) -> tuple[tuple[str, bytes], ...]:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        made = demo_writers()[service](Path(folder))
        return tuple((path.name, path.read_bytes()) for path in made)


# ---- spoiling the primary's text ---------------------------------------------------------


def _spoil_csv(text: str, column: str, value: str) -> str:
    """The CSV with `column` of its last data row set to `value`, quoting kept as it was."""
    lines = text.splitlines(keepends=True)
    header = next(csv.reader([lines[0].lstrip("\ufeff")]))
    index = next(i for i, name in enumerate(header) if name.strip() == column)
    last = max(i for i, line in enumerate(lines) if line.strip())
    ending = lines[last][len(lines[last].rstrip("\r\n")) :]
    cells = next(csv.reader([lines[last].rstrip("\r\n")]))
    cells[index] = value
    buffer = io.StringIO()
    if lines[last].startswith('"'):
        csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="").writerow(cells)
    else:
        csv.writer(buffer, lineterminator="").writerow(cells)
    lines[last] = buffer.getvalue() + ending
    return "".join(lines)


def _spoil_json(text: str, key: str, value: str) -> str:
    """The JSON with the first number under `key` (bare or quoted) replaced by `value`."""
    pattern = re.compile(rf'("{re.escape(key)}"\s*:\s*)"?-?\d[\d.]*"?')
    spoiled, count = pattern.subn(lambda m: m.group(1) + value, text, count=1)
    assert count == 1, f"no number under {key!r}"
    return spoiled


def _spoil(service: ServiceCorpus, text: str, field: str, value: str) -> str:
    if service.is_json:
        return _spoil_json(text, field, json.dumps(value) if not _is_number(value) else value)
    return _spoil_csv(text, field, value)


def _is_number(value: str) -> bool:
    return re.fullmatch(r"-?\d+(\.\d+)?", value) is not None


def _cut_last_line(text: str) -> str:
    """The text cut just after the first delimiter of its last line: a download cut off."""
    body = text.rstrip("\r\n")
    start = max(body.rfind("\n"), body.rfind("\r")) + 1
    comma = body.find(",", start)
    return body[: comma + 1]


def _cut_json(text: str) -> str:
    return text[: len(text) * 3 // 5]


def _five_mb_line(service: ServiceCorpus, text: str) -> str:
    if service.is_json:
        document = json.loads(text)
        padding = "x" * FIVE_MB
        if isinstance(document, dict):
            return json.dumps({**document, "padding": padding})
        return json.dumps([*document, {"padding": padding}])
    lines = text.splitlines(keepends=True)
    return lines[0] + lines[1] + "x" * FIVE_MB + "\n" + "".join(lines[2:])


# ---- zips ----------------------------------------------------------------------------------


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 3, 1, 10, 0, 0)), content)
    return buffer.getvalue()


def _zip_members(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


@cache
def zip_bomb(member: str, lie_about_size: bool) -> bytes:
    """A small zip whose `member` inflates to BOMB_BYTES of zeros; with `lie_about_size` its
    headers declare 1 KB, so only a reader that stops at the declared size survives it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo(member, date_time=(2026, 3, 1, 10, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w") as stream:
            zeros = bytes(1024 * 1024)
            for _ in range(BOMB_BYTES // len(zeros)):
                stream.write(zeros)
    content = bytearray(buffer.getvalue())
    if lie_about_size:
        struct.pack_into("<I", content, 22, 1024)  # the local header's uncompressed size
        central = content.rindex(b"PK\x01\x02")
        struct.pack_into("<I", content, central + 24, 1024)
    return bytes(content)


# ---- the corpus ----------------------------------------------------------------------------


def _encode_like(template: bytes, text: str) -> bytes:
    bom = "\ufeff" if template.startswith(b"\xef\xbb\xbf") else ""
    return (bom + text.lstrip("\ufeff")).encode("utf-8")


def _other_service(service: ServiceCorpus) -> ServiceCorpus:
    """The next service whose primary is of the same format (CSV or JSON)."""
    index = SERVICES.index(service)
    following = SERVICES[index + 1 :] + SERVICES[:index]
    return next(s for s in following if s.is_json == service.is_json and not s.member)


def corpus_files(service: ServiceCorpus) -> dict[str, tuple[str, bytes]]:
    """Case -> (landing name, bytes): every case that applies to the service."""
    primary = demo_exports(service.name)[service.primary]
    if service.member:
        members = _zip_members(primary)
        text_bytes = members[service.member]
    else:
        members, text_bytes = {}, primary
    text = text_bytes.decode("utf-8")

    def wrap(changed: str | bytes) -> bytes:
        content = changed if isinstance(changed, bytes) else _encode_like(text_bytes, changed)
        return _zip({**members, service.member: content}) if service.member else content

    other = _other_service(service)
    made: dict[str, Callable[[], bytes] | None] = {
        "empty": lambda: b"",
        "html_login_page": lambda: LOGIN_PAGE,
        "binary_bytes": lambda: random.Random(service.name).randbytes(4096),
        "cut_off_last_line": lambda: wrap(
            _cut_json(text) if service.is_json else _cut_last_line(text)
        ),
        "other_service_header": lambda: wrap(demo_exports(other.name)[other.primary]),
        "unused_encoding": lambda: wrap(text.lstrip("\ufeff").encode("utf-16")),
        "not_a_number": lambda: wrap(_spoil(service, text, service.count, "lots")),
        "too_many_decimals": (
            (lambda: wrap(_spoil(service, text, service.money or "", "1.0000000000000001")))
            if service.money
            else None
        ),
        "negative_count": lambda: wrap(_spoil(service, text, service.count, "-5")),
        "zip_slip": (
            (lambda: _zip({f"../../{name}": content for name, content in members.items()}))
            if service.member
            else None
        ),
        "zip_bomb": (lambda: zip_bomb(service.member or "", False)) if service.member else None,
        "zip_bomb_lying_size": (
            (lambda: zip_bomb(service.member or "", True)) if service.member else None
        ),
        "five_mb_line": lambda: wrap(_five_mb_line(service, text)),
        "same_export_new_name": lambda: primary,
    }
    return {
        case: (variant_name(service, index), make())
        for index, (case, make) in enumerate(made.items(), start=1)
        if make is not None
    }


def corpus_ids() -> list[tuple[str, str]]:
    """(service, case) for every case that applies, in a fixed order."""
    return [
        (service.name, case) for service in SERVICES for case in CASES if applies(service, case)
    ]


def applies(service: ServiceCorpus, case: str) -> bool:
    if case.startswith("zip"):
        return service.member is not None
    return case != "too_many_decimals" or service.money is not None


# ---- running -------------------------------------------------------------------------------


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by relative path (quarantine copies and archives left out)."""
    if not folder.is_dir():
        return {}
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and "_quarantine" not in path.parts
    }


# Where a row came from (which of two identical files was read first, when a file without a
# time in its name was dropped): the rows themselves must be the same.
PROVENANCE = ("source_file", "source_id", "extracted_at")


def curated_rows(files: dict[str, bytes]) -> dict[str, list[tuple[str, ...]]]:
    """Each curated CSV's rows, provenance columns left out, sorted: a row counted twice or a
    value changed shows; which copy of identical data was read first does not."""
    tables: dict[str, list[tuple[str, ...]]] = {}
    for name, content in files.items():
        if not name.endswith(".csv") or Path(name).name.startswith("_"):
            continue  # bookkeeping: _hashes.json, lock files, lineage sidecars
        rows = list(csv.reader(io.StringIO(content.decode("utf-8"), newline="")))
        kept = [i for i, column in enumerate(rows[0] if rows else []) if column not in PROVENANCE]
        tables[name] = sorted(tuple(row[i] for i in kept) for row in rows)
    return tables


@dataclass
class CorpusRun:
    lake: Lake
    files: dict[str, tuple[str, bytes]]
    landing_before: dict[str, bytes]
    first: Runs
    second: Runs
    curated_after_first: dict[str, bytes]

    def reason(self, case: str) -> dict[str, object] | None:
        """The reason file of the case's landing file, in whichever zone quarantined it."""
        name = self.files[case][0]
        for path in sorted(
            self.lake.root.rglob(f"_quarantine/**/*{glob.escape(name)}*.reason.json")
        ):
            reason = json.loads(path.read_text("utf-8"))
            if isinstance(reason, dict) and str(reason.get("file", "")).endswith(name):
                return reason
        return None


def build_lake(root: Path, service: ServiceCorpus, files: dict[str, bytes]) -> Lake:
    lake = lake_for(root, [service.name])
    landing = lake.zone("1_landing") / service.name
    landing.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (landing / name).write_bytes(content)
    return lake


def run_baseline(root: Path, service: ServiceCorpus) -> dict[str, bytes]:
    """The curated files of the service's demo exports alone."""
    lake = build_lake(root, service, demo_exports(service.name))
    runs = clean_in_process(lake, service.name)
    assert [r.returncode for r in runs] == [0, 0, 0], [r.stderr for r in runs]
    return snapshot(lake.zone("4_curated"))


def run_corpus(root: Path, service: ServiceCorpus) -> CorpusRun:
    """The demo exports and every bad variant, cleaned twice."""
    files = corpus_files(service)
    landing = demo_exports(service.name) | {name: content for name, content in files.values()}
    lake = build_lake(root, service, landing)
    before = snapshot(lake.zone("1_landing") / service.name)
    first = clean_in_process(lake, service.name)
    curated = snapshot(lake.zone("4_curated"))
    second = clean_in_process(lake, service.name)
    return CorpusRun(lake, files, before, first, second, curated)

"""Each malformed Meta Ads drop is quarantined with its reason while the good files still land."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from common.lake import Lake
from tests.metaads.metaads_lake import (
    API_SAMPLE,
    DAILY,
    EXPORT_SAMPLE,
    PERIODS,
    SERVICE,
    SUMMARY,
    api_row,
    curated_rows,
    landing,
    new_lake,
    response,
    run_steps,
)
from tests.quarantine_support import MixedDrop, clean_twice, quarantine_reason

QUARANTINE = Path("1_landing") / "_quarantine" / SERVICE
GOOD_FILES = {
    "metaads_insights_20250103_080000.json": API_SAMPLE.read_bytes(),
    "BEDROT-ADS-Jan-2025_20250201_090000.csv": EXPORT_SAMPLE.read_bytes(),
}
EXPORT_HEADER = EXPORT_SAMPLE.read_bytes().splitlines(keepends=True)[0]
EXPORT_LINE = EXPORT_SAMPLE.read_bytes().splitlines(keepends=True)[1]
LOGIN_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>Log in to Facebook</title></head>"
    b'<body><form action="/login/"><input name="email"></form></body></html>\n'
)


def _json(payload: object) -> bytes:
    return json.dumps(payload, indent=2).encode("utf-8")


@dataclass(frozen=True)
class BadDrop:
    name: str
    content: bytes
    rule: str
    # (column, value, row) expected in the failures table of a schema rejection.
    failures: list[tuple[str, str, str]] = field(default_factory=list)
    says: str = ""


# Each bad file's content is distinct: identical content would be recognised as one file.
BAD_DROPS = [
    BadDrop("metaads_insights_20250104_080000.json", b"", "not-empty", says="is empty"),
    BadDrop("BEDROT-ADS-Feb-2025.csv", b"\r\n", "not-empty", says="is empty"),
    BadDrop(
        "metaads_insights_20250105_080000.json",
        API_SAMPLE.read_bytes()[:700],
        "truncated",
        says="the download was cut off",
    ),
    BadDrop(
        "metaads_insights_20250106_080000.json", b"{'data': []}\n", "invalid-json", says="JSON"
    ),
    BadDrop("metaads_insights_20250107_080000.json", LOGIN_PAGE, "not-html", says="HTML page"),
    BadDrop("BEDROT-ADS-Mar-2025.csv", LOGIN_PAGE + b"\n", "not-html", says="HTML page"),
    BadDrop(
        "metaads_insights_20250108_080000.json",
        _json(
            {
                "error": {
                    "message": "(#17) User request limit reached",
                    "type": "OAuthException",
                    "code": 17,
                    "error_subcode": 2446079,
                    "fbtrace_id": "A1b2C3d4E5f",
                }
            }
        ),
        "api-error",
        says="code 17",
    ),
    BadDrop(
        "BEDROT-ADS-Apr-2025.csv",
        b"Date,Video Views,Profile Views,Likes,Comments,Shares\n2025-04-11,10,2,1,0,0\n",
        "header",
        says="lacks 'reporting starts'",
    ),
    BadDrop(
        "metaads_insights_20250109_080000.json",
        _json(response(api_row("2025-04-11"), api_row("2025-04-12", impressions="1.3K"))),
        "schema",
        [("impressions", "1.3K", "2")],
        says="impressions is a whole number, but is '1.3K' in entry 2 (page 1)",
    ),
    BadDrop(
        "metaads_insights_20250110_080000.json",
        _json(response(api_row("2025-04-11", spend="3.415"), api_row("2025-04-12", spend="x"))),
        "schema",
        [("spend", "3.415", "1"), ("spend", "x", "2")],
        says="spend has at most 2 decimals",
    ),
    BadDrop(
        "BEDROT-ADS-May-2025.csv",
        EXPORT_HEADER + EXPORT_LINE.replace(b'"21.40"', b'"21.405"'),
        "schema",
        [("spend", "21.405", "2")],
        says="in line 2",
    ),
    BadDrop(
        "metaads_insights_20250111_080000.json",
        _json(response({**api_row("2025-04-11"), "campaign_id": "1.202e+17"})),
        "schema",
        [("campaign_id", "1.202e+17", "1")],
        says="campaign_id is digits",
    ),
    BadDrop(
        "BEDROT-ADS-Jun-2025.csv",
        EXPORT_HEADER + EXPORT_LINE + EXPORT_LINE[:40],
        "truncated",
        says="cut off",
    ),
    BadDrop(
        "BEDROT-ADS-Jul-2025.xlsx",
        b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 32,
        "unknown-format",
        says="export the Ads Manager report as CSV",
    ),
]


@pytest.fixture(scope="module")
def mixed_drop(tmp_path_factory: pytest.TempPathFactory) -> MixedDrop:
    """One lake where good and bad files land together, cleaned twice."""
    lake = new_lake(tmp_path_factory.mktemp("mixed") / "lake")
    bad = {drop.name: drop.content for drop in BAD_DROPS}
    return clean_twice(lake, SERVICE, {**GOOD_FILES, **bad}, run_steps)


def _reason(lake: Lake, name: str) -> dict[str, object]:
    return quarantine_reason(lake, SERVICE, name)


def test_every_cleaner_finishes_with_exit_code_zero(mixed_drop: MixedDrop) -> None:
    assert [r.returncode for r in mixed_drop.first] == [0, 0, 0], [
        r.stderr for r in mixed_drop.first
    ]


@pytest.mark.parametrize("bad", BAD_DROPS, ids=[bad.name for bad in BAD_DROPS])
def test_a_bad_file_is_quarantined_with_its_reason(mixed_drop: MixedDrop, bad: BadDrop) -> None:
    reason = _reason(mixed_drop.lake, bad.name)

    assert reason["rule"] == bad.rule
    assert bad.says in str(reason["what_failed"])
    assert reason["file"] == f"1_landing/{SERVICE}/{bad.name}"
    assert (mixed_drop.lake.root / QUARANTINE / bad.name).read_bytes() == bad.content


@pytest.mark.parametrize(
    "bad", [b for b in BAD_DROPS if b.failures], ids=[b.name for b in BAD_DROPS if b.failures]
)
def test_a_schema_rejection_lists_its_failure_cases(mixed_drop: MixedDrop, bad: BadDrop) -> None:
    failures = mixed_drop.lake.root / QUARANTINE / f"{bad.name}.failures.csv"
    with failures.open(encoding="utf-8", newline="") as stream:
        cases = [(r["column"], r["value"], r["row"]) for r in csv.DictReader(stream)]

    assert set(bad.failures) <= set(cases), cases


def test_the_log_says_why_in_one_line_per_file(mixed_drop: MixedDrop) -> None:
    warnings = [line for line in mixed_drop.first[0].stderr.splitlines() if "Quarantined" in line]

    assert len(warnings) == len(BAD_DROPS)
    assert all(any(bad.name in line for line in warnings) for bad in BAD_DROPS)


def test_the_good_files_still_reach_curated(mixed_drop: MixedDrop) -> None:
    daily = curated_rows(mixed_drop.lake, DAILY)
    summary = curated_rows(mixed_drop.lake, SUMMARY)

    assert [(r["date"], r["spend"]) for r in daily] == [
        ("2025-01-01", "3.41"),
        ("2025-01-02", "2.95"),
    ]
    # The daily rows are counted; the monthly export covering them is kept in the period file.
    assert [(r["date_start"], r["date_stop"], r["spend"]) for r in summary] == [
        ("2025-01-01", "2025-01-02", "6.36")
    ]
    periods = curated_rows(mixed_drop.lake, PERIODS)
    assert [(r["date_start"], r["date_stop"], r["spend"]) for r in periods] == [
        ("2025-01-01", "2025-01-31", "21.40")
    ]


def test_the_landing_files_are_unchanged(mixed_drop: MixedDrop) -> None:
    expected = {**GOOD_FILES, **{bad.name: bad.content for bad in BAD_DROPS}}

    assert {p.name: p.read_bytes() for p in landing(mixed_drop.lake).iterdir()} == expected


def test_a_quarantined_file_is_not_retried_by_the_next_run(mixed_drop: MixedDrop) -> None:
    assert [r.returncode for r in mixed_drop.second] == [0, 0, 0]
    assert "Quarantined" not in mixed_drop.second[0].stderr
    assert len(list((mixed_drop.lake.root / QUARANTINE).glob("*.reason.json"))) == len(BAD_DROPS)


def test_only_good_files_become_raw_files(mixed_drop: MixedDrop) -> None:
    raw = mixed_drop.lake.zone("2_raw") / SERVICE

    assert sorted(p.name for p in raw.glob("*.ndjson")) == [
        "metaads_bedrot_ads_jan_2025_20250201_090000.ndjson",
        "metaads_insights_20250103_080000.ndjson",
    ]

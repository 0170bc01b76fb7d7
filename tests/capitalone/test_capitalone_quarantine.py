"""Every kind of bad Capital One drop is quarantined with its reason; the good one still lands."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from common.lake import Lake
from tests.capitalone.capitalone_lake import (
    FIXTURES,
    JANUARY,
    curated_rows,
    drop,
    drop_bytes,
    export_rows,
    landing,
    landing_snapshot,
    new_lake,
    run_ok,
)

HEADER = b"Transaction Date,Posted Date,Card No.,Description,Category,Debit,Credit\n"
GOOD_ROW = b"2026-02-01,2026-02-02,0421,SPOTIFY USA,Entertainment,11.99,\n"
JANUARY_BYTES = (FIXTURES / JANUARY).read_bytes()


@dataclass(frozen=True)
class BadDrop:
    name: str
    content: bytes
    rule: str
    # (column, value, row) expected in the failures table of a schema rejection.
    failures: list[tuple[str, str, str]] = field(default_factory=list)


def _rows(*lines: bytes) -> bytes:
    return HEADER + GOOD_ROW + b"".join(lines)


BAD_DROPS = [
    BadDrop(
        "2026-02-01_transaction_download.csv",
        b"<!DOCTYPE html>\n<html lang='en'><head><title>Sign In | Capital One</title></head>"
        b"<body><form action='/sign-in'><input name='username'></form></body></html>\n",
        "not-html",
    ),
    BadDrop("2026-02-02_transaction_download.csv", b"", "not-empty"),
    BadDrop(
        "2026-02-03_transaction_download.csv",
        JANUARY_BYTES[: JANUARY_BYTES.rindex(b"SPOTIFY") + 7],
        "truncated",
    ),
    BadDrop(
        "2026-02-04_account_download.csv",
        b"Account Number,Transaction Description,Transaction Date,Transaction Type,"
        b"Transaction Amount,Balance\n1234,PAYROLL,02/01/26,Credit,1000.00,2500.00\n",
        "header",
    ),
    BadDrop(
        "2026-02-05_transaction_download.csv",
        JANUARY_BYTES.decode("utf-8").encode("utf-16-le"),
        "encoding",
    ),
    BadDrop(
        "2026-02-06_transaction_download.csv",
        JANUARY_BYTES[:300] + b"\x00\x00\x00\x00" + JANUARY_BYTES[300:],
        "encoding",
    ),
    BadDrop(
        "2026-02-07_transaction_download.csv",
        _rows(b"2026-02-03,2026-02-04,0421,SPLICE.COM,Other Services,12.345,\n"),
        "schema",
        [("Debit", "12.345", "3")],
    ),
    BadDrop(
        "2026-02-08_transaction_download.csv",
        _rows(b"2026-02-03,2026-02-04,3377,SHELL OIL,Gas/Automotive,twelve,\n"),
        "schema",
        [("Debit", "twelve", "3")],
    ),
    BadDrop(
        "2026-02-09_transaction_download.csv",
        _rows(b"2026-02-03,2026-02-04,3377,REFUND?,Merchandise,5.00,5.00\n"),
        "schema",
        [("", "", "3")],
    ),
    BadDrop(
        "2026-02-10_transaction_download.csv",
        _rows(b"2026-02-30,2026-03-01,3377,LEAP DAY,Merchandise,1.00,\n"),
        "schema",
        [("Transaction Date", "2026-02-30", "3")],
    ),
    BadDrop(
        "2026-02-11_transaction_download.csv",
        _rows(b"2026-02-03,2026-02-04,3377,SHORT ROW,9.99,\n", GOOD_ROW),
        "row-width",
    ),
    BadDrop("2026-02-12_statement.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "unknown-format"),
]


@dataclass(frozen=True)
class Run:
    lake: Lake
    landing_before: dict[str, tuple[bytes, int]]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """One run over a drop of every bad file beside a good January export."""
    lake = new_lake(tmp_path_factory.mktemp("quarantine"))
    drop(lake, JANUARY)
    for bad in BAD_DROPS:
        drop_bytes(lake, bad.name, bad.content)
    before = landing_snapshot(lake)
    run_ok(lake)
    return Run(lake, before)


def _quarantine(lake: Lake) -> Path:
    return lake.zone("1_landing") / "_quarantine" / "capitalone"


@pytest.mark.parametrize("bad", BAD_DROPS, ids=[bad.rule + ":" + bad.name for bad in BAD_DROPS])
def test_a_bad_drop_is_quarantined_in_landing_with_its_reason(run: Run, bad: BadDrop) -> None:
    held = _quarantine(run.lake) / bad.name

    reason = json.loads(held.with_name(bad.name + ".reason.json").read_text(encoding="utf-8"))

    assert held.read_bytes() == bad.content
    assert reason["rule"] == bad.rule, reason
    assert bad.name in reason["what_failed"]
    assert reason["step"] == "landing2raw"


@pytest.mark.parametrize(
    "bad", [bad for bad in BAD_DROPS if bad.failures], ids=lambda bad: bad.name
)
def test_a_schema_failure_comes_with_its_failure_cases_table(run: Run, bad: BadDrop) -> None:
    table = _quarantine(run.lake) / (bad.name + ".failures.csv")

    with table.open(encoding="utf-8", newline="") as stream:
        cases = list(csv.DictReader(stream))

    assert list(cases[0]) == ["column", "check", "value", "row"]
    found = {(case["column"], case["value"], case["row"]) for case in cases}
    for column, value, row in bad.failures:
        if column:
            assert (column, value, row) in found
        else:
            assert any(c["row"] == row and "one of Debit and Credit" in c["check"] for c in cases)


def test_the_good_file_in_the_same_run_reaches_curated(run: Run) -> None:
    rows = curated_rows(run.lake)

    assert len(rows) == len(export_rows(JANUARY))
    assert {r["source_file"] for r in rows} == {
        f"2_raw/capitalone/{p.name}" for p in (run.lake.zone("2_raw") / "capitalone").glob("*.csv")
    }


def test_nothing_of_a_bad_drop_reaches_raw(run: Run) -> None:
    raw = list((run.lake.zone("2_raw") / "capitalone").glob("*.csv"))

    assert len(raw) == 1 and "2026_01_31_transaction_download" in raw[0].name


def test_landing_files_are_unchanged(run: Run) -> None:
    assert landing_snapshot(run.lake) == run.landing_before
    assert sorted(p.name for p in landing(run.lake).iterdir() if p.is_file()) == sorted(
        [JANUARY, *(bad.name for bad in BAD_DROPS)]
    )


def test_a_second_run_does_not_retry_the_quarantined_files(run: Run) -> None:
    held = sorted(p.name for p in _quarantine(run.lake).iterdir())

    run_ok(run.lake)

    assert sorted(p.name for p in _quarantine(run.lake).iterdir()) == held

"""Every bad DistroKid file lands in quarantine with its reason; the good ones still land."""

from __future__ import annotations

import csv
import json

import pytest

from common.lake import Lake
from tests.distrokid.conftest import FIXTURES, curated_rows, drop
from tests.steps_support import clean_in_process

LEGACY = (FIXTURES / "dk_bank_details_legacy13_CR.tsv").read_bytes()
LOGIN_PAGE = b"<!DOCTYPE html>\n<html><head><title>Sign in | DistroKid</title></head></html>\n"

BAD_LANDING_FILES = {
    "login page saved as .tsv": ("dk_bank_details_20250601_000000.tsv", LOGIN_PAGE, "not-html"),
    "empty file": ("dk_bank_details_20250602_000000.tsv", b"", "not-empty"),
    "truncated last line": (
        "dk_bank_details_20250603_000000.tsv",
        LEGACY.rstrip(b"\r").rsplit(b"\t", 3)[0],
        "truncated",
    ),
    "wrong header": (
        "dk_bank_details_20250604_000000.tsv",
        LEGACY.replace(b"Earnings (USD)", b"Royalties", 1),
        "header",
    ),
    "unknown encoding": (
        "dk_bank_details_20250605_000000.tsv",
        LEGACY.decode().encode("utf-16-le"),
        "encoding",
    ),
    "not a DistroKid stats page": (
        "streams_stats_20250606_000000.html",
        LOGIN_PAGE,
        "not-stats-page",
    ),
    "a spreadsheet": ("dk_bank_details_20250607_000000.xlsx", b"PK\x03\x04", "unknown-format"),
}


@pytest.mark.parametrize("case", sorted(BAD_LANDING_FILES))
def test_a_bad_landing_file_is_quarantined_and_the_good_one_still_lands(
    dk_lake: Lake, case: str
) -> None:
    name, content, rule = BAD_LANDING_FILES[case]
    bad = dk_lake.zone("1_landing") / "distrokid" / name
    bad.write_bytes(content)
    drop(dk_lake, "dk_bank_details_2025_15col_quoted.csv")

    results = clean_in_process(dk_lake, "distrokid")

    assert [r.returncode for r in results] == [0, 0, 0]
    assert bad.read_bytes() == content
    quarantine = dk_lake.zone("1_landing") / "_quarantine" / "distrokid"
    reason = json.loads((quarantine / f"{name}.reason.json").read_text())
    assert reason["rule"] == rule, reason
    assert reason["file"] == f"1_landing/distrokid/{name}"
    assert (quarantine / name).read_bytes() == content
    assert f"Quarantined 1_landing/distrokid/{name}" in results[0].stderr
    assert len(curated_rows(dk_lake, "dk_bank_details.csv")) == 3


def test_a_value_that_breaks_the_schema_quarantines_the_file_with_its_failure_cases(
    dk_lake: Lake,
) -> None:
    broken = LEGACY.replace(b"0.48211930", b"0.48 USD", 1).replace(b"\t152\t", b"\tmany\t", 1)
    bad = dk_lake.zone("1_landing") / "distrokid" / "dk_bank_details_20250601_000000.tsv"
    bad.write_bytes(broken)
    drop(dk_lake, "dk_bank_details_2025_15col_quoted.csv")

    results = clean_in_process(dk_lake, "distrokid")

    assert [r.returncode for r in results] == [0, 0, 0]
    quarantine = dk_lake.zone("2_raw") / "_quarantine" / "distrokid"
    [reason_file] = quarantine.glob("*.reason.json")
    reason = json.loads(reason_file.read_text())
    assert reason["rule"] == "schema"
    with (quarantine / reason["failure_cases_file"]).open(newline="") as stream:
        cases = list(csv.DictReader(stream))
    assert {(c["column"], c["check"], c["value"], c["row"]) for c in cases} == {
        ("earnings_usd", "parses as a decimal", "0.48 USD", "2"),
        ("quantity", "parses as a whole number", "many", "2"),
    }
    assert len(curated_rows(dk_lake, "dk_bank_details.csv")) == 3


def test_a_quarantined_file_is_not_retried_on_the_next_run(dk_lake: Lake) -> None:
    bad = dk_lake.zone("1_landing") / "distrokid" / "dk_bank_details_20250601_000000.tsv"
    bad.write_bytes(LOGIN_PAGE)
    clean_in_process(dk_lake, "distrokid")

    again = clean_in_process(dk_lake, "distrokid")

    assert "Quarantined" not in again[0].stderr
    assert "nothing new in 1_landing/distrokid" in again[0].stderr
    reasons = list((dk_lake.zone("1_landing") / "_quarantine").rglob("*.reason.json"))
    assert [p.name for p in reasons] == [f"{bad.name}.reason.json"]


def test_earnings_with_more_decimals_than_we_keep_exactly_are_refused_not_rounded(
    dk_lake: Lake,
) -> None:
    bad = dk_lake.zone("1_landing") / "distrokid" / "dk_bank_details_20250601_000000.tsv"
    bad.write_bytes(LEGACY.replace(b"0.48211930", b"0.4821193000001", 1))

    clean_in_process(dk_lake, "distrokid")

    quarantine = dk_lake.zone("2_raw") / "_quarantine" / "distrokid"
    [failures] = quarantine.glob("*.failures.csv")
    with failures.open(newline="") as stream:
        cases = list(csv.DictReader(stream))
    assert [(c["column"], c["check"], c["value"]) for c in cases] == [
        ("earnings_usd", "at most 12 decimals", "0.4821193000001")
    ]
    assert not (dk_lake.zone("4_curated") / "dk_bank_details.csv").exists()


def test_a_refused_export_leaves_nothing_in_staging(dk_lake: Lake) -> None:
    """The streamed check writes while it reads: a refused file's parquet must not stay."""
    bad = dk_lake.zone("1_landing") / "distrokid" / "dk_bank_details_20250601_000000.tsv"
    bad.write_bytes(LEGACY.replace(b"\t152\t", b"\tmany\t", 1))
    drop(dk_lake, "dk_bank_details_2025_15col_quoted.csv")

    clean_in_process(dk_lake, "distrokid")

    staged = dk_lake.zone("3_staging") / "distrokid" / "bank_details"
    [only] = staged.iterdir()
    assert only.name.startswith("distrokid_dk_bank_details_2025_15col_quoted")

"""The curated bank details stay small (short file ids, no padding zeros) and exact."""

from __future__ import annotations

import csv
from decimal import Decimal

from common.demodata.bank import write_legacy_bank_export
from common.lake import Lake
from common.lineage import read_sources
from tests.distrokid.conftest import curated_rows
from tests.distrokid.test_distrokid_bank_details import LEGACY_HEADER
from tests.steps_support import clean_ok

MONEY = ("songwriter_royalties_withheld_usd", "earnings_usd", "recoup_usd")


def _padded(text: str) -> bool:
    """A zero (or a bare point) at the end of a decimal's fraction adds nothing to its value."""
    return "." in text and text.endswith(("0", "."))


def test_curated_sums_stay_exact_and_the_file_no_bigger_than_its_export(dk_lake: Lake) -> None:
    landing = dk_lake.zone("1_landing") / "distrokid"
    export = write_legacy_bank_export(landing / "dk_bank_details_20260105_090000.tsv", 5000)
    with export.open(encoding="utf-8", newline="") as stream:
        exported = [
            Decimal(row["Earnings (USD)"]) for row in csv.DictReader(stream, delimiter="\t")
        ]

    clean_ok(dk_lake, "distrokid")

    curated = dk_lake.zone("4_curated") / "dk_bank_details.csv"
    rows = curated_rows(dk_lake, curated.name)
    assert len(rows) == len(exported)
    assert sum(Decimal(r["earnings_usd"]) for r in rows) == sum(exported)
    assert curated.stat().st_size <= 1.2 * export.stat().st_size
    assert {r["source_id"] for r in rows} == {"1"}
    assert read_sources(curated) == {
        1: "2_raw/distrokid/distrokid_dk_bank_details_20260105_090000.tsv"
    }


def test_money_is_written_without_padding_zeros_and_reads_back_equal(dk_lake: Lake) -> None:
    amounts = [
        "0",
        "0.07000000",
        "-0.05000000",
        "1.500000000000",
        "0.000000000001",
        "123456789012345678.123456789012",
        "-2500",
    ]
    lines = [
        f"2025-01-25\t2024-11\tSpotify\tPIG1987\tTrack\tQZHZ12400001\t199999000011\t10\t100\tSong"
        f"\tUS\t0.000000\t{amount}"
        for amount in amounts
    ]
    landing = dk_lake.zone("1_landing") / "distrokid" / "dk_bank_details_20250301_080000.tsv"
    landing.write_bytes(("\r".join([LEGACY_HEADER, *lines]) + "\r").encode())

    clean_ok(dk_lake, "distrokid")

    rows = curated_rows(dk_lake, "dk_bank_details.csv")
    assert [r["earnings_usd"] for r in rows] == [
        "0",
        "0.07",
        "-0.05",
        "1.5",
        "0.000000000001",
        "123456789012345678.123456789012",
        "-2500",
    ]
    assert [Decimal(r["earnings_usd"]) for r in rows] == [Decimal(a) for a in amounts]
    assert {r["songwriter_royalties_withheld_usd"] for r in rows} == {"0"}
    assert {r["team_percentage"] for r in rows} == {"100"}
    assert not any(_padded(r[c]) for r in rows for c in (*MONEY, "team_percentage"))

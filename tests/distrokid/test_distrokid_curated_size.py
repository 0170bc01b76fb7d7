"""The curated bank details stay small (short file ids, no padding zeros) and exact."""

from __future__ import annotations

import csv
import re
from decimal import Decimal

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from common.demodata.bank import write_legacy_bank_export
from common.lake import Lake
from common.lineage import read_sources
from distrokid.bank_details import MONEY_SCALE, decimal_text
from tests.distrokid.conftest import curated_rows, drop
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


def test_money_in_any_spelling_is_curated_as_its_shortest_exact_text(dk_lake: Lake) -> None:
    amounts = ["+1", ".5", "-0", "007.50", "-0.000", "0010", "-.25", "0.28620180", "12"]
    lines = [
        f"2025-01-25\t2024-11\tSpotify\tPIG1987\tTrack\tQZHZ12400001\t199999000011\t10\t100.0\tSong"
        f"\tUS\t{amount}\t{amount}"
        for amount in amounts
    ]
    landing = dk_lake.zone("1_landing") / "distrokid" / "dk_bank_details_20250301_080000.tsv"
    landing.write_bytes(("\r".join([LEGACY_HEADER, *lines]) + "\r").encode())

    clean_ok(dk_lake, "distrokid")

    rows = curated_rows(dk_lake, "dk_bank_details.csv")
    expected = ["1", "0.5", "0", "7.5", "0", "10", "-0.25", "0.2862018", "12"]
    assert [r["earnings_usd"] for r in rows] == expected
    assert [r["songwriter_royalties_withheld_usd"] for r in rows] == expected
    assert [Decimal(r["earnings_usd"]) for r in rows] == [Decimal(a) for a in amounts]
    assert {r["team_percentage"] for r in rows} == {"100"}


_DIGITS = st.text(alphabet="0123456789", min_size=1, max_size=18)


@st.composite
def _money_texts(draw: st.DrawFn) -> str:
    """Decimal texts as exports may spell them: signs, leading and trailing zeros, a bare
    point before or after the digits, up to 12 decimals."""
    sign = draw(st.sampled_from(["", "-", "+"]))
    whole = draw(st.one_of(st.just(""), _DIGITS))
    fraction = draw(st.text(alphabet="0123456789", max_size=12))
    if not whole and not fraction:
        whole = "0"
    point = "." if fraction or draw(st.booleans()) and whole else ""
    return f"{sign}{whole}{point}{fraction}"


@settings(max_examples=50, deadline=None)
@given(st.lists(_money_texts(), min_size=1, max_size=200))
def test_shortest_decimal_text_equals_the_exported_decimal_exactly(texts: list[str]) -> None:
    frame = pl.DataFrame({"amount": texts}, schema={"amount": pl.String})

    written = frame.select(decimal_text("amount", MONEY_SCALE))["amount"].to_list()

    assert [Decimal(w) for w in written] == [Decimal(t) for t in texts]
    # Shortest: no "+", no leading or padding zeros, no bare point, and zero is never "-0".
    assert all(re.fullmatch(r"0|-?(0\.\d*[1-9]|[1-9]\d*(\.\d*[1-9])?)", w) for w in written)


def test_an_export_staged_with_decimal_money_by_an_older_version_still_publishes(
    dk_lake: Lake,
) -> None:
    drop(dk_lake, "dk_bank_details_legacy13_CR.tsv")
    clean_ok(dk_lake, "distrokid")
    [staged] = (dk_lake.zone("3_staging") / "distrokid" / "bank_details").glob("*.parquet")
    money = [*MONEY, "team_percentage"]
    older = pl.read_parquet(staged).with_columns(pl.col(money).str.to_decimal(scale=MONEY_SCALE))
    older.write_parquet(staged)
    before = curated_rows(dk_lake, "dk_bank_details.csv")

    drop(dk_lake, "dk_bank_details_2025_15col_quoted.csv")
    clean_ok(dk_lake, "distrokid")

    rows = curated_rows(dk_lake, "dk_bank_details.csv")
    assert [r for r in rows if r["source_id"] == "1"] == before
    assert not any(_padded(r[c]) for r in rows for c in money)

"""DistroKid bank details: both schemas, exact money, every line item, partition replacement."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from common.lake import Lake
from common.zones import data_files
from tests.distrokid.conftest import FIXTURES, curated_rows, drop, export_earnings
from tests.steps_support import clean_in_process, clean_ok

SAMPLES = [
    ("dk_bank_details_legacy13_CR.tsv", "ascii", "\t"),
    ("dk_bank_details_2025_15col_quoted.csv", "utf-8", ","),
    ("dk_bank_details_2025_15col_quoted_latin1.csv", "latin-1", ","),
]
LEGACY_HEADER = (
    "Reporting Date\tSale Month\tStore\tArtist\tTitle\tISRC\tUPC\tQuantity\tTeam Percentage\t"
    "Song/Album\tCountry of Sale\tSongwriter Royalties Withheld\tEarnings (USD)"
)


def _ok(lake: Lake) -> None:
    clean_ok(lake, "distrokid")


@pytest.mark.parametrize("sample,encoding,delimiter", SAMPLES)
def test_curated_earnings_sum_equals_the_exports_sum_exactly(
    dk_lake: Lake, sample: str, encoding: str, delimiter: str
) -> None:
    drop(dk_lake, sample)
    expected = export_earnings(FIXTURES / sample, encoding, delimiter)

    _ok(dk_lake)

    rows = curated_rows(dk_lake, "dk_bank_details.csv")
    assert len(rows) == len(expected)
    assert sum(Decimal(r["earnings_usd"]) for r in rows) == sum(expected)
    assert sorted(Decimal(r["earnings_usd"]) for r in rows) == sorted(expected)


@pytest.mark.parametrize("sample,encoding,delimiter", SAMPLES)
def test_blank_lines_after_the_last_row_are_not_rows(
    dk_lake: Lake, sample: str, encoding: str, delimiter: str
) -> None:
    """An export saved again by an editor or Excel may end in a few empty lines."""
    content = (FIXTURES / sample).read_bytes()
    ending = b"\r" if sample.endswith("_CR.tsv") else b"\r\n"
    name = f"dk_bank_details_20260105_090000{Path(sample).suffix}"
    landing = dk_lake.zone("1_landing") / "distrokid" / name
    landing.write_bytes(content.rstrip(b"\r\n") + ending * 4)
    expected = export_earnings(FIXTURES / sample, encoding, delimiter)

    _ok(dk_lake)

    assert not list((dk_lake.zone("2_raw") / "_quarantine").rglob("*.reason.json"))
    rows = curated_rows(dk_lake, "dk_bank_details.csv")
    assert sorted(Decimal(r["earnings_usd"]) for r in rows) == sorted(expected)


def test_an_export_saved_again_as_utf16_reaches_curated(dk_lake: Lake) -> None:
    """Excel's "Unicode Text" (and SPEC's UTF-16 exports): UTF-16 with a byte-order mark."""
    sample = "dk_bank_details_2025_15col_quoted.csv"
    text = (FIXTURES / sample).read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    landing = dk_lake.zone("1_landing") / "distrokid" / "dk_bank_details_20260105_090000.csv"
    landing.write_bytes(text.replace("\n", "\r\n").encode("utf-16"))
    expected = export_earnings(FIXTURES / sample, "utf-8", ",")

    _ok(dk_lake)

    rows = curated_rows(dk_lake, "dk_bank_details.csv")
    assert sorted(Decimal(r["earnings_usd"]) for r in rows) == sorted(expected)


def test_negative_and_near_duplicate_line_items_are_all_kept(dk_lake: Lake) -> None:
    drop(dk_lake, "dk_bank_details_legacy13_CR.tsv")

    _ok(dk_lake)

    rows = curated_rows(dk_lake, "dk_bank_details.csv")
    assert any(Decimal(r["earnings_usd"]) < 0 for r in rows)
    keys = [tuple(v for k, v in r.items() if k not in ("earnings_usd", "source_row")) for r in rows]
    assert len(keys) > len(set(keys))
    assert [int(r["source_row"]) for r in sorted(rows, key=lambda r: int(r["source_row"]))] == list(
        range(2, len(rows) + 2)
    )


def test_both_schemas_land_in_one_curated_schema_with_upc_leading_zeros_kept(
    dk_lake: Lake,
) -> None:
    legacy = dk_lake.zone("1_landing") / "distrokid" / "dk_bank_details_20250101_000000.tsv"
    legacy.write_bytes(
        f"{LEGACY_HEADER}\r2024-12-25\t2024-10\tTidal\tIWARY\tSong A\tQZHZ12400001\t"
        "012345678905\t7\t100\tSong\tXK\t0\t0.07000000\r".encode()
    )
    drop(dk_lake, "dk_bank_details_2025_15col_quoted.csv")

    _ok(dk_lake)

    rows = curated_rows(dk_lake, "dk_bank_details.csv")
    assert list(rows[0]) == [
        "reporting_date", "sale_month", "store", "artist", "title", "isrc", "upc", "quantity",
        "team_percentage", "item_type", "country", "songwriter_royalties_withheld_usd",
        "earnings_usd", "recoup_usd", "source_id", "source_row",
    ]  # fmt: skip
    tidal = [r for r in rows if r["store"] == "Tidal"]
    assert tidal[0]["upc"] == "012345678905" and tidal[0]["country"] == "XK"
    assert {r["item_type"] for r in rows} == {"Song"}
    assert any(r["recoup_usd"] == "" for r in rows)


def _legacy_export(
    path: Path, rows: list[tuple[str, str, str]], sale_months: list[str] | None = None
) -> Path:
    """A legacy export of (reporting date, store, earnings) rows, sold in 2024-10 unless
    `sale_months` says otherwise row by row."""
    months = sale_months or ["2024-10"] * len(rows)
    lines = [LEGACY_HEADER] + [
        f"{day}\t{month}\t{store}\tPIG1987\tTrack\tQZHZ12400001\t199999000011\t10\t100\tSong"
        f"\tUS\t0\t{earnings}"
        for (day, store, earnings), month in zip(rows, months, strict=True)
    ]
    path.write_bytes(("\r".join(lines) + "\r").encode())
    return path


def test_a_newer_overlapping_export_replaces_only_the_reporting_dates_it_covers(
    dk_lake: Lake,
) -> None:
    landing = dk_lake.zone("1_landing") / "distrokid"
    _legacy_export(
        landing / "dk_bank_details_20250301_080000.tsv",
        [("2025-01-25", "Spotify", "1.10000000"), ("2025-02-25", "Spotify", "2.20000000")],
    )
    _ok(dk_lake)
    _legacy_export(
        landing / "dk_bank_details_20250401_080000.tsv",
        [
            ("2025-02-25", "Spotify", "2.25000000"),
            ("2025-02-25", "Deezer", "-0.05000000"),
            ("2025-03-25", "Spotify", "3.30000000"),
        ],
    )

    _ok(dk_lake)

    rows = curated_rows(dk_lake, "dk_bank_details.csv")
    assert [(r["reporting_date"], r["store"], r["earnings_usd"]) for r in rows] == [
        ("2025-01-25", "Spotify", "1.1"),
        ("2025-02-25", "Spotify", "2.25"),
        ("2025-02-25", "Deezer", "-0.05"),
        ("2025-03-25", "Spotify", "3.3"),
    ]
    archived = data_files(dk_lake.zone("5_archive"))
    assert [p.name.startswith("dk_bank_details_archived_") for p in archived] == [True]


def test_a_newer_export_filtered_by_sale_date_replaces_only_the_sale_months_it_holds(
    dk_lake: Lake,
) -> None:
    # DistroKid's date selector offers "Sale Date": such an export holds some sale months of a
    # reporting date, and the older export's other months of that date must stay (money).
    landing = dk_lake.zone("1_landing") / "distrokid"
    _legacy_export(
        landing / "dk_bank_details_20250401_080000.tsv",
        [("2025-03-29", "Spotify", "0.50000000"), ("2025-03-29", "Spotify", "0.10000000")],
        sale_months=["2025-01", "2024-12"],
    )
    _ok(dk_lake)
    _legacy_export(
        landing / "dk_bank_details_20250501_080000.tsv",
        [("2025-03-29", "Spotify", "0.12000000")],
        sale_months=["2024-12"],
    )

    _ok(dk_lake)

    rows = curated_rows(dk_lake, "dk_bank_details.csv")
    assert sorted((r["sale_month"], r["earnings_usd"]) for r in rows) == [
        ("2024-12", "0.12"),
        ("2025-01", "0.5"),
    ]


def test_the_same_export_dropped_again_changes_nothing(dk_lake: Lake) -> None:
    drop(dk_lake, "dk_bank_details_legacy13_CR.tsv", "dk_bank_details_20250525_101500.tsv")
    _ok(dk_lake)
    curated = dk_lake.zone("4_curated") / "dk_bank_details.csv"
    before = curated.read_bytes(), curated.stat().st_mtime_ns

    drop(dk_lake, "dk_bank_details_legacy13_CR.tsv", "dk_bank_details_20250601_101500.tsv")
    results = clean_in_process(dk_lake, "distrokid")

    assert [r.returncode for r in results] == [0, 0, 0]
    assert "is identical to 1_landing/distrokid/dk_bank_details_20250525_101500.tsv" in (
        results[0].stderr
    )
    assert (curated.read_bytes(), curated.stat().st_mtime_ns) == before
    assert len(data_files(dk_lake.zone("2_raw") / "distrokid")) == 1

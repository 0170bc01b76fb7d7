"""A Capital One export re-saved by Excel curates exactly as the bank's own download does."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from common.lake import Lake
from tests.capitalone.capitalone_lake import (
    FEBRUARY,
    curated_identity,
    curated_rows,
    drop,
    exports_ledger,
    new_lake,
    run_ok,
)

# FEBRUARY opened and saved again in Excel: BOM, CRLF, 2/27/2026, "200" and "6.5", card 421.
FEBRUARY_EXCEL = "2026-02-28_transaction_download_excel.csv"
DOWNLOADED = datetime(2026, 3, 1, 10, 0)
SAME_VALUES = (
    "transaction_date",
    "posted_date",
    "card_last4",
    "description",
    "category",
    "debit_usd",
    "credit_usd",
    "amount_usd",
    "kind",
    "source_row",
)


def _curated(tmp_path: Path, *fixtures: str) -> tuple[Lake, list[dict[str, str]]]:
    lake = new_lake(tmp_path)
    for fixture in fixtures:
        drop(lake, fixture, DOWNLOADED)
    run_ok(lake)
    return lake, curated_rows(lake)


@pytest.fixture(scope="module")
def excel(tmp_path_factory: pytest.TempPathFactory) -> tuple[Lake, list[dict[str, str]]]:
    return _curated(tmp_path_factory.mktemp("excel"), FEBRUARY_EXCEL)


def test_an_excel_resave_curates_the_same_rows_as_the_download(
    excel: tuple[Lake, list[dict[str, str]]], tmp_path: Path
) -> None:
    _, original = _curated(tmp_path, FEBRUARY)
    _, resaved = excel

    assert [[r[c] for c in SAME_VALUES] for r in resaved] == [
        [r[c] for c in SAME_VALUES] for r in original
    ]
    meta = resaved[-1]
    assert (meta["transaction_date"], meta["card_last4"], meta["debit_usd"]) == (
        "2026-02-27",
        "0421",
        "200.00",
    )


def test_excel_amounts_are_exact_cents(excel: tuple[Lake, list[dict[str, str]]]) -> None:
    _, rows = excel

    debits = [Decimal(r["debit_usd"]) for r in rows if r["debit_usd"]]

    assert sum(debits, Decimal(0)) == Decimal("654.44")
    assert {r["debit_usd"] for r in rows if r["description"] == "BLUE BOTTLE COFFEE"} == {"6.50"}


def test_a_resave_beside_the_download_is_the_same_statement(tmp_path: Path) -> None:
    _, rows = _curated(tmp_path, FEBRUARY, FEBRUARY_EXCEL)

    assert Counter(curated_identity(r) for r in rows) == exports_ledger(FEBRUARY)


def test_source_file_is_the_lake_relative_raw_copy(
    excel: tuple[Lake, list[dict[str, str]]],
) -> None:
    lake, rows = excel

    sources = {r["source_file"] for r in rows}

    (source,) = sources
    assert source.startswith("2_raw/capitalone/capitalone_2026_02_28_transaction_download_excel")
    assert (lake.root / source).is_file()
    assert str(lake.root) not in source and not Path(source).is_absolute()

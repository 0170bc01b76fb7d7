"""The Capital One format and ledger rules, in process: header, cards, amounts, overlaps."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from capitalone import statements, transactions
from common.quarantine import RejectedFile
from tests.capitalone.capitalone_lake import FEBRUARY, FIXTURES, JANUARY, export_rows

HEADER = "Transaction Date,Posted Date,Card No.,Description,Category,Debit,Credit"


def _export(tmp_path: Path, text: str, name: str = "export.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _one_row(tmp_path: Path, debit: str = "", credit: str = "", card: str = "0421") -> Path:
    return _export(
        tmp_path, f"{HEADER}\n2026-01-02,2026-01-03,{card},SPOTIFY,Music,{debit},{credit}\n"
    )


def _statement(name: str) -> pl.DataFrame:
    return transactions.typed(transactions.read_export(FIXTURES / name), name)


def test_the_header_is_found_by_name_whatever_case_spacing_bom_or_order(tmp_path: Path) -> None:
    header = "\ufeff  credit ,DEBIT,card   no,Description, category ,POSTED DATE,Transaction Date"
    path = _export(tmp_path, f"{header}\r\n5.00,,0421,REFUND,Music,2026-01-03,2026-01-02\r\n")

    rows = transactions.read_export(path)

    assert rows.columns == list(transactions.EXPORT_COLUMNS)
    assert rows.row(0) == ("2026-01-02", "2026-01-03", "0421", "REFUND", "Music", None, "5.00")


@pytest.mark.parametrize(
    "header,complaint",
    [
        ("Transaction Date,Posted Date,Card No.,Description,Category,Amount", "lacks 'Debit'"),
        (HEADER + ",Balance", "has unexpected 'Balance'"),
        (HEADER + ",Debit", "repeats 'Debit'"),
    ],
)
def test_a_wrong_header_is_rejected_naming_what_is_wrong(
    tmp_path: Path, header: str, complaint: str
) -> None:
    with pytest.raises(RejectedFile) as rejected:
        transactions.read_export(_export(tmp_path, header + "\n"))

    assert rejected.value.rule == "header"
    assert complaint in str(rejected.value)


@pytest.mark.parametrize(
    "cell",
    [
        "0421",
        "421",  # Excel re-saves the last-4 column as a number
        "4000123412340421",
        "4000 1234 1234 0421",
        "XXXX-XXXX-XXXX-0421",
        "************0421",
    ],
)
def test_a_card_number_is_cut_to_its_last_4_digits(cell: str) -> None:
    assert transactions.card_last4(cell) == "0421"


@pytest.mark.parametrize("cell", ["4.00012E+15", "40001234123404211234x", "N/A"])
def test_an_unreadable_card_number_never_shows_more_than_4_digits(cell: str) -> None:
    shown = transactions.card_last4(cell)

    assert not re.fullmatch(r"\d{4}", shown)
    assert len(re.sub(r"\D", "", shown)) <= 4


@pytest.mark.parametrize(
    "text,expected",
    [
        ("11.99", "11.99"),
        ("7", "7.00"),
        ("0.5", "0.50"),
        ("1,249.00", "1249.00"),
        ("20", "20.00"),
        ("1234.5", "1234.50"),
    ],
)
def test_amounts_become_exact_decimals(tmp_path: Path, text: str, expected: str) -> None:
    frame = transactions.typed(
        transactions.read_export(_one_row(tmp_path, debit=f'"{text}"')), "x.csv"
    )

    assert frame.schema["debit_usd"] == pl.Decimal(38, 2)
    assert frame["debit_usd"].to_list() == [Decimal(expected)]


@pytest.mark.parametrize(
    "transaction,posted",
    [("1/5/2026", "1/6/2026"), ("01/05/2026", "01/06/2026"), ("2026-01-05", "2026-01-06")],
)
def test_excel_month_first_dates_and_iso_dates_are_the_same_days(
    tmp_path: Path, transaction: str, posted: str
) -> None:
    path = _export(tmp_path, f"{HEADER}\r\n{transaction},{posted},0421,SPOTIFY,Music,20,\r\n")

    frame = transactions.typed(transactions.read_export(path), "x.csv")

    assert frame.select("transaction_date", "posted_date").row(0) == (
        date(2026, 1, 5),
        date(2026, 1, 6),
    )


@pytest.mark.parametrize("text", ["13/5/2026", "2/30/2026", "1/5/26", "5.1.2026"])
def test_a_date_that_is_not_a_us_calendar_day_is_rejected(tmp_path: Path, text: str) -> None:
    path = _export(tmp_path, f"{HEADER}\n{text},2026-01-06,0421,SPOTIFY,Music,20,\n")

    with pytest.raises(RejectedFile) as rejected:
        transactions.read_export(path)

    assert rejected.value.rule == "schema"
    assert rejected.value.details == [
        {
            "column": "Transaction Date",
            "check": "a calendar date (YYYY-MM-DD or M/D/YYYY)",
            "value": text,
            "row": 2,
        }
    ]


@pytest.mark.parametrize("text", ["12.345", "twelve", "-5.00", "1,24.00", "$5.00", "1e3"])
def test_an_amount_that_is_not_a_plain_2_decimal_number_is_rejected(
    tmp_path: Path, text: str
) -> None:
    with pytest.raises(RejectedFile) as rejected:
        transactions.read_export(_one_row(tmp_path, debit=f'"{text}"'))

    assert rejected.value.rule == "schema"
    assert rejected.value.details == [
        {
            "column": "Debit",
            "check": "an amount like 1234.56 (at most 2 decimals)",
            "value": text,
            "row": 2,
        }
    ]


@pytest.mark.parametrize("debit,credit", [("", ""), ("1.00", "1.00")])
def test_exactly_one_of_debit_and_credit_must_be_filled(
    tmp_path: Path, debit: str, credit: str
) -> None:
    with pytest.raises(RejectedFile, match="exactly one of Debit and Credit"):
        transactions.read_export(_one_row(tmp_path, debit=debit, credit=credit))


def test_a_latin1_export_is_read_with_its_accents() -> None:
    rows = transactions.read_export(FIXTURES / "2026-03-31_transaction_download_latin1.csv")

    assert "MÜLLER MUSIKHAUS" in rows["Description"].to_list()
    assert set(rows["Card No."]) == {"0421", "3377"}


def test_the_typed_rows_keep_their_source_and_collapse_description_spaces() -> None:
    frame = _statement(JANUARY)

    assert frame.columns == list(transactions.TYPED_COLUMNS)
    assert frame["source_row"].to_list() == list(range(2, frame.height + 2))
    assert "UBER *TRIP" in frame["description"].to_list()


def test_overlapping_statements_fold_into_each_transaction_once() -> None:
    january, february = _statement(JANUARY), _statement(FEBRUARY)

    ledger = statements.merge_statements([january, february])

    assert ledger.height == january.height + february.height - 11
    assert ledger.select(statements.TRANSACTION_IDENTITY).is_duplicated().sum() == 2 + 3


def test_the_fold_keeps_the_same_rows_whatever_the_order() -> None:
    january, february = _statement(JANUARY), _statement(FEBRUARY)

    def identities(frame: pl.DataFrame) -> Counter[tuple[object, ...]]:
        return Counter(frame.select(statements.TRANSACTION_IDENTITY).rows())

    assert identities(statements.merge_statements([january, february])) == identities(
        statements.merge_statements([february, january])
    )


def test_the_newer_statement_wins_the_category() -> None:
    ledger = statements.merge_statements([_statement(JANUARY), _statement(FEBRUARY)])

    splice = ledger.filter(pl.col("description") == "SPLICE.COM")
    assert splice["category"].to_list() == ["Internet"]
    assert splice["source_file"].to_list() == [FEBRUARY]


def test_statements_are_ordered_by_the_timestamp_their_raw_name_carries() -> None:
    inputs = [
        (Path("capitalone_b_20260301_100000.csv"), "march"),
        (Path("capitalone_a_20260401_080000.csv"), "april"),
        (Path("capitalone_c_20260201_093000.csv"), "february"),
    ]

    assert statements.oldest_first(inputs) == ["february", "march", "april"]


def test_curated_rows_carry_the_signed_amount_and_kind() -> None:
    curated = statements.curated_transactions(_statement(JANUARY))

    assert curated.columns == list(statements.CURATED_COLUMNS)
    assert curated.schema["amount_usd"] == pl.Decimal(38, 2)
    payment = curated.filter(pl.col("description") == "CAPITAL ONE MOBILE PYMT").row(0, named=True)
    assert (payment["amount_usd"], payment["kind"]) == (Decimal("500.00"), "credit")
    exported = export_rows(JANUARY)
    assert curated["amount_usd"].sum() == sum(
        Decimal(r["Credit"] or 0) - Decimal(r["Debit"] or 0) for r in exported
    )

"""Capital One's steps, in-process: exact money, card numbers cut, re-drops and overlaps."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from common.lake import Lake
from common.lineage import read_sources
from common.warehouse.database import make_engine
from common.warehouse.models import Expense
from tests.capitalone.capitalone_lake import (
    FEBRUARY,
    FIXTURES,
    JANUARY,
    MARCH_LATIN1,
    curated_identity,
    curated_rows,
    drop,
    export_rows,
    exports_ledger,
    files_after_landing,
    landing,
    money,
    new_lake,
    run_ok,
)
from tests.lineage_support import origin_paths
from tests.warehouse.conftest import etl

EXPORT_HEADER = "Transaction Date,Posted Date,Card No.,Description,Category,Debit,Credit"
DOWNLOADED = {
    JANUARY: datetime(2026, 2, 1, 9, 30),
    FEBRUARY: datetime(2026, 3, 1, 10, 0),
    MARCH_LATIN1: datetime(2026, 4, 1, 8, 15),
}


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Lake:
    """January (full card numbers, CRLF) and March (latin-1, masked cards) run through once."""
    lake = new_lake(tmp_path_factory.mktemp("published"))
    for fixture in (JANUARY, MARCH_LATIN1):
        drop(lake, fixture, DOWNLOADED[fixture])
    run_ok(lake)
    return lake


def _sum(values: list[Decimal | None]) -> Decimal:
    return sum((value for value in values if value is not None), Decimal(0))


def test_curated_debit_and_credit_sums_equal_the_exports_sums_exactly(published: Lake) -> None:
    exported = export_rows(JANUARY) + export_rows(MARCH_LATIN1)

    rows = curated_rows(published)

    assert len(rows) == len(exported)
    for curated_column, export_column in (("debit_usd", "Debit"), ("credit_usd", "Credit")):
        assert _sum([money(r[curated_column]) for r in rows]) == _sum(
            [money(r[export_column]) for r in exported]
        )
    assert all(re.fullmatch(r"\d+\.\d\d", r["debit_usd"] or r["credit_usd"]) for r in rows)


def test_every_exported_row_is_kept_including_same_day_duplicates(published: Lake) -> None:
    rows = curated_rows(published)

    assert Counter(curated_identity(r) for r in rows) == exports_ledger(JANUARY, MARCH_LATIN1)
    coffees = [r for r in rows if r["description"] == "BLUE BOTTLE COFFEE"]
    assert len(coffees) == 2


def test_amount_is_credit_minus_debit_and_kind_says_which(published: Lake) -> None:
    for row in curated_rows(published):
        debit, credit = money(row["debit_usd"]), money(row["credit_usd"])
        assert Decimal(row["amount_usd"]) == (credit or 0) - (debit or 0)
        assert row["kind"] == ("expense" if debit is not None else "credit")
        assert row["source_file"].startswith("2_raw/capitalone/capitalone_2026_0")
        assert int(row["source_row"]) >= 2


def test_no_full_card_number_leaves_landing(published: Lake) -> None:
    full_numbers = {
        re.sub(r"\D", "", row["Card No."])
        for fixture in (JANUARY, MARCH_LATIN1)
        for row in export_rows(fixture)
    } - {""}
    assert any(len(number) == 16 for number in full_numbers)
    written = files_after_landing(published)
    logs = {p.name: p.read_bytes() for p in published.logs.rglob("*") if p.is_file()}

    for name, content in {**written, **logs}.items():
        digits_only = re.sub(rb"\D", b"", content)
        for number in full_numbers:
            if len(number) > 4:
                assert number.encode() not in digits_only, name
    assert {r["card_last4"] for r in curated_rows(published)} == {"0421", "3377"}


def test_raw_is_a_utf8_lf_csv_with_the_export_header_and_the_accents(published: Lake) -> None:
    raw = {p.name: p.read_bytes() for p in (published.zone("2_raw") / "capitalone").glob("*.csv")}

    assert len(raw) == 2
    for content in raw.values():
        assert content.startswith(EXPORT_HEADER.encode() + b"\n")
        assert b"\r" not in content
        content.decode("utf-8")
    latin1 = next(c for n, c in raw.items() if "latin1" in n).decode("utf-8")
    assert "CAFÉ GRATITUDE" in latin1 and "MÜLLER MUSIKHAUS" in latin1
    assert {"CAFÉ GRATITUDE, VENICE", "JOSÉ'S TACOS"} <= {
        r["description"] for r in curated_rows(published)
    }


def test_landing_files_are_left_as_dropped(published: Lake) -> None:
    for fixture in (JANUARY, MARCH_LATIN1):
        assert (landing(published) / fixture).read_bytes() == (FIXTURES / fixture).read_bytes()


def test_the_same_file_dropped_again_changes_nothing(tmp_path: Path) -> None:
    lake = new_lake(tmp_path)
    drop(lake, JANUARY, DOWNLOADED[JANUARY])
    run_ok(lake)
    before = files_after_landing(lake)
    again = landing(lake) / "2026-01-31_transaction_download (1).csv"
    again.write_bytes((FIXTURES / JANUARY).read_bytes())

    run_ok(lake)

    assert files_after_landing(lake) == before
    assert not any(lake.zone("5_archive").rglob("*.csv"))


def test_an_overlapping_newer_statement_neither_doubles_nor_loses_rows(tmp_path: Path) -> None:
    lake = new_lake(tmp_path)
    drop(lake, JANUARY, DOWNLOADED[JANUARY])
    run_ok(lake)
    drop(lake, FEBRUARY, DOWNLOADED[FEBRUARY])

    run_ok(lake)

    rows = curated_rows(lake)
    expected = exports_ledger(JANUARY, FEBRUARY)
    overlap = len(export_rows(JANUARY)) + len(export_rows(FEBRUARY)) - sum(expected.values())
    assert overlap == 11
    assert Counter(curated_identity(r) for r in rows) == expected
    assert _sum([money(r["debit_usd"]) for r in rows]) == _sum(
        [identity[4] for identity in expected.elements()]
    )
    splice = [r for r in rows if r["description"] == "SPLICE.COM"]
    assert [r["category"] for r in splice] == ["Internet"]
    assert [p.name for p in lake.zone("5_archive").rglob("capitalone_transactions_*.csv")]


def test_the_drop_order_does_not_change_the_ledger(tmp_path: Path) -> None:
    lake = new_lake(tmp_path)
    drop(lake, FEBRUARY, DOWNLOADED[FEBRUARY])
    run_ok(lake)
    drop(lake, JANUARY, DOWNLOADED[JANUARY])

    run_ok(lake)

    rows = curated_rows(lake)
    assert Counter(curated_identity(r) for r in rows) == exports_ledger(JANUARY, FEBRUARY)
    assert [r["category"] for r in rows if r["description"] == "SPLICE.COM"] == ["Internet"]


def test_rows_name_their_statement_by_a_short_id_the_warehouse_maps_back(tmp_path: Path) -> None:
    lake = new_lake(tmp_path / "lake")
    for fixture in (JANUARY, FEBRUARY):
        drop(lake, fixture, DOWNLOADED[fixture])
    run_ok(lake)
    curated = lake.zone("4_curated") / "capitalone_transactions.csv"
    header = curated.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[-2:] == ["source_id", "source_row"]
    raw = set(read_sources(curated).values())
    assert raw and all(p.startswith("2_raw/capitalone/") for p in raw)

    loaded = etl(lake, env={"WAREHOUSE_URL": f"sqlite:///{tmp_path / 'warehouse.db'}"})

    assert loaded.returncode == 0, loaded.stderr
    with make_engine(f"sqlite:///{tmp_path / 'warehouse.db'}").connect() as connection:
        origins = origin_paths(connection, Expense)
    assert origins == {row["source_file"] for row in curated_rows(lake)} == raw

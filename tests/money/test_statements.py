"""Royalty statements end to end on small warehouses: recoupment over periods, closed periods
reproduced byte for byte, late corrections, Team Percentage, carried and negative balances."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from common.lake import Lake
from common.money.statement_command import statements_command
from tests.money.builders import (
    ISRC,
    UPC,
    add_ad_days,
    add_card_rows,
    add_lines,
    make_lake,
    remove_lines,
)

TODAY = date(2026, 6, 1)


@pytest.fixture(autouse=True)
def _own_warehouse(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("WAREHOUSE_URL", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    yield


def _splits(**extra: Any) -> dict[str, Any]:
    return {
        "minimum_payout_usd": "25.00",
        "payees": [{"name": "Zone A0", "email": "zone@example.com"}],
        "shares": [{"payee": "Zone A0", "artist": "zone.a0", "percent": "50"}],
        **extra,
    }


def _summary(lake: Lake, period: str) -> dict[str, dict[str, str]]:
    text = (lake.zone("4_curated") / "statements" / period / "summary.csv").read_text("utf-8")
    return {row["payee"]: row for row in csv.DictReader(io.StringIO(text))}


def _run(lake: Lake, period: str, issue: bool = False) -> int:
    return statements_command(lake, period, issue=issue, today=TODAY)


def test_an_advance_is_recouped_over_two_periods_with_the_balance_carried(tmp_path: Path) -> None:
    advance = {"payee": "Zone A0", "amount_usd": "100", "date": "2025-01-10"}
    lake, engine = make_lake(tmp_path / "lake", _splits(advances=[advance]))
    add_lines(engine, "bank1.csv", [("2025-02-25", "120.00", 1000), ("2025-05-25", "160", 900)])

    assert _run(lake, "2025-Q1", issue=True) == 0
    first = _summary(lake, "2025-Q1")["Zone A0"]
    assert (first["royalty_usd"], first["costs_usd"], first["closing_usd"]) == (
        "60.00",
        "100.00",
        "-40.00",
    )
    assert first["payable_usd"] == "0.00" and first["carried_usd"] == "-40.00"

    assert _run(lake, "2025-Q2", issue=True) == 0
    second = _summary(lake, "2025-Q2")["Zone A0"]
    assert second["opening_usd"] == "-40.00"
    assert second["recouped_usd"] == "40.00"
    assert (second["closing_usd"], second["payable_usd"]) == ("40.00", "40.00")


@pytest.mark.parametrize(
    ("edited", "costs", "payable"),
    [
        ({"note": "mastering (EP)"}, "0.00", "90.00"),  # a note corrected: charged once
        ({"amount_usd": "70"}, "10.00", "80.00"),  # an amount corrected: the difference
    ],
)
def test_an_advance_edited_after_its_period_was_issued_is_not_charged_again(
    tmp_path: Path, edited: dict[str, str], costs: str, payable: str
) -> None:
    advance = {"payee": "Zone A0", "amount_usd": "60", "date": "2025-03-01", "note": "mastering"}
    lake, engine = make_lake(tmp_path / "lake", _splits(advances=[advance], minimum_payout_usd="0"))
    add_lines(engine, "bank1.csv", [("2025-02-25", "100.00", 1000), ("2025-05-25", "200", 900)])
    assert _run(lake, "2025-Q1", issue=True) == 0
    splits = _splits(advances=[{**advance, **edited}], minimum_payout_usd="0")
    (lake.root / "config" / "splits.json").write_text(json.dumps(splits), encoding="utf-8")

    assert _run(lake, "2025-Q2") == 0

    first, second = _summary(lake, "2025-Q1")["Zone A0"], _summary(lake, "2025-Q2")["Zone A0"]
    assert (first["costs_usd"], first["closing_usd"]) == ("60.00", "-10.00")
    assert (second["costs_usd"], second["payable_usd"]) == (costs, payable)


def test_a_recoupable_card_cost_is_its_debits_less_their_refunds(tmp_path: Path) -> None:
    rule = {"payee": "Zone A0", "rule": {"expense_contains": "studio", "category": "Music"}}
    lake, engine = make_lake(tmp_path / "lake", _splits(recoupable_costs=[rule]))
    add_lines(engine, "bank1.csv", [("2025-02-25", "300.00", 1000)])
    add_card_rows(
        engine,
        [
            ("2025-01-12", "SUNSET STUDIO LA", "Music", "200.00", ""),
            ("2025-01-20", "SUNSET STUDIO LA", "Music", "", "50.00"),  # a session refunded
            ("2025-01-21", "STUDIO CITY DINER", "Dining", "30.00", ""),  # another category
            ("2025-01-31", "CAPITAL ONE MOBILE PYMT", "Payment/Credit", "", "230.00"),
        ],
    )

    assert _run(lake, "2025-Q1") == 0
    first = _summary(lake, "2025-Q1")["Zone A0"]
    assert (first["royalty_usd"], first["costs_usd"], first["closing_usd"]) == (
        "150.00",
        "150.00",
        "0.00",
    )


def test_a_rule_added_or_reworded_after_an_issue_charges_from_the_first_open_period(
    tmp_path: Path,
) -> None:
    lake, engine = make_lake(tmp_path / "lake", _splits(minimum_payout_usd="0"))
    add_lines(engine, "bank1.csv", [("2025-02-25", "300.00", 1000), ("2025-05-25", "200", 900)])
    add_card_rows(
        engine,
        [
            ("2024-06-03", "BIG STUDIO LLC", "Music", "100.00", ""),  # long before any statement
            ("2025-05-03", "BIG STUDIO LLC", "Music", "10.00", ""),
        ],
    )
    assert _run(lake, "2025-Q1", issue=True) == 0
    rule = {"payee": "Zone A0", "rule": {"expense_contains": "studio"}}
    splits = _splits(recoupable_costs=[rule], minimum_payout_usd="0")
    (lake.root / "config" / "splits.json").write_text(json.dumps(splits), encoding="utf-8")
    assert _run(lake, "2025-Q2", issue=True) == 0
    reworded = {"payee": "Zone A0", "rule": {"expense_contains": "STUDIO", "category": "Music"}}
    splits = _splits(recoupable_costs=[reworded], minimum_payout_usd="0")
    (lake.root / "config" / "splits.json").write_text(json.dumps(splits), encoding="utf-8")
    add_lines(engine, "bank2.csv", [("2025-08-25", "50.00", 100)])

    assert _run(lake, "2025-Q3") == 0

    assert _summary(lake, "2025-Q2")["Zone A0"]["costs_usd"] == "10.00"  # not the 2024 charge
    assert _summary(lake, "2025-Q3")["Zone A0"]["costs_usd"] == "0.00"  # nothing charged again


def test_meta_spend_charged_before_and_now_left_out_of_dollars_is_not_paid_back(
    tmp_path: Path,
) -> None:
    """A warehouse of before migration 15 counted an account's euros as dollars; issued
    statements recouped them. The upgrade leaves them out of v_ad_spend: not a refund."""
    rule = {"payee": "Zone A0", "rule": {"campaign_artist": "ZONE A0"}}
    lake, engine = make_lake(
        tmp_path / "lake", _splits(recoupable_costs=[rule], minimum_payout_usd="0")
    )
    add_lines(engine, "bank1.csv", [("2025-02-25", "300.00", 1000), ("2025-05-25", "200", 900)])
    add_ad_days(engine, "ZONE A0", [("2025-02-03", "40.00", "USD"), ("2025-05-03", "5.00", "USD")])
    assert _run(lake, "2025-Q1", issue=True) == 0
    with engine.begin() as connection:
        connection.execute(text("UPDATE ad_performance_daily SET currency = 'EUR'"))
        connection.execute(text("UPDATE ad_performance_daily SET currency = 'USD' "
                                "WHERE performance_date = '2025-05-03'"))  # fmt: skip

    assert _run(lake, "2025-Q2") == 0

    assert _summary(lake, "2025-Q1")["Zone A0"]["costs_usd"] == "40.00"
    assert _summary(lake, "2025-Q2")["Zone A0"]["costs_usd"] == "5.00"  # never -35.00


def test_a_rule_reworded_beside_a_fixed_cost_of_its_day_corrects_nothing(tmp_path: Path) -> None:
    """A rule's charge and a fixed cost on one payee and day: rewording the rule never makes
    its earlier charge look like part of the fixed cost (a negative correction)."""
    cost = {
        "payee": "Zone A0",
        "amount_usd": "100",
        "date": "2025-03-31",
        "description": "Mastering",
    }
    rule = {"payee": "Zone A0", "rule": {"expense_contains": "studio"}}
    splits = _splits(recoupable_costs=[cost, rule], minimum_payout_usd="0")
    lake, engine = make_lake(tmp_path / "lake", splits)
    add_lines(engine, "bank1.csv", [("2025-02-25", "400.00", 1000), ("2025-05-25", "400", 900)])
    add_card_rows(engine, [("2025-03-10", "BIG STUDIO LLC", "Music", "50.00", "")])
    assert _run(lake, "2025-Q1", issue=True) == 0
    reworded = {"payee": "Zone A0", "rule": {"expense_contains": "studio", "category": "Music"}}
    splits = _splits(recoupable_costs=[cost, reworded], minimum_payout_usd="0")
    (lake.root / "config" / "splits.json").write_text(json.dumps(splits), encoding="utf-8")

    assert _run(lake, "2025-Q2") == 0

    assert _summary(lake, "2025-Q1")["Zone A0"]["costs_usd"] == "150.00"
    assert _summary(lake, "2025-Q2")["Zone A0"]["costs_usd"] == "0.00"


def test_a_fixed_cost_whose_note_ends_in_dates_is_charged_once(tmp_path: Path) -> None:
    cost = {"payee": "Zone A0", "amount_usd": "50", "date": "2025-03-31",
            "description": "Studio rent, 2025-01-01 to 2025-03-31"}  # fmt: skip
    splits = _splits(recoupable_costs=[cost], minimum_payout_usd="0")
    lake, engine = make_lake(tmp_path / "lake", splits)
    add_lines(engine, "bank1.csv", [("2025-02-25", "300.00", 1000), ("2025-05-25", "200", 900)])
    assert _run(lake, "2025-Q1", issue=True) == 0

    assert _run(lake, "2025-Q2") == 0

    assert _summary(lake, "2025-Q1")["Zone A0"]["costs_usd"] == "50.00"
    assert _summary(lake, "2025-Q2")["Zone A0"]["costs_usd"] == "0.00"


def test_a_closed_period_is_rewritten_byte_for_byte_and_a_late_line_lands_in_the_next(
    tmp_path: Path,
) -> None:
    lake, engine = make_lake(tmp_path / "lake", _splits())
    add_lines(engine, "bank1.csv", [("2025-08-14", "80.00", 500)])
    assert _run(lake, "2025-Q3", issue=True) == 0
    folder = lake.zone("4_curated") / "statements" / "2025-Q3"
    issued = {path.name: path.read_bytes() for path in folder.iterdir()}
    # A later export revises the closed quarter: one more line, and the first line dropped.
    remove_lines(engine, "bank1.csv")
    add_lines(engine, "bank2.csv", [("2025-08-14", "10.00", 50), ("2025-10-25", "20.00", 90)])
    for path in folder.iterdir():
        path.unlink()

    assert _run(lake, "2025-Q3") == 0
    assert {path.name: path.read_bytes() for path in folder.iterdir()} == issued
    assert _run(lake, "2025-Q4") == 0

    lines = (lake.zone("4_curated") / "statements" / "2025-Q4" / "zone_a0.csv").read_text("utf-8")
    rows = list(csv.DictReader(io.StringIO(lines)))
    notes = {row["note"]: row["royalty_usd"] for row in rows}
    assert notes["adjustment: reported 2025-08-14, after 2025-Q3 was issued"] == "5.00"
    reversed_note = "adjustment: reversed, reported 2025-08-14 and paid in 2025-Q3, no longer in"
    assert notes[reversed_note + " the exports"] == "-40.00"
    assert notes[""] == "10.00"
    assert _summary(lake, "2025-Q4")["Zone A0"]["royalty_usd"] == "-25.00"
    assert "DRAFT" in (folder.parent / "2025-Q4" / "zone_a0.html").read_text("utf-8")


def test_a_line_reversed_once_is_never_reversed_again_however_often_the_export_is_downloaded(
    tmp_path: Path,
) -> None:
    """Each quarter's export holds the whole history again (a new file: every line it replaces
    is reversed and booked again from the new file, netting to 0); a line reversed in an issued
    period is settled, and no later period reverses it a second time, zero lines included."""
    lake, engine = make_lake(tmp_path / "lake", _splits(minimum_payout_usd="0"))
    history = [("2025-02-10", "10.00", 100), ("2025-03-10", "20.00", 100), ("2025-03-12", "0", 0)]
    add_lines(engine, "bank1.csv", history)
    assert _run(lake, "2025-Q1", issue=True) == 0
    history.append(("2025-05-10", "6.00", 10))
    remove_lines(engine, "bank1.csv")
    add_lines(engine, "bank2.csv", history)
    assert _run(lake, "2025-Q2", issue=True) == 0
    history.append(("2025-08-10", "8.00", 10))
    remove_lines(engine, "bank2.csv")
    add_lines(engine, "bank3.csv", history)
    assert _run(lake, "2025-Q3", issue=True) == 0
    remove_lines(engine, "bank3.csv")
    add_lines(engine, "bank4.csv", history)
    assert _run(lake, "2025-Q4") == 0

    royalties = [_summary(lake, f"2025-Q{n}")["Zone A0"]["royalty_usd"] for n in (1, 2, 3, 4)]
    assert royalties == ["15.00", "3.00", "4.00", "0.00"]
    lines = (lake.zone("4_curated") / "statements" / "2025-Q4" / "zone_a0.csv").read_text("utf-8")
    reversals = [row for row in csv.DictReader(io.StringIO(lines)) if "reversed" in row["note"]]
    assert len(reversals) == len(history)  # bank3's lines, each reversed once


def test_a_line_reversed_twice_by_the_earlier_release_is_given_back_once(tmp_path: Path) -> None:
    """Statements issued before the reversal fix could take a line back twice (a second
    reversal row), and a zero line's reversal was stored as a late line: the next statement
    gives the line back once, and counts the zero line's rows as the reversal they were."""
    lake, engine = make_lake(tmp_path / "lake", _splits(minimum_payout_usd="0"))
    history = [("2025-02-10", "10.00", 100), ("2025-03-12", "0", 3)]
    add_lines(engine, "bank1.csv", history)
    assert _run(lake, "2025-Q1", issue=True) == 0
    remove_lines(engine, "bank1.csv")
    add_lines(engine, "bank2.csv", history + [("2025-05-10", "6.00", 10)])
    assert _run(lake, "2025-Q2", issue=True) == 0
    columns = (
        "period, origin_file, origin_row, reporting_date, earnings_picousd, quantity, "
        "sale_month, store, territory, isrc, upc, title, artist_ids"
    )
    with engine.begin() as connection:  # what the earlier release wrote
        connection.execute(text(
            "UPDATE statement_lines SET kind = 'late' WHERE quantity < 0 AND earnings_picousd = 0"
        ))  # fmt: skip
        connection.execute(text(
            f"INSERT INTO statement_lines (kind, {columns}) SELECT kind, {columns} "
            "FROM statement_lines WHERE kind = 'reversal' AND earnings_picousd <> 0"
        ))  # fmt: skip
    add_lines(engine, "bank3.csv", [("2025-08-10", "8.00", 10)])

    assert _run(lake, "2025-Q3") == 0

    third = _summary(lake, "2025-Q3")["Zone A0"]
    assert third["royalty_usd"] == "9.00"  # 8 × 50 %, and the 10.00 line taken twice given back
    lines = (lake.zone("4_curated") / "statements" / "2025-Q3" / "zone_a0.csv").read_text("utf-8")
    notes = [row["note"] for row in csv.DictReader(io.StringIO(lines)) if row["note"]]
    assert [note.split(",")[0] for note in notes] == ["adjustment: restored"], notes


def test_a_late_line_of_no_money_and_negative_quantity_is_used_once(tmp_path: Path) -> None:
    lake, engine = make_lake(tmp_path / "lake", _splits(minimum_payout_usd="0"))
    add_lines(engine, "bank1.csv", [("2025-02-10", "10.00", 100)])
    assert _run(lake, "2025-Q1", issue=True) == 0
    add_lines(engine, "bank2.csv", [("2025-02-20", "0", -1), ("2025-05-10", "6.00", 10)])
    assert _run(lake, "2025-Q2", issue=True) == 0
    add_lines(engine, "bank3.csv", [("2025-08-10", "8.00", 10)])

    assert _run(lake, "2025-Q3") == 0

    lines = (lake.zone("4_curated") / "statements" / "2025-Q3" / "zone_a0.csv").read_text("utf-8")
    assert [row["note"] for row in csv.DictReader(io.StringIO(lines)) if row["note"]] == []


def test_team_percentage_below_100_is_not_deducted_again(tmp_path: Path) -> None:
    splits = _splits(shares=[{"payee": "Zone A0", "isrc": ISRC, "percent": "100"}])
    lake, engine = make_lake(tmp_path / "lake", splits)
    add_lines(engine, "bank1.csv", [("2025-02-25", "30.00", 10_000)], team_percentage="50")

    assert _run(lake, "2025-Q1") == 0

    row = _summary(lake, "2025-Q1")["Zone A0"]
    assert row["royalty_usd"] == "30.00"  # the reported earnings, already net of the team split


def test_an_artist_share_written_in_two_spellings_is_one_share_that_changes(
    tmp_path: Path,
) -> None:
    shares = [
        {"payee": "Zone A0", "artist": "ZONE A0", "percent": "50"},
        {"payee": "Zone A0", "artist": "zone.a0", "percent": "40", "from": "2025-08-01"},
    ]
    lake, engine = make_lake(tmp_path / "lake", _splits(shares=shares, minimum_payout_usd="0"))
    add_lines(engine, "bank1.csv", [("2025-07-10", "100.00", 10), ("2025-08-10", "100.00", 10)])

    assert _run(lake, "2025-Q3") == 0

    assert _summary(lake, "2025-Q3")["Zone A0"]["royalty_usd"] == "90.00"  # 50 + 40, not 50 + 90


def test_a_share_naming_an_artist_or_track_the_warehouse_does_not_know_is_warned_about(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shares = [
        {"payee": "Zone A0", "artist": "ZONE AO", "percent": "50"},  # the letter O
        {"payee": "Zone A0", "isrc": "QZHZ12599999", "percent": "50"},
    ]
    lake, engine = make_lake(tmp_path / "lake", _splits(shares=shares))
    add_lines(engine, "bank1.csv", [("2025-07-10", "100.00", 10)])

    assert _run(lake, "2025-Q3") == 0

    printed = " ".join(capsys.readouterr().out.split())
    assert "share of artist 'ZONE AO' (payee Zone A0) matches no artist" in printed
    assert "share of isrc QZHZ12599999 (payee Zone A0) matches no royalty line" in printed


def test_a_song_line_without_its_upc_takes_the_share_of_its_tracks_release(
    tmp_path: Path,
) -> None:
    splits = _splits(
        payees=[{"name": "Zone A0"}, {"name": "Partner"}],
        shares=[
            {"payee": "Zone A0", "artist": "zone.a0", "percent": "70"},
            {"payee": "Partner", "upc": UPC, "percent": "40"},
        ],
        minimum_payout_usd="0",
    )
    lake, engine = make_lake(tmp_path / "lake", splits)
    add_lines(engine, "bank1.csv", [("2025-02-10", "10.00", 10)])
    add_lines(engine, "bank2.csv", [("2025-02-11", "1.00", 1)], line_upc=False)

    assert _run(lake, "2025-Q1") == 0

    summary = _summary(lake, "2025-Q1")
    assert summary["Partner"]["royalty_usd"] == "4.40"  # 40 % of both lines
    assert "Zone A0" not in summary or summary["Zone A0"]["royalty_usd"] == "0.00"


def test_a_negative_balance_is_carried_as_unrecouped_and_never_paid(tmp_path: Path) -> None:
    lake, engine = make_lake(tmp_path / "lake", _splits(minimum_payout_usd="0"))
    add_lines(engine, "bank1.csv", [("2025-02-25", "-12.00", 0), ("2025-05-25", "100", 9)])

    assert _run(lake, "2025-Q1", issue=True) == 0
    assert _run(lake, "2025-Q2") == 0

    first, second = _summary(lake, "2025-Q1")["Zone A0"], _summary(lake, "2025-Q2")["Zone A0"]
    assert (first["closing_usd"], first["payable_usd"], first["carried_usd"]) == (
        "-6.00",
        "0.00",
        "-6.00",
    )
    assert (second["opening_usd"], second["payable_usd"]) == ("-6.00", "44.00")


def test_a_balance_below_the_minimum_payout_is_carried_until_it_reaches_it(
    tmp_path: Path,
) -> None:
    lake, engine = make_lake(tmp_path / "lake", _splits())
    add_lines(engine, "bank1.csv", [("2025-02-25", "30.00", 10), ("2025-05-25", "30.00", 10)])

    assert _run(lake, "2025-Q1", issue=True) == 0
    assert _run(lake, "2025-Q2") == 0

    first, second = _summary(lake, "2025-Q1")["Zone A0"], _summary(lake, "2025-Q2")["Zone A0"]
    assert (first["closing_usd"], first["payable_usd"], first["carried_usd"]) == (
        "15.00",
        "0.00",
        "15.00",
    )
    assert (second["closing_usd"], second["payable_usd"]) == ("30.00", "30.00")


def test_periods_are_issued_in_order_and_only_once_ended(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lake, engine = make_lake(tmp_path / "lake", _splits())
    add_lines(engine, "bank1.csv", [("2025-02-25", "30.00", 10), ("2026-05-25", "30.00", 10)])

    assert _run(lake, "2025-Q2", issue=True) == 2
    assert "bedrot statements --period 2025-Q1 --issue" in capsys.readouterr().out
    assert _run(lake, "2026-Q2", issue=True) == 2
    assert "only once it has ended" in capsys.readouterr().out
    # A draft of a later period carries the earlier periods' balances without issuing them.
    assert _run(lake, "2025-Q2") == 0
    assert _summary(lake, "2025-Q2")["Zone A0"]["opening_usd"] == "15.00"


def test_a_share_change_inside_a_period_splits_its_lines_by_reporting_date(
    tmp_path: Path,
) -> None:
    shares = [
        {"payee": "Zone A0", "isrc": ISRC, "percent": "50"},
        {"payee": "Zone A0", "isrc": ISRC, "percent": "80", "from": "2025-08-01"},
    ]
    lake, engine = make_lake(tmp_path / "lake", _splits(shares=shares))
    add_lines(engine, "bank1.csv", [("2025-07-25", "10.00", 5), ("2025-08-25", "10.00", 5)])

    assert _run(lake, "2025-Q3") == 0

    assert _summary(lake, "2025-Q3")["Zone A0"]["royalty_usd"] == "13.00"
    lines = (lake.zone("4_curated") / "statements" / "2025-Q3" / "zone_a0.csv").read_text("utf-8")
    shares_seen = {
        row["share_percent"]: row["royalty_usd"] for row in csv.DictReader(io.StringIO(lines))
    }
    assert shares_seen == {"50": "5.00", "80": "8.00"}
    assert _summary(lake, "2025-Q3")["label share"]["royalty_usd"] == "7.00"


def test_without_payees_the_command_says_there_is_nothing_to_state(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lake, _ = make_lake(tmp_path / "lake", None)

    assert _run(lake, "2025-Q1") == 2
    assert "lists no payees" in capsys.readouterr().out
    assert Decimal(0) == 0


def test_a_title_a_spreadsheet_would_run_is_written_as_text_and_amounts_keep_their_sign(
    tmp_path: Path,
) -> None:
    formula = '=HYPERLINK("http://attacker.example","click")'
    lake, engine = make_lake(tmp_path / "lake", _splits())
    add_lines(engine, "2_raw/distrokid/a.tsv", [("2025-07-14", "10.00", 100)], title=formula)
    add_lines(
        engine, "2_raw/distrokid/b.tsv", [("2025-07-20", "-4.00", 5)], isrc="QZHZ12500002",
        title="-Minus Song",
    )  # fmt: skip
    engine.dispose()

    assert _run(lake, "2025-Q3") == 0

    folder = lake.zone("4_curated") / "statements" / "2025-Q3"
    lines = list(csv.DictReader(io.StringIO((folder / "zone_a0.csv").read_text("utf-8"))))
    titles = {row["track"] for row in lines}
    assert titles == {"'" + formula, "'-Minus Song"}
    assert {row["gross_usd"] for row in lines} == {"10", "-4"}
    for path in folder.glob("*.csv"):
        for row in csv.reader(io.StringIO(path.read_text("utf-8"))):
            assert not any(cell.startswith(("=", "+", "@")) for cell in row), (path.name, row)

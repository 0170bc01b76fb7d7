"""Exact shares: payees plus label equal the period's royalties to the cent for any splits, each
statement's lines add up to its total, and every mistake in splits.json is one clear sentence."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from common.money.allocation import to_cents
from common.money.splits import Payee, Share, Splits, SplitsConfigError, parse_splits
from common.money.statement_inputs import RoyaltyItem
from common.money.statement_periods import parse_period
from common.money.statements import Balance, ShareBook, compute_period

ISRCS = ("QZHZ12500001", "QZHZ12500002", "QZHZ12500003")
percents = st.decimals(min_value=0, max_value=100, places=3)
amounts = st.decimals(min_value=Decimal("-5"), max_value=Decimal("50"), places=12)


@settings(max_examples=150, deadline=None)
@given(
    shares=st.lists(st.tuples(st.sampled_from(ISRCS), percents), min_size=1, max_size=6),
    lines=st.lists(st.tuples(st.sampled_from(ISRCS), amounts), min_size=1, max_size=40),
)
def test_payees_plus_label_equal_the_period_royalties_and_lines_add_up(
    shares: list[tuple[str, Decimal]], lines: list[tuple[str, Decimal]]
) -> None:
    payees = tuple(Payee(f"payee {index}") for index in range(len(shares)))
    held: dict[str, Decimal] = {}
    kept = []
    for payee, (isrc, percent) in zip(payees, shares):
        percent = min(percent, Decimal(100) - held.get(isrc, Decimal(0)))
        held[isrc] = held.get(isrc, Decimal(0)) + percent
        kept.append(Share(payee.name, "isrc", isrc, percent))
    splits = Splits(payees, tuple(kept), minimum_payout=Decimal(0))
    items = [
        RoyaltyItem(
            "f.csv",
            row,
            date(2025, 8, 25),
            "2025-06",
            "Spotify",
            "US",
            isrc,
            "",
            isrc,
            frozenset(),
            1,
            amount,
        )
        for row, (isrc, amount) in enumerate(lines)
    ]
    result = compute_period(
        parse_period("2025-Q3"),
        None,
        items,
        splits,
        ShareBook(kept, lambda _: frozenset()),
        {},
        [],
    )

    assert result.total == to_cents(sum((item.earnings for item in items), Decimal(0)))
    assert sum((s.royalty for s in result.statements), result.label) == result.total
    for statement in result.statements:
        assert sum((row.royalty for row in statement.rows), Decimal(0)) == statement.royalty
        assert all(row.royalty == row.royalty.quantize(Decimal("0.01")) for row in statement.rows)


def test_three_equal_thirds_of_a_dollar_lose_no_cent() -> None:
    payees = (Payee("a"), Payee("b"), Payee("c"))
    kept = tuple(Share(p.name, "isrc", ISRCS[0], Decimal("33.333")) for p in payees)
    item = RoyaltyItem(
        "f.csv",
        1,
        date(2025, 8, 25),
        "2025-06",
        "Spotify",
        "US",
        ISRCS[0],
        "",
        "t",
        frozenset(),
        1,
        Decimal("1.00"),
    )
    balances: dict[str, Balance] = {}
    result = compute_period(
        parse_period("2025-08"),
        None,
        [item],
        Splits(payees, kept),
        ShareBook(kept, lambda _: frozenset()),
        balances,
        [],
    )

    assert [s.royalty for s in result.statements] == [
        Decimal("0.34"),
        Decimal("0.33"),
        Decimal("0.33"),
    ]
    assert result.label == Decimal("0.00")


def _problems(document: dict[str, Any]) -> list[str]:
    with pytest.raises(SplitsConfigError) as raised:
        parse_splits(document)
    return raised.value.problems


def test_every_mistake_in_splits_json_is_one_sentence() -> None:
    problems = _problems(
        {
            "payees": [{"name": "ZONE A0"}],
            "shares": [
                {"payee": "Zone A", "isrc": "QZHZ12500001", "percent": "50"},
                {"payee": "ZONE A0", "isrc": "QZHZ12500001", "upc": "1", "percent": "50"},
                {"payee": "ZONE A0", "artist": "ZONE A0", "percent": "150"},
                {"payee": "ZONE A0", "upc": "198753115192", "percent": "60", "from": "2025-13-01"},
            ],
            "advances": [{"payee": "ZONE A0", "amount_usd": "lots", "date": "2025-01-10"}],
        }
    )

    assert problems == [
        "shares entry 1: payee 'Zone A' is not listed under \"payees\" (listed: ZONE A0); add it"
        " there or correct the spelling.",
        'shares entry 2 must name exactly one of "isrc", "upc" or "artist" (it has "isrc" and '
        '"upc"); write one entry per track, release or artist.',
        'shares entry 3: percent 150 is outside 0–100; write the payee\'s share, e.g. "50".',
        "shares entry 4: \"from\" is '2025-13-01', not a date; write it as YYYY-MM-DD, e.g. "
        '"2025-08-01".',
        'advances entry 1: "amount_usd" is \'lots\', not an amount; write it like "1500.00".',
    ]


def test_an_isrc_or_upc_that_cannot_be_one_is_refused_and_hyphens_are_read() -> None:
    problems = _problems(
        {
            "payees": [{"name": "A"}],
            "shares": [
                {"payee": "A", "isrc": "QZHZ1250001", "percent": "50"},  # a digit short
                {"payee": "A", "upc": "19875311519X", "percent": "50"},
            ],
        }
    )
    splits = parse_splits(
        {
            "payees": [{"name": "A"}],
            "shares": [{"payee": "A", "isrc": "qz-hz1-25-00001", "percent": "5"}],
        }
    )

    assert problems == [
        "shares entry 1: 'QZHZ1250001' is not an ISRC (2 letters, 3 letters or digits, 7 "
        'digits: 12 characters, e.g. "QZHZ12500001").',
        "shares entry 2: '19875311519X' is not a UPC (12 to 14 digits, e.g. \"198753115192\").",
    ]
    assert splits.shares[0].key == "QZHZ12500001"


def test_shares_of_one_track_above_100_percent_on_a_date_are_refused() -> None:
    problems = _problems(
        {
            "payees": [{"name": "A"}, {"name": "B"}],
            "shares": [
                {"payee": "A", "isrc": "QZHZ12500001", "percent": "50"},
                {"payee": "B", "isrc": "QZHZ12500001", "percent": "40"},
                {"payee": "B", "isrc": "QZHZ12500001", "percent": "60", "from": "2025-08-01"},
            ],
        }
    )

    assert problems == [
        "The shares of isrc QZHZ12500001 from 2025-08-01 add up to 110 %, above 100 %; lower "
        "them so the label keeps the remainder."
    ]

"""Overlapping Capital One statements folded into one ledger, and the ledger's curated form.

The rule. A transaction is identified by what the bank prints about it: (transaction date,
posted date, card's last 4, description with spaces collapsed, debit, credit), compared as typed
values (so "6.5" and "6.50", a full and a masked card number, are the same), plus its occurrence
index: the n-th row with that identity *within its own file*. Statements are folded oldest first;
a row whose (identity, occurrence) is already in the ledger replaces it (the newer download's
category and source win), any other row is added.

So the ledger holds each identity as many times as the statement that shows it most often:
two identical coffees on one day stay two (they are two rows of one file), and the same two
coffees seen again in an overlapping download do not become four. Nothing is ever dropped.

Why not "the newer file replaces every row in the posted-date range it covers"? That rule loses
rows at the edges of a download: when the range is chosen by transaction date (or downloaded
before the day's postings are complete, or the file was trimmed), a purchase made just before the
newer range but posted inside it is in the older file only, and range replacement would delete
it. Posted card transactions are not rewritten by the bank (corrections arrive as new rows, e.g. a
refund credit), so identity matching never needs to delete, and the order in which files were
dropped does not change which rows the ledger holds. Should the bank ever reword a posted row,
both wordings are kept: a visible near-duplicate to fix by hand, never a silently lost expense.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TypeVar

import polars as pl

from capitalone.transactions import MONEY, empty_typed
from common.zones import timestamp_from_name

TRANSACTION_IDENTITY = (
    "transaction_date",
    "posted_date",
    "card_last4",
    "description",
    "debit_usd",
    "credit_usd",
)
LEDGER_ORDER = (*TRANSACTION_IDENTITY, "source_file", "source_row")
CURATED_COLUMNS = (
    "transaction_date",
    "posted_date",
    "card_last4",
    "description",
    "category",
    "debit_usd",
    "credit_usd",
    "amount_usd",
    "kind",
    "source_file",
    "source_row",
)
STAGING_NAME = "capitalone_transactions.csv"
_OCCURRENCE = "_occurrence"

Item = TypeVar("Item")


def oldest_first(inputs: Sequence[tuple[Path, Item]]) -> list[Item]:
    """Statements in the order they were downloaded: the timestamp their zone name carries."""

    def when(item: tuple[Path, Item]) -> tuple[datetime, str]:
        return timestamp_from_name(item[0].name) or datetime.min, item[0].name

    return [parsed for _, parsed in sorted(inputs, key=when)]


def merge_statements(statements: Sequence[pl.DataFrame]) -> pl.DataFrame:
    """One ledger from typed statements given oldest first (see the module's rule)."""
    if not statements:
        return empty_typed()
    numbered = [
        statement.with_columns(
            pl.int_range(pl.len(), dtype=pl.Int64).over(TRANSACTION_IDENTITY).alias(_OCCURRENCE)
        )
        for statement in statements
    ]
    ledger = pl.concat(numbered).unique(
        subset=[*TRANSACTION_IDENTITY, _OCCURRENCE], keep="last", maintain_order=True
    )
    return ledger.drop(_OCCURRENCE).sort(LEDGER_ORDER, nulls_last=True)


def curated_transactions(ledger: pl.DataFrame) -> pl.DataFrame:
    """The ledger with the signed amount (credit − debit) and whether a row is an expense."""
    return ledger.with_columns(
        (pl.col("credit_usd").fill_null(0) - pl.col("debit_usd").fill_null(0))
        .cast(MONEY)
        .alias("amount_usd"),
        pl.when(pl.col("debit_usd").is_not_null())
        .then(pl.lit("expense"))
        .otherwise(pl.lit("credit"))
        .alias("kind"),
    ).select(CURATED_COLUMNS)

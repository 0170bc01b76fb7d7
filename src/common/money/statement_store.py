"""Closed periods in the warehouse: what the issued statements carried, used and wrote, and how
a period is issued (its statements, the ledger charges, the lines used, the files byte for byte)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.orm import Session

from common.money.splits import Splits
from common.money.statement_inputs import LineKey, RoyaltyItem
from common.money.statement_periods import Period, parse_period
from common.money.statements import Balance, PeriodStatements
from common.warehouse.models import Base
from common.warehouse.statement_tables import (
    MoneyLedgerEntry,
    StatementFile,
    StatementLine,
    StatementPayee,
    StatementRecord,
    StatementShare,
)

ISSUED = "issued"
DRAFT = "draft"
SUMMARY_FILE = "summary.csv"
REVERSAL = "reversal"  # a statement line taking back a line paid before, gone from the exports
REVERSED_NOTE = "adjustment: reversed"
LATE = "late"  # a line paid in a later period than it was reported in (an adjustment)
LedgerKey = tuple[str, str, date, str, Decimal]


@dataclass
class IssuedState:
    """Everything the issued periods decided, read back before an open period is made."""

    periods: list[Period] = field(default_factory=list)
    issued_on: dict[str, date] = field(default_factory=dict)
    balances: dict[str, Balance] = field(default_factory=dict)
    used: Counter[LineKey] = field(default_factory=Counter)
    used_items: dict[LineKey, tuple[str, RoyaltyItem]] = field(default_factory=dict)
    charged: list[LedgerKey] = field(default_factory=list)

    @property
    def last_end(self) -> date | None:
        return self.periods[-1].end if self.periods else None

    def period_named(self, name: str) -> Period | None:
        return next((period for period in self.periods if period.name == name), None)


def _insert(connection: Connection, model: type[Base], rows: list[dict[str, Any]]) -> None:
    """Insert rows keyed by attribute name (`amount_usd`), which the ORM maps to the database's
    column names (`amount_picousd`)."""
    if rows:
        Session(bind=connection).execute(insert(model), rows)


def _payee_ids(connection: Connection) -> dict[str, int]:
    rows = connection.execute(select(StatementPayee.name, StatementPayee.id))
    return {name: payee_id for name, payee_id in rows}


def sync_deals(connection: Connection, splits: Splits) -> dict[str, int]:
    """The payees and shares of config/splits.json, as the warehouse's tables show them."""
    known = _payee_ids(connection)
    for payee in splits.payees:
        if payee.name in known:
            connection.execute(
                update(StatementPayee)
                .where(StatementPayee.id == known[payee.name])
                .values(email=payee.email)
            )
        else:
            connection.execute(insert(StatementPayee), {"name": payee.name, "email": payee.email})
    ids = _payee_ids(connection)
    connection.execute(delete(StatementShare))
    rows = [
        {
            "payee_id": ids[share.payee],
            "level": share.level,
            "target": share.key,
            "percent": str(share.percent),
            "starts_on": share.starts,
        }
        for share in splits.shares
    ]
    if rows:
        _insert(connection, StatementShare, rows)
    return ids


def load_issued(connection: Connection) -> IssuedState:
    state = IssuedState()
    files = select(StatementFile.period, StatementFile.issued_on).where(
        StatementFile.name == SUMMARY_FILE
    )
    for period_name, issued_on in connection.execute(files):
        state.periods.append(parse_period(period_name))
        state.issued_on[period_name] = issued_on
    state.periods.sort()
    carried = (
        select(StatementPayee.name, StatementRecord.carried_usd)
        .join(StatementPayee, StatementPayee.id == StatementRecord.payee_id)
        .where(StatementRecord.status == ISSUED)
        .order_by(StatementRecord.period_end)
    )
    for payee, amount in connection.execute(carried):
        state.balances.setdefault(payee, Balance()).carried = amount
    ledger = select(
        StatementPayee.name,
        MoneyLedgerEntry.kind,
        MoneyLedgerEntry.entry_date,
        MoneyLedgerEntry.description,
        MoneyLedgerEntry.amount_usd,
    ).join(StatementPayee, StatementPayee.id == MoneyLedgerEntry.payee_id)
    for payee, kind, day, description, amount in connection.execute(ledger):
        state.charged.append((payee, kind, day, description, amount))
        state.balances.setdefault(payee, Balance()).charged += amount
    lines = select(StatementLine).order_by(StatementLine.period, StatementLine.id)
    for line in Session(bind=connection).execute(lines).scalars():
        # A reversal is stored with the line it reversed (its earnings as first paid): it
        # settles that line's use, so no later period reverses the line again.
        item = _item(line)
        # The earlier release stored a zero line's reversal as a late line (its quantity < 0)
        # of a line an earlier period had used; a line of its own is never used twice.
        reversal = line.kind == REVERSAL or (
            line.kind == LATE
            and line.quantity < 0
            and line.earnings_usd == 0
            and state.used[item.key] > 0
        )
        if reversal:
            state.used[item.key] -= 1
        else:
            state.used[item.key] += 1
            state.used_items[item.key] = (line.period, item)
    return state


def _item(line: StatementLine) -> RoyaltyItem:
    """The royalty line a stored statement line paid (or, for a reversal, took back)."""
    earnings = line.earnings_usd
    ids = frozenset(int(part) for part in line.artist_ids.split(",") if part)
    return RoyaltyItem(
        line.origin_file,
        line.origin_row,
        line.reporting_date,
        line.sale_month,
        line.store,
        line.territory,
        line.isrc,
        line.upc,
        line.title,
        ids,
        abs(line.quantity),
        earnings,
    )


def stored_files(connection: Connection, period: str) -> dict[str, str]:
    """The files an issued period wrote, by name."""
    found = select(StatementFile.name, StatementFile.content).where(StatementFile.period == period)
    return {name: text for name, text in connection.execute(found.order_by(StatementFile.name))}


def _line_row(period: str, item: RoyaltyItem) -> dict[str, object]:
    reversal = item.note.startswith(REVERSED_NOTE)
    return {
        "period": period,
        "kind": REVERSAL if reversal else (LATE if item.note else "line"),
        "origin_file": item.origin_file,
        "origin_row": item.origin_row,
        "reporting_date": item.reporting_date,
        "earnings_usd": -item.earnings if reversal else item.earnings,
        "quantity": item.quantity,
        "sale_month": item.sale_month,
        "store": item.store,
        "territory": item.territory,
        "isrc": item.isrc,
        "upc": item.upc,
        "title": item.title,
        "artist_ids": ",".join(str(i) for i in sorted(item.artist_ids)),
    }


def save_statements(
    connection: Connection,
    result: PeriodStatements,
    ids: dict[str, int],
    status: str,
    issued_on: date | None,
    hashes: dict[str, str],
) -> None:
    """The period's statement rows (a new draft replaces the old draft)."""
    period = result.period
    connection.execute(
        delete(StatementRecord).where(
            StatementRecord.period == period.name, StatementRecord.status == DRAFT
        )
    )
    rows = [
        {
            "period": period.name,
            "period_start": period.start,
            "period_end": period.end,
            "payee_id": ids[statement.payee],
            "opening_usd": statement.opening,
            "royalty_usd": statement.royalty,
            "costs_usd": statement.costs,
            "recouped_usd": statement.recouped,
            "closing_usd": statement.closing,
            "payable_usd": statement.payable,
            "carried_usd": statement.carried,
            "status": status,
            "issued_on": issued_on,
            "sha256": hashes.get(statement.payee),
        }
        for statement in result.statements
    ]
    if rows:
        _insert(connection, StatementRecord, rows)


def save_issue(
    connection: Connection,
    result: PeriodStatements,
    ids: dict[str, int],
    files: dict[str, tuple[str, str]],
    balances: dict[str, Balance],
    issued_on: date,
) -> None:
    """Close the period: its charges, the lines it used and its files (name → (text, sha256))."""
    name = result.period.name
    charges = [
        {
            "payee_id": ids[charge.payee],
            "kind": charge.kind,
            "entry_date": charge.entry_date,
            "description": charge.description,
            "amount_usd": charge.amount,
            "charged_period": name,
            "recouped_usd": Decimal(0),
        }
        for statement in result.statements
        for charge in statement.charges
    ]
    if charges:
        _insert(connection, MoneyLedgerEntry, charges)
    _mark_recouped(connection, ids, balances)
    lines = [_line_row(name, item) for item in result.items]
    if lines:
        _insert(connection, StatementLine, lines)
    _insert(
        connection,
        StatementFile,
        [
            {
                "period": name,
                "name": file,
                "content": text,
                "sha256": digest,
                "issued_on": issued_on,
            }
            for file, (text, digest) in sorted(files.items())
        ],
    )


def _mark_recouped(
    connection: Connection, ids: dict[str, int], balances: dict[str, Balance]
) -> None:
    """Each ledger entry's recouped part, oldest first, from what each payee has paid back."""
    for payee, balance in balances.items():
        if payee not in ids:
            continue
        left = balance.recouped
        entries = connection.execute(
            select(MoneyLedgerEntry.id, MoneyLedgerEntry.amount_usd)
            .where(MoneyLedgerEntry.payee_id == ids[payee])
            .order_by(MoneyLedgerEntry.entry_date, MoneyLedgerEntry.id)
        ).all()
        for entry_id, amount in entries:
            part = min(amount, left)
            left -= part
            Session(bind=connection).execute(
                update(MoneyLedgerEntry), [{"id": entry_id, "recouped_usd": part}]
            )

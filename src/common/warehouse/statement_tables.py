"""Royalty statements in the warehouse: payees, their shares, the advances and costs ledger, each
period's statements (with the files issued and their SHA-256) and the royalty lines a period used.

A closed period is kept whole here: its files are stored byte for byte, so running it again
rewrites the same bytes, and the lines it used (named by origin file, row and earnings, because
line ids change when a file is reloaded) tell a later export's corrections from lines already paid.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Connection, Date, ForeignKey, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from common.warehouse.models import Base, table
from common.warehouse.money_sql import readable_sql
from common.warehouse.types import Money


class StatementPayee(Base):
    __tablename__ = "statement_payees"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    email: Mapped[str | None] = mapped_column(String(300))


class StatementShare(Base):
    """A payee's percent of one track (isrc), release (upc) or artist, from a date on."""

    __tablename__ = "statement_shares"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    payee_id: Mapped[int] = mapped_column(ForeignKey("statement_payees.id"), index=True)
    level: Mapped[str] = mapped_column(String(10))
    target: Mapped[str] = mapped_column(String(200))
    percent: Mapped[str] = mapped_column(String(20))  # as written in config: "33.333"
    starts_on: Mapped[date | None] = mapped_column(Date)


class MoneyLedgerEntry(Base):
    """An advance or recoupable cost charged to a payee in an issued period."""

    __tablename__ = "money_ledger"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    payee_id: Mapped[int] = mapped_column(ForeignKey("statement_payees.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    entry_date: Mapped[date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(String(500))
    amount_usd: Mapped[Decimal] = mapped_column("amount_picousd", Money)
    charged_period: Mapped[str] = mapped_column(String(10), index=True)
    recouped_usd: Mapped[Decimal] = mapped_column("recouped_picousd", Money)


class StatementRecord(Base):
    """One payee's statement for one period; `status` is draft or issued."""

    __tablename__ = "statements"
    __table_args__ = (UniqueConstraint("period", "payee_id", "status"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period: Mapped[str] = mapped_column(String(10), index=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    payee_id: Mapped[int] = mapped_column(ForeignKey("statement_payees.id"), index=True)
    opening_usd: Mapped[Decimal] = mapped_column("opening_picousd", Money)
    royalty_usd: Mapped[Decimal] = mapped_column("royalty_picousd", Money)
    costs_usd: Mapped[Decimal] = mapped_column("costs_picousd", Money)
    recouped_usd: Mapped[Decimal] = mapped_column("recouped_picousd", Money)
    closing_usd: Mapped[Decimal] = mapped_column("closing_picousd", Money)
    payable_usd: Mapped[Decimal] = mapped_column("payable_picousd", Money)
    carried_usd: Mapped[Decimal] = mapped_column("carried_picousd", Money)
    status: Mapped[str] = mapped_column(String(10))
    issued_on: Mapped[date | None] = mapped_column(Date)
    sha256: Mapped[str | None] = mapped_column(String(64))


class StatementFile(Base):
    """A file an issued period wrote, kept byte for byte so a rerun reproduces it."""

    __tablename__ = "statement_files"
    __table_args__ = (UniqueConstraint("period", "name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period: Mapped[str] = mapped_column(String(10), index=True)
    name: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    issued_on: Mapped[date] = mapped_column(Date)
    content: Mapped[str] = mapped_column(Text)


class StatementLine(Base):
    """A royalty line an issued period used (kind 'line' or 'late'), or a used line found gone
    and reversed in a later period (kind 'reversal')."""

    __tablename__ = "statement_lines"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period: Mapped[str] = mapped_column(String(10), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    origin_file: Mapped[str] = mapped_column(String(500))
    origin_row: Mapped[int] = mapped_column(Integer)
    reporting_date: Mapped[date] = mapped_column(Date)
    earnings_usd: Mapped[Decimal] = mapped_column("earnings_picousd", Money)
    quantity: Mapped[int] = mapped_column(Integer)
    sale_month: Mapped[str] = mapped_column(String(7))
    store: Mapped[str] = mapped_column(String(200))
    territory: Mapped[str] = mapped_column(String(8))
    isrc: Mapped[str] = mapped_column(String(20))
    upc: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(500))
    artist_ids: Mapped[str] = mapped_column(String(200))  # "3,7": whose shares it fell under


STATEMENT_MODELS: tuple[type[Base], ...] = (
    StatementPayee,
    StatementShare,
    MoneyLedgerEntry,
    StatementRecord,
    StatementFile,
    StatementLine,
)

_MONEY = ("opening", "royalty", "costs", "recouped", "closing", "payable", "carried")


def statements_view(dialect: str) -> str:
    """v_statements: every statement with its money in dollars and as exact decimal text."""
    money = ",\n       ".join(readable_sql(f"s.{name}_picousd", name, dialect) for name in _MONEY)
    return (
        "CREATE VIEW v_statements AS\n"
        "SELECT s.period AS period, s.period_start AS period_start, s.period_end AS period_end,\n"
        f"       p.name AS payee, s.status AS status, s.issued_on AS issued_on,\n       {money}\n"
        "FROM statements s JOIN statement_payees p ON p.id = s.payee_id"
    )


def create_statement_tables(connection: Connection) -> None:
    """The statement tables and the v_statements view; safe to run again."""
    for model in STATEMENT_MODELS:
        table(model).create(connection, checkfirst=True)
    connection.execute(text("DROP VIEW IF EXISTS v_statements"))
    connection.execute(text(statements_view(connection.dialect.name)))

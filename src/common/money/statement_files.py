"""The files of a period's statements: per payee a CSV of its lines and a readable HTML
statement, and the period's summary.csv. Nothing in them depends on the clock, so an issued
period written again gives the same bytes."""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import date
from decimal import Decimal

from jinja2 import Environment, PackageLoader, select_autoescape

from common.money.statements import PayeeStatement, PeriodStatements
from common.spreadsheet import as_text
from common.zones import slug

LINE_COLUMNS = (
    "period",
    "payee",
    "status",
    "track",
    "isrc",
    "store",
    "territory",
    "sale_month",
    "quantity",
    "gross_usd",
    "share_percent",
    "royalty_usd",
    "note",
)
SUMMARY_COLUMNS = (
    "period",
    "status",
    "payee",
    "opening_usd",
    "royalty_usd",
    "costs_usd",
    "recouped_usd",
    "closing_usd",
    "payable_usd",
    "carried_usd",
)


def money(value: Decimal) -> str:
    """Readable dollars with two decimals and thousands separators: '-1,234.50'."""
    return f"{value:,.2f}"


def _plain(value: Decimal) -> str:
    """Exact decimal text without an exponent or a trailing '.0…'."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _csv(rows: list[list[str]]) -> str:
    """The rows as CSV text. Text from outside (a track title, a payee's name, a store) reaches
    here through `common.spreadsheet.as_text`, so no cell reads as a formula; numbers are
    written by this module, so a negative amount keeps its minus sign."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(rows)
    return buffer.getvalue()


def payee_file_stem(payee: str) -> str:
    return slug(payee)


def lines_csv(period: str, status: str, statement: PayeeStatement) -> str:
    rows = [list(LINE_COLUMNS)]
    for row in statement.rows:
        rows.append(
            [
                period,
                as_text(statement.payee),
                status,
                as_text(row.title),
                as_text(row.isrc),
                as_text(row.store),
                as_text(row.territory),
                row.sale_month,
                str(row.quantity),
                _plain(row.gross),
                _plain(row.percent),
                f"{row.royalty:.2f}",
                as_text(row.note),
            ]
        )
    return _csv(rows)


def summary_csv(result: PeriodStatements, status: str) -> str:
    name = result.period.name
    rows = [list(SUMMARY_COLUMNS)]
    for s in result.statements:
        amounts = (s.opening, s.royalty, s.costs, s.recouped, s.closing, s.payable, s.carried)
        rows.append([name, status, as_text(s.payee), *(f"{amount:.2f}" for amount in amounts)])
    rows.append([name, status, "label share", "", f"{result.label:.2f}", "", "", "", "", ""])
    rows.append([name, status, "total royalties", "", f"{result.total:.2f}", "", "", "", "", ""])
    return _csv(rows)


_TEMPLATES = Environment(
    loader=PackageLoader("common.money", "templates"),
    autoescape=select_autoescape(["html"]),
    keep_trailing_newline=True,
)
_TEMPLATES.filters["money"] = money
_TEMPLATES.filters["plain"] = _plain


def statement_html(
    result: PeriodStatements, statement: PayeeStatement, issued_on: date | None
) -> str:
    return _TEMPLATES.get_template("statement.html").render(
        period=result.period, statement=statement, issued_on=issued_on
    )


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def period_files(result: PeriodStatements, issued_on: date | None) -> dict[str, str]:
    """Every file of the period by name; drafts are marked DRAFT inside each file."""
    status = "issued" if issued_on else "draft"
    files = {"summary.csv": summary_csv(result, status)}
    for statement in result.statements:
        stem = payee_file_stem(statement.payee)
        files[f"{stem}.csv"] = lines_csv(result.period.name, status, statement)
        files[f"{stem}.html"] = statement_html(result, statement, issued_on)
    return files

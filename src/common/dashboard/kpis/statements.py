"""Statements per payee as `bedrot statements` wrote them under 4_curated/statements/<period>/,
and the one safe way to hand such a file to the browser."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from common.lake import Lake
from common.money.statement_files import payee_file_stem
from common.money.statement_runs import STATEMENTS_FOLDER
from common.zones import CURATED

SUMMARY = "summary.csv"
_PERIOD = re.compile(r"\d{4}-(Q[1-4]|\d{2})")
_FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\.(csv|html)")
NOT_PAYEES = ("label share", "total royalties")


class StatementNotFound(LookupError):
    """A statement file that does not exist or lies outside the statements folder."""


def statements_root(lake: Lake) -> Path:
    return lake.zone(CURATED) / STATEMENTS_FOLDER


def statement_url(period: str, name: str) -> str:
    return f"/statements/{period}/{name}"


def _summary_rows(summary: Path) -> list[dict[str, str]]:
    with summary.open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.DictReader(handle) if row.get("payee") not in NOT_PAYEES]


def statement_rows(lake: Lake, _connection: Connection | None = None) -> list[list[Any]]:
    """[period, payee, status, payable, files] per payee of every period written, newest
    period first; files are {name, url} the page links to."""
    root = statements_root(lake)
    if not root.is_dir():
        return []
    rows: list[list[Any]] = []
    periods = sorted((p for p in root.iterdir() if _PERIOD.fullmatch(p.name)), reverse=True)
    for folder in periods:
        summary = folder / SUMMARY
        if not summary.is_file():
            continue
        for entry in _summary_rows(summary):
            stem = payee_file_stem(entry["payee"])
            files = [
                {"name": name, "url": statement_url(folder.name, name)}
                for name in (f"{stem}.html", f"{stem}.csv")
                if (folder / name).is_file()
            ]
            rows.append(
                [
                    folder.name,
                    entry["payee"],
                    entry.get("status", ""),
                    f"${entry.get('payable_usd', '')}",
                    files,
                ]
            )
    return rows


def statement_file(lake: Lake, period: str, name: str) -> Path:
    """The statement file `name` of `period`, refusing anything outside the statements folder
    (a `..`, a slash, another zone) even when such a file exists."""
    if not _PERIOD.fullmatch(period) or not _FILE_NAME.fullmatch(name) or ".." in name:
        raise StatementNotFound(f"There is no statement file {period}/{name}.")
    root = statements_root(lake).resolve()
    path = (root / period / name).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise StatementNotFound(f"There is no statement file {period}/{name}.")
    return path

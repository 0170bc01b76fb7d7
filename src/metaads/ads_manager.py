"""The Ads Manager report the user exports by hand (CSV), read into the same rows as the API's.

Columns are found by name, in any order; the user may add or remove columns in Ads Manager, so
only `Reporting starts, Reporting ends, Campaign name, Amount spent (<currency>), Impressions`
are required and unknown columns are ignored. The currency comes from the spend column's name.
A report broken down by day (a `Day` column, or starts = ends) gives daily rows; a report over a
longer range gives one row per campaign, ad set or ad for that whole period.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from common.quarantine import RejectedFile
from common.readers import (
    check_complete_last_line,
    first_line,
    header_fields,
    read_head,
    reject_html_or_empty,
    sniff_encoding,
)
from common.tabular import readable_rows
from metaads.insights import Action, Fields, InsightRow
from metaads.settings import MANUAL_EXPORT

DELIMITER = ","
# Ads Manager's column names (compared without case or repeated spaces) → our field names.
COLUMNS = {
    "reporting starts": "date_start",
    "reporting ends": "date_stop",
    "campaign name": "campaign_name",
    "campaign id": "campaign_id",
    "ad set name": "adset_name",
    "ad set id": "adset_id",
    "ad name": "ad_name",
    "ad id": "ad_id",
    "impressions": "impressions",
    "reach": "reach",
    "clicks": "clicks",
    "clicks (all)": "clicks",
    "link clicks": "link_clicks",
    "frequency": "frequency",
    "ctr (all)": "ctr",
}
DAY = "day"
RESULTS = "results"
RESULT_INDICATOR = "result indicator"
ACTION_INDICATOR = "actions:"
REQUIRED = ("reporting starts", "reporting ends", "campaign name", "amount spent", "impressions")
# Money columns carry the currency in their name: "Amount spent (USD)", "CPC (all) (USD)".
_MONEY_COLUMNS = {
    "amount spent": "spend",
    "cpc (all)": "cpc",
    "cpm (cost per 1,000 impressions)": "cpm",
}
_CURRENCY_SUFFIX = re.compile(r"^(?P<name>.*?)\s*\((?P<currency>[A-Za-z]{3})\)$")


def normalise(name: str) -> str:
    return " ".join(name.replace("\ufeff", "").split()).casefold()


@dataclass(frozen=True)
class Layout:
    """Where each field is in the export's rows, and the currency its spend column names."""

    fields: dict[str, int]
    currency: str | None
    day: int | None
    results: int | None
    indicator: int | None
    width: int


def _money_column(name: str) -> tuple[str, str | None] | None:
    """('spend', 'USD') for 'amount spent (usd)'; None when `name` is no money column."""
    match = _CURRENCY_SUFFIX.match(name)
    base, currency = (match["name"], match["currency"].upper()) if match else (name, None)
    field = _MONEY_COLUMNS.get(base)
    return None if field is None else (field, currency)


def detect_layout(header: list[str], file_name: str) -> Layout:
    """The layout of an export's header, or a rejection naming the missing columns."""
    names = [normalise(name) for name in header]
    fields: dict[str, int] = {}
    currencies: set[str] = set()
    for index, name in enumerate(names):
        money = _money_column(name)
        if money is not None:
            fields.setdefault(money[0], index)
            if money[1] is not None:
                currencies.add(money[1])
        elif name in COLUMNS:
            fields.setdefault(COLUMNS[name], index)
    present = {*names, *(base for base, field in _MONEY_COLUMNS.items() if field in fields)}
    missing = [name for name in REQUIRED if name not in present]
    if missing:
        raise RejectedFile(
            f"{file_name} is not an Ads Manager export: its header lacks "
            f"{', '.join(repr(name) for name in missing)} (found {', '.join(header)}).",
            rule="header",
            location="line 1",
            details={"header": header, "missing": missing},
        )
    if len(currencies) > 1:
        raise RejectedFile(
            f"{file_name} names several currencies in its money columns: {sorted(currencies)}.",
            rule="header",
            location="line 1",
        )
    known = sorted(currencies)
    return Layout(
        fields=fields,
        currency=known[0] if known else None,
        day=names.index(DAY) if DAY in names else None,
        results=names.index(RESULTS) if RESULTS in names else None,
        indicator=names.index(RESULT_INDICATOR) if RESULT_INDICATOR in names else None,
        width=len(header),
    )


def _cell(cells: list[str], index: int | None) -> str | None:
    return (cells[index].strip() or None) if index is not None else None


def _level(fields: Fields) -> str:
    if fields.get("ad_id") or fields.get("ad_name"):
        return "ad"
    if fields.get("adset_id") or fields.get("adset_name"):
        return "adset"
    return "campaign"


# A row naming none of these is Ads Manager's summary row: the sum of the rows below it.
ENTITY_FIELDS = ("campaign_id", "campaign_name", "adset_id", "adset_name", "ad_id", "ad_name")


def export_row(cells: list[str], layout: Layout, line: int) -> InsightRow:
    """One export line as an insights row; the result, when it counts an action, is an action."""
    fields: Fields = {name: _cell(cells, index) for name, index in layout.fields.items()}
    day = _cell(cells, layout.day)
    if day is not None:
        fields["date_start"] = fields["date_stop"] = day
    results, indicator = _cell(cells, layout.results), _cell(cells, layout.indicator)
    actions: tuple[Action, ...] = ()
    if results is not None and indicator and indicator.startswith(ACTION_INDICATOR):
        action_type = indicator[len(ACTION_INDICATOR) :]
        actions = (Action(action_type, results),)
        if "link_clicks" not in layout.fields and action_type == "link_click":
            fields["link_clicks"] = results
    fields.update(source=MANUAL_EXPORT, level=_level(fields), currency=layout.currency)
    return InsightRow(line, fields, actions)


def read_export(path: Path) -> list[InsightRow]:
    """The rows of an Ads Manager CSV, or a rejection: empty, HTML, wrong header, cut off."""
    encoding = sniff_encoding(path)
    head = read_head(path, encoding)
    reject_html_or_empty(path, head)
    layout = detect_layout(header_fields(first_line(head), DELIMITER), path.name)
    check_complete_last_line(path, encoding, DELIMITER, layout.width)
    rows: list[InsightRow] = []
    with path.open(encoding=encoding, newline="") as stream:
        reader = csv.reader(stream, delimiter=DELIMITER)
        cells_of_rows = readable_rows(reader, path.name)
        next(cells_of_rows, None)
        for cells in cells_of_rows:
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != layout.width:
                raise RejectedFile(
                    f"{path.name} line {reader.line_num} has {len(cells)} fields where the "
                    f"header has {layout.width} (a truncated or malformed line).",
                    rule="row-width",
                    location=f"line {reader.line_num}",
                )
            row = export_row(cells, layout, reader.line_num)
            if not any(row.fields.get(name) for name in ENTITY_FIELDS):
                continue  # the summary row ("Include summary row"): the other rows' totals
            rows.append(row)
    return rows

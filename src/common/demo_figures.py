"""What `bedrot demo` prints from the warehouse, as plain tables: its figures and the draft
statements of the latest complete quarter.

This runs where SQLAlchemy, the warehouse's models and polars are already imported: the demo's
last step-6 hook calls `figures_in_host` in the script host the ETL has just used
(`PipelineRun.call_heavy`), so the demo's own process never imports them (~0.5 s). The tables
come back as JSON (`TableSpec`); `common.demo` turns them into rich tables.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TypedDict

from common.lake import Lake, warehouse_url
from common.money.splits import SplitsConfigError
from common.money.statement_command import latest_complete_quarter, make_statements
from common.money.statement_command import summary_rows as statement_rows
from common.money.statements import StatementError
from common.warehouse.database import make_engine
from common.warehouse.summary import WarehouseSummary, summarize


class TableSpec(TypedDict):
    """One table: the first column left-aligned, the others right-aligned unless `left` names
    them; `wrap` (when not None) the only columns whose cells may wrap."""

    title: str
    columns: list[str]
    rows: list[list[str]]
    caption: str | None
    left: list[int]
    wrap: list[str] | None


class Figures(TypedDict):
    tables: list[TableSpec]
    statements: TableSpec | str | None  # None: no complete quarter has royalty lines


def table(title: str, columns: list[str], rows: list[list[str]]) -> TableSpec:
    return {
        "title": title,
        "columns": columns,
        "rows": rows,
        "caption": None,
        "left": [0],
        "wrap": None,
    }


def _money(value: Decimal) -> str:
    return f"{value:,.2f}"


def _count(value: int | None) -> str:
    """A figure the platform does not have (views of a mailing list) is left blank."""
    return "" if value is None else f"{value:,}"


def _audience_table(summary: WarehouseSummary) -> TableSpec:
    """Per social or video account and mailing list: the latest followers (subscribers, list
    members) and, over the days held (first and last), views, emails sent and unique opens."""
    columns = ["platform", "account", "days held", "followers", "views"]
    spec = table("Social, video and email", [*columns, "emails sent", "unique opens"], [])
    spec["caption"] = "followers: the latest count (YouTube subscribers, Mailchimp members)"
    spec["left"] = [0, 1]  # an account is a name
    spec["wrap"] = ["emails sent", "unique opens"]
    for audience in summary.audiences:
        first, last = audience.first_day, audience.last_day
        spec["rows"].append(
            [
                audience.platform,
                audience.account,
                f"{first}\n{last}" if first and last else "",
                _count(audience.followers),
                _count(audience.views),
                _count(audience.emails_sent),
                _count(audience.unique_opens),
            ]
        )
    return spec


def summary_tables(summary: WarehouseSummary) -> list[TableSpec]:
    """The warehouse's figures: rows per table, streams, money, top tracks, audiences."""
    rows = [
        [name, f"{count:,}"]
        for name, count in summary.rows_per_table.items()
        if name != "etl_runs"  # grows by one per run; everything else repeats exactly
    ]
    streams = [[platform, f"{count:,}"] for platform, count in summary.streams_by_platform]
    money = [["total royalties", str(summary.total_revenue)]]
    money += [[f"  royalties for sale month {m}", _money(a)] for m, a in summary.revenue_by_month]
    money += [[f"  royalties from {store}", _money(a)] for store, a in summary.revenue_by_store]
    money.append(["card expenses", _money(summary.expenses)])
    money += [[f"  ad spend: {c}", _money(a)] for c, a in summary.ad_spend_by_campaign]
    tracks = [[title, f"{units:,}", _money(a)] for title, units, a in summary.top_tracks]
    return [
        table("Rows per table", ["table", "rows"], rows),
        table("Streams by platform (distributors only)", ["platform", "streams"], streams),
        table("Revenue and spend (USD, exact)", ["what", "amount"], money),
        table("Top tracks by royalties", ["track", "units", "royalties"], tracks),
        _audience_table(summary),
    ]


def _statements(lake: Lake, today: date) -> TableSpec | str | None:
    """Draft statements of the latest complete quarter (None: no quarter has lines), or the
    sentence saying why there are none."""
    quarter = latest_complete_quarter(lake, today)
    if quarter is None:
        return None
    try:
        run = make_statements(lake, quarter, issue=False, today=today)
    except (SplitsConfigError, StatementError) as problem:
        return f"Statements: {problem}"
    title, columns, rows = statement_rows(run)
    return table(title, columns, rows)


def demo_figures(lake: Lake, today: date) -> Figures:
    # The statements first, so that the row counts printed include what they stored.
    statements = _statements(lake, today)
    engine = make_engine(warehouse_url(lake))
    try:
        summary = summarize(engine)
    finally:
        engine.dispose()
    return {"tables": summary_tables(summary), "statements": statements}


def figures_in_host(root: str, today: str) -> Figures:
    """`demo_figures` for a script host: the lake and the day as JSON gives them."""
    return demo_figures(Lake(Path(root)), date.fromisoformat(today))

"""`bedrot demo`: its own lake, the label's deterministic demo exports, a full run, a summary."""

from __future__ import annotations

import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

from rich.console import Console
from rich.table import Table

from common.declarations import service_declarations
from common.demodata import write_all
from common.demodata.splits import write_demo_splits
from common.lake import CHECKOUT_ROOT, Lake, make_lake
from common.money.splits import SPLITS_CONFIG, SplitsConfigError
from common.money.statement_command import latest_complete_quarter, make_statements, summary_table
from common.money.statement_runs import StatementRun
from common.money.statements import StatementError
from common.pipeline.run import RunOptions
from common.start import start_run
from common.warehouse.database import make_engine, warehouse_url
from common.warehouse.summary import WarehouseSummary, summarize
from common.zones import LANDING, QUARANTINE_FOLDER

# In a checkout the demo lives in its sandbox/; installed, in the current folder.
DEFAULT_DEMO_ROOT = (
    CHECKOUT_ROOT / "sandbox" / "demo_lake"
    if (CHECKOUT_ROOT / "pyproject.toml").is_file()
    else Path.cwd() / "bedrot_demo_lake"
)
# What an expired DistroKid session saves instead of the bank export: the demo shows quarantine.
EXPIRED_SESSION_PAGE = (
    "distrokid",
    "dk_bank_details_20260302_090000.tsv",
    "<!DOCTYPE html><html><head><title>Sign in | DistroKid</title></head><body></body></html>\n",
)


def demo_services() -> list[str]:
    """The services whose declaration names a demo writer, by name."""
    return [name for name, declared in service_declarations().items() if declared.demo_writer]


def prepare_demo_lake(root: Path) -> Lake:
    """A lake as `bedrot init` makes it (the installed services run from where they live, no
    code is copied) with the demo's landing files."""
    lake = make_lake(root)
    with tempfile.TemporaryDirectory() as scratch:
        for made in write_all(Path(scratch)):
            relative = made.relative_to(scratch)
            _drop_once(lake, relative.parts[0], Path(*relative.parts[1:]), made.read_bytes())
    service, name, page = EXPIRED_SESSION_PAGE
    _drop_once(lake, service, name, page.encode("utf-8"))
    if not (lake.config / SPLITS_CONFIG).exists():  # the user's own edits are kept
        write_demo_splits(lake.config / SPLITS_CONFIG)
    return lake


def _drop_once(lake: Lake, service: str, name: str | Path, content: bytes) -> None:
    """Landing files are never modified: a second demo run leaves the first run's files alone."""
    target = lake.zone(LANDING) / service / name
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)


def _table(title: str, *columns: str) -> Table:
    table = Table(title=title, title_justify="left")
    for index, column in enumerate(columns):
        table.add_column(column, justify="left" if index == 0 else "right")
    return table


def _money(value: Decimal) -> str:
    return f"{value:,.2f}"


def _count(value: int | None) -> str:
    """A figure the platform does not have (views of a mailing list) is left blank."""
    return "" if value is None else f"{value:,}"


def _audience_table(summary: WarehouseSummary) -> Table:
    """Per social or video account and mailing list: the latest followers (subscribers, list
    members) and, over the days held (first and last), views, emails sent and unique opens."""
    table = _table(
        "Social, video and email",
        "platform",
        "account",
        "days held",
        "followers",
        "views",
        "emails sent",
        "unique opens",
    )
    table.caption = "followers: the latest count (YouTube subscribers, Mailchimp members)"
    for column in table.columns:
        column.no_wrap = column.header not in ("emails sent", "unique opens")
    table.columns[1].justify = "left"  # an account is a name
    for audience in summary.audiences:
        first, last = audience.first_day, audience.last_day
        table.add_row(
            audience.platform,
            audience.account,
            f"{first}\n{last}" if first and last else "",
            _count(audience.followers),
            _count(audience.views),
            _count(audience.emails_sent),
            _count(audience.unique_opens),
        )
    return table


def summary_tables(lake: Lake, summary: WarehouseSummary, url: str, exit_code: int) -> list[Table]:
    """What the demo prints: the warehouse's figures, then where things are."""
    rows = _table("Rows per table", "table", "rows")
    for name, count in summary.rows_per_table.items():
        if name != "etl_runs":  # grows by one per run; everything else repeats exactly
            rows.add_row(name, f"{count:,}")
    streams = _table("Streams by platform (distributors only)", "platform", "streams")
    for platform, count in summary.streams_by_platform:
        streams.add_row(platform, f"{count:,}")
    money = _table("Revenue and spend (USD, exact)", "what", "amount")
    money.add_row("total royalties", str(summary.total_revenue))
    for month, amount in summary.revenue_by_month:
        money.add_row(f"  royalties for sale month {month}", _money(amount))
    for store, amount in summary.revenue_by_store:
        money.add_row(f"  royalties from {store}", _money(amount))
    money.add_row("card expenses", _money(summary.expenses))
    for campaign, amount in summary.ad_spend_by_campaign:
        money.add_row(f"  ad spend: {campaign}", _money(amount))
    tracks = _table("Top tracks by royalties", "track", "units", "royalties")
    for title, units, amount in summary.top_tracks:
        tracks.add_row(title, f"{units:,}", _money(amount))
    audiences = _audience_table(summary)
    where = _table("Where things are", "what", "value")
    for reason in sorted((lake.zone(LANDING) / QUARANTINE_FOLDER).rglob("*.reason.json")):
        where.add_row("quarantined", reason.name.removesuffix(".reason.json"))
    where.add_row("warehouse", url)
    where.add_row("logs", str(lake.logs))
    where.add_row("pipeline exit code", str(exit_code))
    return [rows, streams, money, tracks, audiences, where]


def run_demo(root: Path | None = None) -> int:
    lake = prepare_demo_lake(root or DEFAULT_DEMO_ROOT)
    options = RunOptions(automated=True, extract=False, warehouse=True)
    exit_code = start_run(lake, options)
    # The statements first, so that the row counts printed include what they stored.
    statements = _statements(lake)
    url = warehouse_url(lake)
    engine = make_engine(url)
    try:
        summary = summarize(engine)
    finally:
        engine.dispose()
    console = Console()
    for table in summary_tables(lake, summary, url.split("@")[-1], exit_code):
        console.print(table)
    if isinstance(statements, str):
        console.print(statements, markup=False, highlight=False)
    elif statements is not None:
        console.print(summary_table(statements))
    return exit_code


def _statements(lake: Lake) -> StatementRun | str | None:
    """Draft statements of the demo's latest complete quarter (None: no quarter has lines),
    or the sentence saying why there are none."""
    today = date.today()
    quarter = latest_complete_quarter(lake, today)
    if quarter is None:
        return None
    try:
        return make_statements(lake, quarter, issue=False, today=today)
    except (SplitsConfigError, StatementError) as problem:
        return f"Statements: {problem}"

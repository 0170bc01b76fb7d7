"""`bedrot demo`: its own lake, the label's deterministic demo exports, a full run, a summary."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from common.declarations import service_declarations
from common.demodata import write_all
from common.demodata.splits import write_demo_splits
from common.lake import CHECKOUT_ROOT, Lake, make_lake, warehouse_url
from common.money.splits import SPLITS_CONFIG
from common.pipeline.hooks import HookOutcome
from common.pipeline.run import RunOptions
from common.start import start_run
from common.zones import LANDING, QUARANTINE_FOLDER

if TYPE_CHECKING:
    from common.demo_figures import Figures, TableSpec
    from common.pipeline.run import PipelineRun

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


def rich_table(spec: TableSpec) -> Table:
    """A table `common.demo_figures` made, as rich prints it."""
    table = Table(title=spec["title"], title_justify="left", caption=spec["caption"])
    for index, column in enumerate(spec["columns"]):
        table.add_column(column, justify="left" if index in spec["left"] else "right")
        if spec["wrap"] is not None:
            table.columns[-1].no_wrap = column not in spec["wrap"]
    for row in spec["rows"]:
        table.add_row(*row)
    return table


def where_table(lake: Lake, url: str, exit_code: int) -> Table:
    """Where things are: what was quarantined, the warehouse, the logs, the run's exit code."""
    reasons = sorted((lake.zone(LANDING) / QUARANTINE_FOLDER).rglob("*.reason.json"))
    rows = [["quarantined", reason.name.removesuffix(".reason.json")] for reason in reasons]
    rows += [["warehouse", url], ["logs", str(lake.logs)], ["pipeline exit code", str(exit_code)]]
    spec: TableSpec = {
        "title": "Where things are",
        "columns": ["what", "value"],
        "rows": rows,
        "caption": None,
        "left": [0],
        "wrap": None,
    }
    return rich_table(spec)


FIGURES_IN_HOST = "common.demo_figures:figures_in_host"


@dataclass
class _DemoFigures:
    """The demo's last step-6 hook: its figures and draft statements, read from the warehouse
    in the script host the ETL has just warmed (see `common.demo_figures`)."""

    today: date
    figures: Figures | None = None

    def hook(self, run: PipelineRun) -> HookOutcome:
        result = run.call_heavy(FIGURES_IN_HOST, root=str(run.lake.root), today=str(self.today))
        if not result.ok:  # the demo reads them itself after the run (why is in the log)
            return HookOutcome(f"The demo's figures are read after the run: {result.problem()}")
        self.figures = result.value
        return HookOutcome("The demo's figures and draft statements are read from the warehouse.")


def run_demo(root: Path | None = None) -> int:
    lake = prepare_demo_lake(root or DEFAULT_DEMO_ROOT)
    options = RunOptions(automated=True, extract=False, warehouse=True)
    demo = _DemoFigures(date.today())
    exit_code = start_run(lake, options, after_reports=(demo.hook,))
    figures = demo.figures
    if figures is None:  # the hook failed (its cause is in the log): read them here instead
        from common.demo_figures import demo_figures

        figures = demo_figures(lake, demo.today)
    console = Console()
    for spec in figures["tables"]:
        console.print(rich_table(spec))
    console.print(where_table(lake, warehouse_url(lake).split("@")[-1], exit_code))
    statements = figures["statements"]
    if isinstance(statements, str):
        console.print(statements, markup=False, highlight=False)
    elif statements is not None:
        console.print(rich_table(statements))
    return exit_code

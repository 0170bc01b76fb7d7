"""The health report as a table (rich colours on a terminal, plain text elsewhere) or as JSON."""

from __future__ import annotations

import json
import sys
from typing import TextIO

from common.health.report import HealthReport, report_json
from common.health.runs import LastRun
from common.health.scoring import ServiceHealth

COLUMNS = (
    "Service",
    "Status",
    "Score",
    "Priority",
    "Landing",
    "Raw",
    "Staging",
    "Curated",
    "Blocks",
    "Cookie",
    "Last run",
    "Issues",
)
STATUS_STYLES = {"[OK]": "green", "[XX]": "yellow", "[FAIL]": "bold red"}
ZONE_STYLES = {"ok": "", "warn": "yellow", "fail": "red", "empty": "dim"}
ZONE_COLUMNS = range(4, 8)


def _last_run_cell(last_run: LastRun | None) -> str:
    if last_run is None:
        return "-"
    ran = len(last_run.exit_codes)
    failed = len(last_run.failed_scripts)
    if failed:
        return f"{failed} of {ran} failed"
    return f"{ran} ok" if ran else "nothing ran"


def _row(health: ServiceHealth) -> list[str]:
    zones = [f"{z.age_days}d" if z.age_days is not None else "-" for z in health.zones]
    return [
        health.service,
        health.status,
        f"{health.score}%",
        health.priority,
        *(zones or ["-"] * len(ZONE_COLUMNS)),
        str(health.block_count),
        health.cookie.describe(),
        _last_run_cell(health.last_run),
        health.issues or "-",
    ]


def _summary(report: HealthReport) -> str:
    statuses = [health.status for health in report.services]
    counts = ", ".join(f"{statuses.count(s)} {s}" for s in ("[OK]", "[XX]", "[FAIL]"))
    return f"{len(statuses)} service(s): {counts}; exit {report.exit_code}."


def _recommendations(report: HealthReport) -> list[str]:
    lines = []
    for health in report.services:
        for finding in health.findings:
            lines.append(f"  {health.service}: {finding.issue} -> {finding.recommendation}")
    return lines


def _plain_table(rows: list[list[str]]) -> list[str]:
    table = [list(COLUMNS), *rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(COLUMNS))]
    return ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in table]


def _print_rich_table(report: HealthReport, stream: TextIO) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"Health of {report.lake.root}", title_justify="left")
    for index, heading in enumerate(COLUMNS):
        table.add_column(heading, justify="right" if index in (2, 8) else "left")
    for health in report.services:
        cells = [Text(cell) for cell in _row(health)]
        cells[1].stylize(STATUS_STYLES[health.status])
        for index, zone in zip(ZONE_COLUMNS, health.zones):
            cells[index].stylize(ZONE_STYLES[zone.state])
        table.add_row(*cells)
    Console(file=stream, highlight=False).print(table)


def render_text(report: HealthReport, stream: TextIO, terminal: bool) -> None:
    if not report.services:
        stream.write(f"No services in {report.lake.src}.\n")
        return
    lines: list[str] = []
    if terminal:
        _print_rich_table(report, stream)
    else:
        lines += [f"Health of {report.lake.root}", ""]
        lines += _plain_table([_row(health) for health in report.services])
    recommendations = _recommendations(report)
    if recommendations:
        lines += ["", "Recommendations, worst first:", *recommendations]
    lines += ["", _summary(report)]
    stream.write("\n".join(lines) + "\n")


def render_json(report: HealthReport, stream: TextIO) -> None:
    stream.write(json.dumps(report_json(report), indent=2, ensure_ascii=False) + "\n")


def show_health(report: HealthReport, as_json: bool, stream: TextIO | None = None) -> int:
    """Write the report and return its exit code: 1 when any service is [FAIL], else 0."""
    stream = stream or sys.stdout
    if as_json:
        render_json(report, stream)
    else:
        render_text(report, stream, stream.isatty())
    return report.exit_code

"""Step 6's report hook: builds the report and says in one sentence what it wrote; when nothing
it is built from has changed since its last build, says so without building it."""

from __future__ import annotations

import traceback
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from common.lake import Lake
from common.reports.inputs import forget, is_current, page_path, remember, report_inputs

if TYPE_CHECKING:
    from common.pipeline.hooks import HookOutcome
    from common.pipeline.run import PipelineRun
    from common.reports.build import ReportResult


def describe(result: ReportResult, relative_page: str) -> str:
    """One sentence: what was written (or left as it was), chart counts, what was archived."""
    counts = f"{len(result.drawn)} chart(s) drawn, {len(result.without_data)} with no data yet"
    if result.unreadable:
        names = ", ".join(section.spec.name for section in result.unreadable)
        counts += f", {len(result.unreadable)} unreadable ({names})"
    if not result.page_written:
        return f"Report {relative_page} unchanged, nothing new since its last version ({counts})."
    archived = f"; {len(result.archived)} previous file(s) archived" if result.archived else ""
    return f"Report {relative_page} written ({counts}){archived}."


def unchanged_since_last_build(relative_page: str) -> str:
    return (
        f"Report {relative_page} unchanged, nothing new since its last version: the warehouse's "
        "loaded files, the curated files and the config are as they were (not rebuilt)."
    )


def write_report(run: PipelineRun) -> HookOutcome:
    """Build the consolidated report (and refresh the money analytics it shows) unless what it
    is built from is exactly as at its last successful build; any failure marks this hook
    failed, never stops the run. The build runs in the run's warm script host
    (`PipelineRun.call_heavy`); what the report was built from is remembered here."""
    # Imported here: common.pipeline.hooks imports this module.
    from common.pipeline.hooks import HookOutcome

    now = datetime.now()
    inputs = report_inputs(run.lake, now.date())
    if is_current(run.lake, inputs):
        relative = page_path(run.lake).relative_to(run.lake.root).as_posix()
        return HookOutcome(unchanged_since_last_build(relative))
    call = run.call_heavy(BUILD_TARGET, root=str(run.lake.root), now=now.isoformat())
    built = call.value if call.ok and isinstance(call.value, dict) else None
    if built is None or "error" in built:
        forget(run.lake)
        if built is None:
            run.log.error("The report could not be built: %s.", call.problem())
            return HookOutcome(f"Report not written: {call.problem()}.", failed=True)
        run.log.error("The report could not be built.\n%s", built["details"])
        return HookOutcome(f"Report not written: {built['error']}", failed=True)
    for warning in built["warnings"]:
        run.log.warning(warning)
    try:
        if built["complete"]:
            remember(run.lake, inputs)
        else:
            forget(run.lake)  # built again next run, until every part reads
    except OSError as error:  # the report is written; the next run merely builds it again
        run.log.warning("Report: its inputs could not be remembered (%s).", error)
    return HookOutcome(built["message"], failed=built["failed"])


BUILD_TARGET = "common.reports.hook:build_in_host"


def build_in_host(root: str, now: str) -> dict[str, Any]:
    """The report hook's heavy part (drawing, reading the warehouse), run where polars and
    SQLAlchemy are already imported: what the hook logs, says and remembers, as JSON."""
    from dotenv import dotenv_values

    from common.redact import load_secrets_from_environment
    from common.reports.build import build_report

    lake = Lake(Path(root))
    # Error text the page shows is masked: this host may not have run a script that did this.
    load_secrets_from_environment(dotenv_values(lake.root / ".env"))
    try:
        result = build_report(lake, datetime.fromisoformat(now))
    except Exception as error:
        return {"error": f"{type(error).__name__}: {error}", "details": traceback.format_exc()}
    warnings = [f"Report chart {s.spec.name}: {s.error}" for s in result.unreadable]
    if result.warehouse_problem:
        warnings.append(f"Report: {result.warehouse_problem}; charts come from the curated files.")
    return {
        "message": describe(result, result.page.relative_to(lake.root).as_posix()),
        "warnings": warnings,
        "complete": not (result.unreadable or result.warehouse_problem or result.money_problem),
        "failed": bool(result.unreadable),
    }

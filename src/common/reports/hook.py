"""Step 6's report hook: builds the report and says in one sentence what it wrote; when nothing
it is built from has changed since its last build, says so without building it."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

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
    failed, never stops the run."""
    # Imported here: common.pipeline.hooks imports this module, and drawing is heavy.
    from common.pipeline.hooks import HookOutcome

    now = datetime.now()
    inputs = report_inputs(run.lake, now.date())
    if is_current(run.lake, inputs):
        relative = page_path(run.lake).relative_to(run.lake.root).as_posix()
        return HookOutcome(unchanged_since_last_build(relative))
    from common.reports.build import build_report

    try:
        result = build_report(run.lake, now)
    except Exception as error:
        forget(run.lake)
        run.log.exception("The report could not be built.")
        return HookOutcome(f"Report not written: {type(error).__name__}: {error}", failed=True)
    for section in result.unreadable:
        run.log.warning("Report chart %s: %s", section.spec.name, section.error)
    if result.warehouse_problem:
        run.log.warning("Report: %s; charts come from the curated files.", result.warehouse_problem)
    relative = result.page.relative_to(run.lake.root).as_posix()
    message = describe(result, relative)
    try:
        if result.unreadable or result.warehouse_problem or result.money_problem:
            forget(run.lake)  # built again next run, until every part reads
        else:
            remember(run.lake, inputs)
    except OSError as error:  # the report is written; the next run merely builds it again
        run.log.warning("Report: its inputs could not be remembered (%s).", error)
    if result.unreadable:
        return HookOutcome(message, failed=True)
    return HookOutcome(message)

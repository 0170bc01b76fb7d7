"""Step 6's report hook: builds the report and says in one sentence what it wrote."""

from __future__ import annotations

from typing import TYPE_CHECKING

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


def write_report(run: PipelineRun) -> HookOutcome:
    """Build the consolidated report; any failure marks this hook failed, never stops the run."""
    # Imported here: common.pipeline.hooks imports this module, and drawing is heavy.
    from common.pipeline.hooks import HookOutcome
    from common.reports.build import build_report

    try:
        result = build_report(run.lake)
    except Exception as error:
        run.log.exception("The report could not be built.")
        return HookOutcome(f"Report not written: {type(error).__name__}: {error}", failed=True)
    for section in result.unreadable:
        run.log.warning("Report chart %s: %s", section.spec.name, section.error)
    if result.warehouse_problem:
        run.log.warning("Report: %s; charts come from the curated files.", result.warehouse_problem)
    relative = result.page.relative_to(run.lake.root).as_posix()
    message = describe(result, relative)
    if result.unreadable:
        return HookOutcome(message, failed=True)
    return HookOutcome(message)

"""The one entry every command uses to start a run (`bedrot run`, `bedrot demo`,
`run_with_auth_check.py`, the scheduler's wrappers through `bedrot run`), and the list of hooks
that plug the operations (logins, health, reports, retention) into the runner's steps."""

from __future__ import annotations

from dataclasses import replace

from common.health.remediation import drain_stuck_data
from common.lake import Lake
from common.maintenance import apply_retention
from common.pipeline.display import RunDisplay, choose_display
from common.pipeline.hooks import Hook, StepHooks
from common.pipeline.run import RunOptions, run_pipeline
from common.reports.hook import write_report
from common.sessions.hook import check_sessions
from common.settings import PipelineSettings, load_pipeline_settings
from common.warehouse.upkeep import warehouse_upkeep

STEP_HOOKS = StepHooks(
    cookie_checks=(check_sessions,),
    health_remediations=(drain_stuck_data,),
    reports_and_maintenance=(write_report, apply_retention, warehouse_upkeep),
)


def start_run(
    lake: Lake,
    options: RunOptions,
    settings: PipelineSettings | None = None,
    display: RunDisplay | None = None,
    workers: int | None = None,
    timeout: float | None = None,
    after_reports: tuple[Hook, ...] = (),
) -> int:
    """Run the six steps with every hook (and `after_reports`, a command's own hooks at the end
    of step 6); raises SettingsError for bad config/pipeline.json and LockHeld when another
    run holds the lake (each command says so in its own words)."""
    settings = settings or load_pipeline_settings(lake)
    if workers is not None:
        settings = replace(settings, workers=workers)
    if timeout is not None:
        settings = replace(settings, script_timeout_seconds=timeout, script_timeouts={})
    hooks = replace(
        STEP_HOOKS, reports_and_maintenance=STEP_HOOKS.reports_and_maintenance + after_reports
    )
    return run_pipeline(lake, options, settings, display or choose_display(), hooks)

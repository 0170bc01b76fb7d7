"""Step 2's remediation: data a previous run left unpromoted is drained by the pending cleaners.

Only backlog is drained: files waiting between zones that were already there when the service's
last recorded run ended (a killed run, a failed cleaner, a cleaner run alone). A file that arrived
since, or that no run has seen yet, is new: step 4 cleans it, once.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from common.health.blocks import Block, cleaners_to_drain, find_backlog, find_blocks
from common.ledger import read_records

if TYPE_CHECKING:
    from common.pipeline.hooks import HookOutcome
    from common.pipeline.run import PipelineRun


def last_run_ends(run: PipelineRun) -> dict[str, float]:
    """When each service's last recorded run (before this one) ended, in epoch seconds."""
    ends: dict[str, float] = {}
    for record in read_records(run.lake.logs):
        if record.correlation_id != run.correlation_id:
            ends[record.service] = max(ends.get(record.service, 0.0), record.timestamp.timestamp())
    return ends


def _waiting(run: PipelineRun, backlog_only: bool) -> dict[str, list[Block]]:
    ends = last_run_ends(run) if backlog_only else {}
    waiting: dict[str, list[Block]] = {}
    for service in run.services:
        try:
            if backlog_only:
                blocks = find_backlog(run.lake, service, ends.get(service.name))
            else:
                blocks = find_blocks(run.lake, service)
        except (OSError, ValueError) as error:  # one unreadable folder must not stop the run
            run.log.warning(
                "Could not look for stuck data: %s", error, extra={"service": service.name}
            )
            continue
        if blocks:
            waiting[service.name] = blocks
    return waiting


def _moved(stuck: dict[str, list[Block]], after: dict[str, list[Block]]) -> dict[str, int]:
    """How many of each step's stuck files moved on, keyed "distrokid 1_landing->2_raw"."""
    left = {name: {f for block in blocks for f in block.files} for name, blocks in after.items()}
    moved: dict[str, int] = {}
    for name, blocks in stuck.items():
        for block in blocks:
            count = sum(f not in left.get(name, set()) for f in block.files)
            if count:
                moved[f"{name} {block.label}"] = count
    return moved


def _listing(counts: dict[str, int]) -> str:
    return ", ".join(f"{step} ({count})" for step, count in counts.items())


def _counts(waiting: dict[str, list[Block]]) -> dict[str, int]:
    return {f"{name} {b.label}": len(b.files) for name, blocks in waiting.items() for b in blocks}


def _nothing_left_behind(run: PipelineRun) -> str:
    new = _counts(_waiting(run, backlog_only=False))
    if not new:
        return "Nothing to do: nothing stuck between zones."
    return (
        "Nothing to do: nothing was left behind by a previous run; step 4 cleans the "
        f"{sum(new.values())} new file(s): {_listing(new)}."
    )


def drain_stuck_data(run: PipelineRun) -> HookOutcome:
    """Run the cleaners of every service with backlog, from its first backlogged zone onward.

    The scripts run through the runner, so they are logged and recorded in the run ledger like
    any other; step 4 does not run them again unless their input changed since. A failing one
    fails the run through its ledger record (exit 1) while every other service and step carries
    on.
    """
    # Imported at call time: hooks.py imports this module to list the function.
    from common.pipeline.hooks import HookOutcome

    stuck = _waiting(run, backlog_only=True)
    if not stuck:
        return HookOutcome(_nothing_left_behind(run))
    chains: dict[str, list[Path]] = {}
    for service in run.services:
        if service.name in stuck:
            chains[service.name] = cleaners_to_drain(service, stuck[service.name])
            run.log.info(
                "Draining %s: %s left behind by a previous run.",
                service.name,
                _listing({b.label: len(b.files) for b in stuck[service.name]}),
                extra={"service": service.name},
            )
    ran_before = len(run.records)
    run.run_services(chains)
    failed = [r.script for r in run.records[ran_before:] if r.failed]
    after = _waiting(run, backlog_only=False)
    moved = _moved(stuck, after)
    if moved:
        message = f"Drained {sum(moved.values())} stuck file(s): {_listing(moved)}."
    else:
        message = "Drained nothing: the pending cleaners left every stuck file in place."
    still = _counts(_waiting(run, backlog_only=True))
    if still:
        message += f" Still stuck: {_listing(still)}."
    if failed:
        message += f" Failed while draining: {', '.join(failed)}."
    return HookOutcome(message)

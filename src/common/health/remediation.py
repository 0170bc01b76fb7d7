"""Step 2's remediation: data a previous run left unpromoted is drained by the pending cleaners.

Only backlog is drained: files waiting between zones that were already there when the service's
last recorded run ended (a killed run, a failed cleaner, a cleaner run alone). A file that arrived
since, or that no run has seen yet, is new: step 4 cleans it, once.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from common.health.blocks import Block, backlog, cleaners_to_drain, find_blocks
from common.ledger import LedgerRecord, read_records, tail_offset

if TYPE_CHECKING:
    from common.pipeline.hooks import HookOutcome
    from common.pipeline.run import PipelineRun


# The ledger's latest records are enough to know when each service last ran (a run records
# every script, run or skipped); an older ledger is read whole only for a service not in them.
RECENT_LEDGER_BYTES = 1 << 20


def last_run_ends(run: PipelineRun) -> dict[str, float]:
    """When each service's last recorded run (before this one) ended, in epoch seconds."""
    recent = _ends(
        read_records(run.lake.logs, tail_offset(run.lake.logs, RECENT_LEDGER_BYTES)), run
    )
    if all(service.name in recent for service in run.services):
        return recent
    return _ends(read_records(run.lake.logs), run)


def _ends(records: list[LedgerRecord], run: PipelineRun) -> dict[str, float]:
    ends: dict[str, float] = {}
    for record in records:
        if record.correlation_id != run.correlation_id:
            ends[record.service] = max(ends.get(record.service, 0.0), record.timestamp.timestamp())
    return ends


def _blocks(run: PipelineRun) -> dict[str, list[Block]]:
    """Each service's files waiting between zones (one scan of its zones)."""
    waiting: dict[str, list[Block]] = {}
    for service in run.services:
        try:
            blocks = find_blocks(run.lake, service)
        except (OSError, ValueError) as error:  # one unreadable folder must not stop the run
            run.log.warning(
                "Could not look for stuck data: %s", error, extra={"service": service.name}
            )
            continue
        if blocks:
            waiting[service.name] = blocks
    return waiting


def _backlog(run: PipelineRun, waiting: dict[str, list[Block]]) -> dict[str, list[Block]]:
    """Of the waiting files, those that arrived before their service's last run ended."""
    if not waiting:
        return {}
    ends = last_run_ends(run)
    stuck = {name: backlog(run.lake, blocks, ends.get(name)) for name, blocks in waiting.items()}
    return {name: blocks for name, blocks in stuck.items() if blocks}


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


def _nothing_left_behind(waiting: dict[str, list[Block]]) -> str:
    new = _counts(waiting)
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

    waiting = _blocks(run)
    stuck = _backlog(run, waiting)
    if not stuck:
        return HookOutcome(_nothing_left_behind(waiting))
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
    after = _blocks(run)
    moved = _moved(stuck, after)
    if moved:
        message = f"Drained {sum(moved.values())} stuck file(s): {_listing(moved)}."
    else:
        message = "Drained nothing: the pending cleaners left every stuck file in place."
    still = _counts(_backlog(run, after))
    if still:
        message += f" Still stuck: {_listing(still)}."
    if failed:
        message += f" Failed while draining: {', '.join(failed)}."
    return HookOutcome(message)

"""Step 2's remediation: data stuck between zones is drained by running the pending cleaners."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from common.health.blocks import Block, cleaners_to_drain, find_blocks

if TYPE_CHECKING:
    from common.pipeline.hooks import HookOutcome
    from common.pipeline.run import PipelineRun


def _stuck(run: PipelineRun) -> dict[str, list[Block]]:
    stuck: dict[str, list[Block]] = {}
    for service in run.services:
        try:
            blocks = find_blocks(run.lake, service)
        except (OSError, ValueError) as error:  # one unreadable folder must not stop the run
            run.log.warning(
                "Could not look for stuck data: %s", error, extra={"service": service.name}
            )
            continue
        if blocks:
            stuck[service.name] = blocks
    return stuck


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


def drain_stuck_data(run: PipelineRun) -> HookOutcome:
    """Run the cleaners of every blocked service from its first blocked zone onward.

    The scripts run through the runner, so they are logged like any other; a failing one marks
    this step failed (the run exits 1) while every other service and step carries on.
    """
    # Imported at call time: hooks.py imports this module to list the function.
    from common.pipeline.hooks import HookOutcome

    stuck = _stuck(run)
    if not stuck:
        return HookOutcome("Nothing to do: nothing stuck between zones.")
    chains: dict[str, list[Path]] = {}
    for service in run.services:
        if service.name in stuck:
            chains[service.name] = cleaners_to_drain(service, stuck[service.name])
            run.log.info(
                "Draining %s: %s stuck.",
                service.name,
                _listing({b.label: len(b.files) for b in stuck[service.name]}),
                extra={"service": service.name},
            )
    ran_before = len(run.results)
    run.run_services(chains)
    failed = [result.script.name for result in run.results[ran_before:] if not result.ok]
    after = _stuck(run)
    moved = _moved(stuck, after)
    if moved:
        message = f"Drained {sum(moved.values())} stuck file(s): {_listing(moved)}."
    else:
        message = "Drained nothing: the pending cleaners left every stuck file in place."
    still = {f"{name} {b.label}": len(b.files) for name, blocks in after.items() for b in blocks}
    if still:
        message += f" Still stuck: {_listing(still)}."
    if failed:
        message += f" Failed while draining: {', '.join(failed)}."
    return HookOutcome(message, failed=bool(failed))

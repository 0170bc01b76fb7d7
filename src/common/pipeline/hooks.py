"""The hooks of steps 1, 2 and 6: later capabilities add their functions to these tuples.

A hook receives the run and returns what it did; a step whose hooks are all absent says it has
nothing to do rather than pretending to work.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from common.health.remediation import drain_stuck_data
from common.maintenance import apply_retention
from common.reports.hook import write_report
from common.sessions.hook import check_sessions

if TYPE_CHECKING:
    from common.pipeline.run import PipelineRun


@dataclass(frozen=True)
class HookOutcome:
    """One hook's result: a sentence for the log, whether it failed, services to skip for auth."""

    message: str
    failed: bool = False
    skip_for_authentication: frozenset[str] = field(default_factory=frozenset)


class Hook(Protocol):
    def __call__(self, run: PipelineRun) -> HookOutcome: ...


COOKIE_CHECKS: tuple[Hook, ...] = (check_sessions,)
HEALTH_REMEDIATIONS: tuple[Hook, ...] = (drain_stuck_data,)
REPORTS_AND_MAINTENANCE: tuple[Hook, ...] = (write_report, apply_retention)

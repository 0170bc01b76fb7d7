"""The contract of steps 1, 2 and 6: what a hook is, and the hooks one run is given.

The runner knows only this contract. Which functions fill it (the login check, the backlog
drain, the report, retention, the warehouse's upkeep: `common.warehouse.upkeep.warehouse_upkeep`)
is decided at the top, in `common.start`, so the runner imports nothing above it. A step given
no hooks says it has nothing to do rather than pretending.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

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


@dataclass(frozen=True)
class StepHooks:
    """The hooks of one run, by step."""

    cookie_checks: tuple[Hook, ...] = ()
    health_remediations: tuple[Hook, ...] = ()
    reports_and_maintenance: tuple[Hook, ...] = ()

"""The closing count of a run, from its records in the run ledger: each script once.

A script may appear twice in one run (drained in step 2, then run again in step 4 because an
extractor landed new files); it is counted once, by its worst outcome, so a run of 21 scripts never
reports more than 21.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from common.ledger import LedgerRecord, Outcome

# Worst first: a script that failed once in a run counts as failed.
PRECEDENCE: tuple[Outcome, ...] = ("timeout", "failed", "ok", "skipped_login", "up_to_date")


@dataclass(frozen=True)
class RunCounts:
    """What the ledger says one run did, each script counted once."""

    ok: int
    up_to_date: int
    failed: tuple[str, ...]
    skipped_for_login: tuple[str, ...]

    @property
    def ran(self) -> bool:
        return self.ok > 0 or bool(self.failed) or bool(self.skipped_for_login)


def _worst(outcomes: list[Outcome]) -> Outcome:
    return min(outcomes, key=PRECEDENCE.index)


def count_run(records: Iterable[LedgerRecord], correlation_id: str) -> RunCounts:
    """Counts of the run `correlation_id`: scripts ok, up to date and failed ("service/script"),
    and the services skipped for a login."""
    by_script: dict[tuple[str, str], list[Outcome]] = {}
    for record in records:
        if record.correlation_id == correlation_id:
            by_script.setdefault((record.service, record.script), []).append(record.outcome)
    final = {key: _worst(outcomes) for key, outcomes in by_script.items()}
    failed = tuple(
        f"{s}/{script}" for (s, script), o in final.items() if o in ("failed", "timeout")
    )
    skipped = sorted({service for (service, _), o in final.items() if o == "skipped_login"})
    return RunCounts(
        ok=sum(outcome == "ok" for outcome in final.values()),
        up_to_date=sum(outcome == "up_to_date" for outcome in final.values()),
        failed=failed,
        skipped_for_login=tuple(skipped),
    )

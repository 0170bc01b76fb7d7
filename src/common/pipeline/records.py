"""The runner's side of the run ledger: exactly one record per script it starts, plus a record
for each script it decided not to start.

A script started through `common.script.run_script` writes its own record (with the files it
read, wrote and quarantined); the runner finds it by the run id it gave the script and writes one
itself only when the script could not: it timed out before recording, was killed, could not be
started, or is a plain script without the shared boundary.
"""

from __future__ import annotations

import logging
from pathlib import Path

from common.ledger import (
    LedgerRecord,
    Outcome,
    append_record,
    now_utc,
    read_records,
    step_of,
)
from common.pipeline.execute import ScriptResult


def _append(logs_dir: Path, record: LedgerRecord, log: logging.Logger) -> None:
    try:
        append_record(logs_dir, record)
    except OSError as error:  # a full disk costs the record, never the run
        log.warning("Could not add %s to the run ledger: %s", record.script, error)


def _runner_record(
    correlation_id: str,
    service: str,
    script: Path,
    outcome: Outcome,
    exit_code: int | None,
    seconds: float,
    run_id: str = "",
) -> LedgerRecord:
    return LedgerRecord(
        timestamp=now_utc(),
        correlation_id=correlation_id,
        run_id=run_id,
        service=service,
        script=script.name,
        step=step_of(script),
        outcome=outcome,
        exit_code=exit_code,
        duration_seconds=seconds,
        recorded_by="runner",
    )


def settle_script_run(
    logs_dir: Path,
    correlation_id: str,
    service: str,
    result: ScriptResult,
    offset: int,
    log: logging.Logger,
) -> LedgerRecord:
    """The one record of a script run: its own, found after `offset`, else the runner's."""
    own = [r for r in read_records(logs_dir, offset) if r.run_id == result.run_id]
    if own:
        return own[-1]
    if result.timed_out:
        outcome: Outcome = "timeout"
    else:
        outcome = "ok" if result.ok else "failed"
    record = _runner_record(
        correlation_id,
        service,
        result.script,
        outcome,
        result.exit_code,
        result.duration_seconds,
        result.run_id,
    )
    _append(logs_dir, record, log)
    return record


def record_not_started(
    logs_dir: Path,
    correlation_id: str,
    service: str,
    script: Path,
    outcome: Outcome,
    log: logging.Logger,
) -> LedgerRecord:
    """The runner chose not to start `script` (its input is up to date, its login expired)."""
    record = _runner_record(correlation_id, service, script, outcome, None, 0.0)
    _append(logs_dir, record, log)
    return record

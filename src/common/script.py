"""The entry of every extractor, cleaner and ETL script: lake, logging and one error boundary."""

from __future__ import annotations

import logging
import os
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from dotenv import dotenv_values

from common.console import utf8_output
from common.lake import Lake, NotALakeError
from common.ledger import (
    RUN_ID_ENV,
    FileTally,
    LedgerRecord,
    Outcome,
    append_record,
    now_utc,
    step_of,
    tallying,
)
from common.lock import LockHeld, RunLock
from common.logs import UNDER_RUNNER_ENV, correlation_id, setup_logging
from common.redact import load_secrets_from_environment
from common.zones import DiskFullError, FileInUseError

EXIT_OK, EXIT_FAILED, EXIT_BAD_ROOT = 0, 1, 2


@dataclass(frozen=True)
class ScriptContext:
    """What a script needs: its lake, its service and the run's logger."""

    lake: Lake
    service: str
    log: logging.Logger


def open_lake_or_explain() -> Lake | None:
    """The lake, or None after printing the one sentence that says why not."""
    utf8_output()
    try:
        return Lake.locate()
    except NotALakeError as error:
        print(f"[FAIL] {error}", file=sys.stderr)
        return None


def run_script(
    service: str, main: Callable[[ScriptContext], int | None], step: str | None = None
) -> int:
    """Run `main` for `service` and turn its outcome into an exit code.

    Exit 0 when it finished (quarantined files included), 1 when it failed, 2 when the lake root is
    wrong or a pipeline run holds the lake. Run alone, a script takes the run lock itself, so it
    never races a scheduled run. An unexpected exception is logged once, with its traceback.
    Every run that gets past the lock appends its record to the run ledger (`common.ledger`):
    outcome, exit code, duration and the files the shared cleaning helpers read, wrote and
    quarantined. `step` defaults to the one the script's name and folder say.
    """
    lake = open_lake_or_explain()
    if lake is None:
        return EXIT_BAD_ROOT
    lock = None
    if os.environ.get(UNDER_RUNNER_ENV) != "1":
        lock = RunLock(lake.root, f"python {Path(sys.argv[0]).name}")
        try:
            lock.acquire()
        except LockHeld as held:
            print(f"[FAIL] {held}", file=sys.stderr)
            return EXIT_BAD_ROOT
    load_secrets_from_environment(dotenv_values(lake.root / ".env"))
    log = setup_logging(lake.logs, service)
    started = time.monotonic()
    code = EXIT_FAILED
    with tallying(lake.root) as tally:
        try:
            code = call_step(ScriptContext(lake, service, log), main)
        finally:
            seconds = time.monotonic() - started
            script = Path(sys.argv[0])
            record = _ledger_record(service, script, step or step_of(script), code, seconds, tally)
            _append_or_warn(lake, log, record)
            if lock is not None:
                # Run alone, the script records its own run as the runner would.
                _record_run(log, service, code, seconds)
                lock.release()
    return code


def call_step(ctx: ScriptContext, main: Callable[[ScriptContext], int | None]) -> int:
    """The boundary around a script's work: its exit code, an unexpected exception logged once
    with its traceback, a full disk as its own sentence (no traceback: it says what to do)."""
    try:
        return main(ctx) or EXIT_OK
    except (DiskFullError, FileInUseError) as error:
        ctx.log.error("%s", error.strerror)
    except Exception as error:
        ctx.log.error("%s failed: %s", ctx.service, error, exc_info=True)
    return EXIT_FAILED


def _outcome(code: int, tally: FileTally) -> Outcome:
    """A script's own word (a login skip) counts only when it also exited 0."""
    if code != EXIT_OK:
        return "failed"
    return tally.outcome or "ok"


def _ledger_record(
    service: str, script: Path, step: str, code: int, seconds: float, tally: FileTally
) -> LedgerRecord:
    return LedgerRecord(
        timestamp=now_utc(),
        correlation_id=correlation_id(),
        run_id=os.environ.get(RUN_ID_ENV) or uuid.uuid4().hex[:16],
        service=service,
        script=script.name,
        step=step,
        outcome=_outcome(code, tally),
        exit_code=code,
        duration_seconds=seconds,
        recorded_by="script",
        files=tally.counts(),
    )


def _append_or_warn(lake: Lake, log: logging.Logger, record: LedgerRecord) -> None:
    """A ledger that cannot be written (a full disk) costs the record, never the script's work."""
    try:
        append_record(lake.logs, record)
    except OSError as error:
        log.warning("Could not add this run to the run ledger: %s", error)


def _record_run(log: logging.Logger, service: str, code: int, seconds: float) -> None:
    script = Path(sys.argv[0]).name
    verdict = "[OK]" if code == EXIT_OK else "[FAIL]"
    log.log(
        logging.INFO if code == EXIT_OK else logging.ERROR,
        "%s %s exited %d in %.3f s (run alone)",
        verdict,
        script,
        code,
        seconds,
        extra={"service": service, "exit_code": code, "duration_seconds": round(seconds, 3)},
    )


def run_service_step(script: str, step: str) -> int:
    """What a lake's own cleaner script runs: `<service>.steps.<step>` of the service folder the
    script sits in (`src/<service>/cleaners/<script>.py`), importable even when the script is run
    alone, without the runner's PYTHONPATH."""
    import importlib

    folder = Path(script).resolve().parents[1]
    if str(folder.parent) not in sys.path:
        sys.path.insert(0, str(folder.parent))
    steps = importlib.import_module(f"{folder.name}.steps")
    return run_script(folder.name, getattr(steps, step))

"""The six steps of one pipeline run, with parallel services and one lock."""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from common.discovery import Service, discover_services, make_landing_folders
from common.lake import ZONE_NAMES, Lake
from common.ledger import LedgerRecord, ledger_size, read_records
from common.lock import RunLock
from common.logs import AUTOMATED_ENV, correlation_id, rotate_monthly, run_log_name, setup_logging
from common.pipeline.display import DisplayHandler, RunDisplay
from common.pipeline.execute import CallResult, ScriptResult, WorkerPool, run_script
from common.pipeline.freshness import (
    input_fingerprint,
    is_etl,
    is_up_to_date,
    remember_success,
)
from common.pipeline.hooks import Hook, StepHooks
from common.pipeline.records import record_not_started, settle_script_run
from common.pipeline.summary import count_run
from common.pipeline.worker import callable_named
from common.settings import PipelineSettings
from common.zones import TEMP_MARKER

STEPS = 6
ETL_ENTRY = Path("etl") / "run_all_etl.py"
OUTPUT_TAIL_LINES = 12
WARNED = ("WARNING ", "ERROR ", "CRITICAL ")


@dataclass(frozen=True)
class RunOptions:
    automated: bool = False
    extract: bool = True
    warehouse: bool = True
    services: frozenset[str] | None = None
    force: bool = False


@dataclass
class PipelineRun:
    """Everything one run knows; hooks read and extend it."""

    lake: Lake
    options: RunOptions
    settings: PipelineSettings
    display: RunDisplay
    log: logging.Logger
    correlation_id: str
    hooks: StepHooks = field(default_factory=StepHooks)
    services: list[Service] = field(default_factory=list)
    results: list[ScriptResult] = field(default_factory=list)
    # The ledger records of the scripts this run started, in the order they finished.
    records: list[LedgerRecord] = field(default_factory=list)
    skipped_for_authentication: set[str] = field(default_factory=set)
    # Failures that are not a script's (a broken service, a hook); scripts' are in the ledger.
    failures: list[str] = field(default_factory=list)
    up_to_date: list[str] = field(default_factory=list)
    # Where the ledger ended when this run began: the run's own records come after.
    ledger_offset: int = 0
    # "service/script" -> (input fingerprint, succeeded) of each script this run started.
    ran_this_run: dict[str, tuple[str | None, bool]] = field(default_factory=dict)
    # The config's and each service's code lines, read once per run for the cleaners' skips.
    code_memo: dict[str, list[str]] = field(default_factory=dict)
    # Hosts for cleaners, the ETL and step 6's heavy calls (None: every script gets its own
    # interpreter and step 6 works in this process).
    pool: WorkerPool | None = None

    def call_heavy(self, target: str, **kwargs: Any) -> CallResult:
        """Step 6's heavy work (the report, the warehouse's upkeep): `module:function(**kwargs)`
        in the script host the ETL has just used, where polars, SQLAlchemy and the warehouse's
        models are already imported (~0.7 s this process would spend importing them), or in this
        process when the run has no hosts. The function returns JSON-able values and handles its
        own expected failures; anything else (a crash, a host killed, the timeout: the ETL's,
        as this work reads the same warehouse) is a CallResult that is not ok, its output in
        the log."""
        if self.pool is not None:
            extra = {AUTOMATED_ENV: "1"} if self.options.automated else {}
            timeout = max(
                self.settings.script_timeout_seconds,
                self.settings.timeout_for(self.lake.root / ETL_ENTRY),
            )
            result = self.pool.call(target, kwargs, timeout, extra)
        else:
            try:
                result = CallResult(target, 0, "", callable_named(target)(**kwargs))
            except Exception:
                result = CallResult(target, 1, traceback.format_exc())
        if not result.ok:
            self.log.error("%s gave no answer; its output:\n%s", target, result.output.rstrip())
        return result

    def announce(self, number: int, title: str) -> None:
        self.log.info("[STEP %d/%d] %s", number, STEPS, title)

    def _ran_on_same_input(self, service: str, script: Path, fingerprint: str | None) -> bool:
        earlier = self.ran_this_run.get(f"{service}/{script.name}")
        return earlier is not None and fingerprint is not None and earlier[0] == fingerprint

    def _skip_rest(self, service: str, failed: Path, rest: list[Path]) -> None:
        for skipped in rest:
            self.log.warning(
                "[SKIP] %s: not run because %s failed.",
                skipped.name,
                failed.name,
                extra={"service": service},
            )

    def _start(self, script: Path, shared: bool) -> ScriptResult:
        timeout = self.settings.timeout_for(script)
        extra = {AUTOMATED_ENV: "1"} if self.options.automated else None
        if shared and self.pool is not None:
            return self.pool.run(script, timeout, extra)
        return run_script(script, self.lake.root, self.correlation_id, timeout, extra)

    def run_chain(self, service: str, scripts: list[Path], shared: bool = True) -> None:
        """Run one service's scripts in order; after a failure the rest of its chain is skipped.

        A script that already ran in this run (a drain in step 2) on the same input is not run
        again: its outcome stands, so each script runs once per run unless new input arrived.
        """
        self.display.begin(service, len(scripts))
        for index, script in enumerate(scripts):
            fingerprint = input_fingerprint(self.lake, service, script, self.code_memo)
            if self._ran_on_same_input(service, script, fingerprint):
                self.log.info(
                    "[SKIP] %s: already ran in this run; its input is unchanged since.",
                    script.name,
                    extra={"service": service},
                )
                self.display.advance(service, "")
                if not self.ran_this_run[f"{service}/{script.name}"][1]:
                    self._skip_rest(service, script, scripts[index + 1 :])
                    return
                continue
            if not self.options.force and is_up_to_date(self.lake, service, script, fingerprint):
                self.up_to_date.append(f"{service}/{script.name}")
                record_not_started(
                    self.lake.logs, self.correlation_id, service, script, "up_to_date", self.log
                )
                self.log.info(
                    "[SKIP] %s: %s",
                    script.name,
                    (
                        "nothing in the curated zone, config/ or the warehouse changed since its "
                        "last success."
                        if is_etl(self.lake, script)
                        else "its input folder is unchanged since its last success."
                    ),
                    extra={"service": service},
                )
                self.display.advance(service, "")
                continue
            self.display.advance(service, script.name)
            offset = ledger_size(self.lake.logs)
            result = self._start(script, shared)
            ledger = settle_script_run(
                self.lake.logs, self.correlation_id, service, result, offset, self.log
            )
            ok = not ledger.failed
            self.results.append(result)
            self.records.append(ledger)
            self.ran_this_run[f"{service}/{script.name}"] = (fingerprint, ok)
            self.record(service, result, ok)
            self.display.advance(service, "")
            if not ok:
                self._skip_rest(service, script, scripts[index + 1 :])
                return
            if is_etl(self.lake, script):  # the state it left: its first load makes the warehouse
                fingerprint = input_fingerprint(self.lake, service, script)
            remember_success(self.lake, service, script, fingerprint)

    def record(self, service: str, result: ScriptResult, ok: bool) -> None:
        """The script's line for people; `ok` is what its ledger record says."""
        if result.timed_out and ok:
            verdict = (
                f"[OK] {result.script.name} recorded its work but did not exit; stopped after "
                f"{result.duration_seconds} s"
            )
        elif result.timed_out:
            verdict = f"[FAIL] {result.script.name} timed out after {result.duration_seconds} s"
        elif ok:
            verdict = f"[OK] {result.script.name} exited 0 in {result.duration_seconds} s"
            closing = closing_sentence(result.output)
            if closing:
                verdict += f": {closing}"
            warnings = [line for line in result.output.splitlines() if line.startswith(WARNED)]
            verdict += "".join(f"\n    {line}" for line in warnings)
        else:
            verdict = (
                f"[FAIL] {result.script.name} exited {result.exit_code} "
                f"in {result.duration_seconds} s"
            )
        if not ok:
            tail = result.output.rstrip().splitlines()[-OUTPUT_TAIL_LINES:]
            if tail:
                verdict += "; last output:\n" + "\n".join(f"    {line}" for line in tail)
        self.log.log(
            logging.INFO if ok else logging.ERROR,
            verdict,
            extra={
                "service": service,
                "exit_code": result.exit_code,
                "duration_seconds": result.duration_seconds,
                "output": result.output,
            },
        )

    def run_services(self, chains: dict[str, list[Path]], shared: bool = True) -> None:
        """Independent services run side by side on `settings.workers` threads; `shared`
        scripts (cleaners, the ETL) run in the run's script hosts, the others on their own."""
        runnable = {name: scripts for name, scripts in chains.items() if scripts}
        with ThreadPoolExecutor(max_workers=self.settings.workers) as pool:
            futures = [pool.submit(self.run_chain, n, s, shared) for n, s in runnable.items()]
            for future in futures:
                future.result()


def closing_sentence(output: str) -> str:
    """The last thing a script said, without its level and service prefix."""
    for line in reversed(output.strip().splitlines()):
        if line.strip() and not line.startswith((" ", "\t")):
            return line.split("] ", 1)[-1].strip()
    return ""


def _run_hooks(run: PipelineRun, step_hooks: tuple[Hook, ...], nothing: str) -> None:
    if not step_hooks:
        run.log.info("Nothing to do: %s", nothing)
        return
    for hook in step_hooks:
        outcome = hook(run)
        run.log.log(logging.ERROR if outcome.failed else logging.INFO, outcome.message)
        if outcome.failed:
            run.failures.append(outcome.message)
        run.skipped_for_authentication |= outcome.skip_for_authentication


def step_cookie_check(run: PipelineRun) -> None:
    run.announce(1, "Cookie status check")
    _run_hooks(run, run.hooks.cookie_checks, "no service has a saved-session check yet.")


def step_health(run: PipelineRun) -> None:
    run.announce(2, "Health check and remediation")
    _run_hooks(run, run.hooks.health_remediations, "no health check is installed yet.")


def step_extract(run: PipelineRun) -> None:
    run.announce(3, "Extractors")
    if not run.options.extract:
        run.log.info("Skipped: extractors are off for this run (--no-extract).")
        return
    chains: dict[str, list[Path]] = {}
    for service in run.services:
        if service.name in run.skipped_for_authentication:
            run.log.warning(
                "[SKIP] %s: its saved session is missing or expired; log in with "
                "`bedrot cookies refresh --service %s`.",
                service.name,
                service.name,
                extra={"service": service.name},
            )
            for extractor in service.extractors:
                record_not_started(
                    run.lake.logs,
                    run.correlation_id,
                    service.name,
                    extractor,
                    "skipped_login",
                    run.log,
                )
            continue
        chains[service.name] = list(service.extractors)
    if not any(chains.values()):
        run.log.info("Nothing to do: no service in this run has extractors.")
        return
    # Extractors drive browsers and wait on the network: each gets its own interpreter.
    run.run_services(chains, shared=False)


def step_clean(run: PipelineRun) -> None:
    run.announce(4, "Cleaners (landing2raw -> raw2staging -> staging2curated)")
    chains = {service.name: list(service.cleaners) for service in run.services}
    if not any(chains.values()):
        run.log.info("Nothing to do: no service in this run has cleaners.")
        return
    run.run_services(chains)


def step_warehouse(run: PipelineRun) -> None:
    run.announce(5, "Warehouse ETL")
    if not run.options.warehouse:
        run.log.info("Skipped: the warehouse load is off for this run (--no-warehouse).")
        return
    entry = run.lake.root / ETL_ENTRY
    if not entry.is_file():
        run.log.info("Nothing to do: this lake has no %s.", ETL_ENTRY.as_posix())
        return
    run.run_services({"warehouse": [entry]})


def step_reports(run: PipelineRun) -> None:
    run.announce(6, "Reports and maintenance")
    _run_hooks(
        run, run.hooks.reports_and_maintenance, "no report or retention task is installed yet."
    )


def _remove_interrupted_writes(run: PipelineRun) -> None:
    """Temp files in the zones can only be left by a killed run: this run holds the lock."""
    leftovers = [
        path
        for zone in ZONE_NAMES
        if run.lake.zone(zone).is_dir()
        for path in run.lake.zone(zone).rglob(f"*{TEMP_MARKER}")
    ]
    for path in leftovers:
        path.unlink(missing_ok=True)
    if leftovers:
        run.log.warning(
            "Removed %d unfinished temporary file(s) left by an interrupted run.", len(leftovers)
        )


def _select_services(run: PipelineRun) -> None:
    found = discover_services(run.lake)
    for name, reason in found.broken.items():
        run.log.error("[FAIL] Service %s is broken and will not run: %s", name, reason)
        run.failures.append(f"{name} (broken)")
    wanted = run.options.services
    if wanted:
        known = {service.name for service in found.services} | set(found.broken)
        for unknown in sorted(wanted - known):
            run.log.error("[FAIL] No service named %s in %s.", unknown, run.lake.src)
            run.failures.append(f"{unknown} (unknown)")
    run.services = [s for s in found.services if not wanted or s.name in wanted]
    make_landing_folders(run.lake, run.services)
    names = ", ".join(s.name for s in run.services) or "none"
    run.log.info("Services in this run: %s.", names)


def _summarise(run: PipelineRun, started: float) -> int:
    """The closing line, counted from this run's records in the run ledger."""
    counts = count_run(read_records(run.lake.logs, run.ledger_offset), run.correlation_id)
    failures = [*counts.failed, *run.failures]
    exit_code = 1 if failures else 0
    if not counts.ran and counts.up_to_date and not failures:
        run.log.info("No work to do: every cleaner's input is unchanged since its last success.")
    run.log.log(
        logging.ERROR if failures else logging.INFO,
        "Run finished in %.1f s: %d script(s) ok, %d up to date, %d failed, %d service(s) "
        "skipped for authentication; exit %d.%s",
        time.monotonic() - started,
        counts.ok,
        counts.up_to_date,
        len(failures),
        len(counts.skipped_for_login),
        exit_code,
        f" Failed: {', '.join(failures)}." if failures else "",
    )
    return exit_code


@contextmanager
def _closing(pool: WorkerPool | None) -> Iterator[None]:
    try:
        yield
    finally:
        if pool is not None:
            pool.close()


def run_pipeline(
    lake: Lake,
    options: RunOptions,
    settings: PipelineSettings,
    display: RunDisplay,
    step_hooks: StepHooks | None = None,
) -> int:
    """Run the six steps under the lock; exit 0 when everything ran or was skipped for auth.
    Commands start runs through `common.start.start_run`, which supplies the hooks."""
    started = time.monotonic()
    with RunLock(lake.root, "bedrot run"):
        rotated = rotate_monthly(lake.logs)
        log = setup_logging(
            lake.logs,
            "pipeline",
            console=DisplayHandler(display),
            executor_log=True,
            run_log=lake.logs / run_log_name(datetime.now()),
        )
        run = PipelineRun(
            lake, options, settings, display, log, correlation_id(), step_hooks or StepHooks()
        )
        run.ledger_offset = ledger_size(lake.logs)
        mode = "automated" if options.automated else "interactive"
        log.info("BEDROT pipeline run %s (%s) in %s", run.correlation_id, mode, lake.root)
        for old in rotated:
            log.info("Started a new month's log; last month's is %s.", old.name)
        if not settings.fresh_process_per_script:
            run.pool = WorkerPool(lake.root, run.correlation_id)
        with display, _closing(run.pool):
            _remove_interrupted_writes(run)
            _select_services(run)
            for step in (
                step_cookie_check,
                step_health,
                step_extract,
                step_clean,
                step_warehouse,
                step_reports,
            ):
                step(run)
            return _summarise(run, started)

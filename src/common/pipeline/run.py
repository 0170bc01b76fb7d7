"""The six steps of one pipeline run, with parallel services and one lock."""

from __future__ import annotations

import logging
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from common.discovery import Service, discover_services
from common.lake import ZONE_NAMES, Lake
from common.logs import (
    AUTOMATED_ENV,
    SKIPPED_FOR_LOGIN,
    correlation_id,
    rotate_monthly,
    run_log_name,
    setup_logging,
)
from common.pipeline import hooks
from common.pipeline.display import DisplayHandler, RunDisplay
from common.pipeline.execute import ScriptResult, run_script
from common.pipeline.freshness import input_fingerprint, is_up_to_date, remember_success
from common.pipeline.lock import RunLock
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
    services: list[Service] = field(default_factory=list)
    results: list[ScriptResult] = field(default_factory=list)
    skipped_for_authentication: set[str] = field(default_factory=set)
    failures: list[str] = field(default_factory=list)
    up_to_date: list[str] = field(default_factory=list)

    def announce(self, number: int, title: str) -> None:
        self.log.info("[STEP %d/%d] %s", number, STEPS, title)

    def run_chain(self, service: str, scripts: list[Path]) -> None:
        """Run one service's scripts in order; after a failure the rest of its chain is skipped."""
        self.display.begin(service, len(scripts))
        for index, script in enumerate(scripts):
            fingerprint = input_fingerprint(self.lake, service, script)
            if not self.options.force and is_up_to_date(self.lake, service, script, fingerprint):
                self.up_to_date.append(f"{service}/{script.name}")
                self.log.info(
                    "[SKIP] %s: its input folder is unchanged since its last success.",
                    script.name,
                    extra={"service": service},
                )
                self.display.advance(service, "")
                continue
            self.display.advance(service, script.name)
            result = run_script(
                script,
                self.lake.root,
                self.correlation_id,
                self.settings.timeout_for(script),
                {AUTOMATED_ENV: "1"} if self.options.automated else None,
            )
            self.results.append(result)
            self.record(service, result)
            self.display.advance(service, "")
            if result.ok:
                remember_success(self.lake, service, script, fingerprint)
                if SKIPPED_FOR_LOGIN in result.output:
                    self.skipped_for_authentication.add(service)
            if not result.ok:
                for skipped in scripts[index + 1 :]:
                    self.log.warning(
                        "[SKIP] %s: not run because %s failed.",
                        skipped.name,
                        script.name,
                        extra={"service": service},
                    )
                return

    def record(self, service: str, result: ScriptResult) -> None:
        if result.timed_out:
            verdict = f"[FAIL] {result.script.name} timed out after {result.duration_seconds} s"
        elif result.ok:
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
        if not result.ok:
            self.failures.append(f"{service}/{result.script.name}")
            tail = result.output.rstrip().splitlines()[-OUTPUT_TAIL_LINES:]
            if tail:
                verdict += "; last output:\n" + "\n".join(f"    {line}" for line in tail)
        self.log.log(
            logging.INFO if result.ok else logging.ERROR,
            verdict,
            extra={
                "service": service,
                "exit_code": result.exit_code,
                "duration_seconds": result.duration_seconds,
                "output": result.output,
            },
        )

    def run_services(self, chains: dict[str, list[Path]]) -> None:
        """Independent services run side by side on `settings.workers` threads."""
        runnable = {name: scripts for name, scripts in chains.items() if scripts}
        with ThreadPoolExecutor(max_workers=self.settings.workers) as pool:
            for future in [pool.submit(self.run_chain, n, s) for n, s in runnable.items()]:
                future.result()


def closing_sentence(output: str) -> str:
    """The last thing a script said, without its level and service prefix."""
    for line in reversed(output.strip().splitlines()):
        if line.strip() and not line.startswith((" ", "\t")):
            return line.split("] ", 1)[-1].strip()
    return ""


def _run_hooks(run: PipelineRun, step_hooks: tuple[hooks.Hook, ...], nothing: str) -> None:
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
    _run_hooks(run, hooks.COOKIE_CHECKS, "no service has a saved-session check yet.")


def step_health(run: PipelineRun) -> None:
    run.announce(2, "Health check and remediation")
    _run_hooks(run, hooks.HEALTH_REMEDIATIONS, "no health check is installed yet.")


def step_extract(run: PipelineRun) -> None:
    run.announce(3, "Extractors")
    if not run.options.extract:
        run.log.info("Skipped: extractors are off for this run (--no-extract).")
        return
    chains: dict[str, list[Path]] = {}
    for service in run.services:
        if service.name in run.skipped_for_authentication:
            run.log.warning(
                "[SKIP] %s: %s; log in with `bedrot cookies refresh --service %s`.",
                service.name,
                SKIPPED_FOR_LOGIN,
                service.name,
                extra={"service": service.name},
            )
            continue
        chains[service.name] = list(service.extractors)
    if not any(chains.values()):
        run.log.info("Nothing to do: no service in this run has extractors.")
        return
    run.run_services(chains)


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
    _run_hooks(run, hooks.REPORTS_AND_MAINTENANCE, "no report or retention task is installed yet.")


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
    names = ", ".join(s.name for s in run.services) or "none"
    run.log.info("Services in this run: %s.", names)


def _summarise(run: PipelineRun, started: float) -> int:
    passed = sum(result.ok for result in run.results)
    exit_code = 1 if run.failures else 0
    if not run.results and run.up_to_date and not run.failures:
        run.log.info("No work to do: every cleaner's input is unchanged since its last success.")
    run.log.log(
        logging.ERROR if run.failures else logging.INFO,
        "Run finished in %.1f s: %d script(s) ok, %d up to date, %d failed, %d service(s) "
        "skipped for authentication; exit %d.%s",
        time.monotonic() - started,
        passed,
        len(run.up_to_date),
        len(run.failures),
        len(run.skipped_for_authentication),
        exit_code,
        f" Failed: {', '.join(run.failures)}." if run.failures else "",
    )
    return exit_code


def run_pipeline(
    lake: Lake, options: RunOptions, settings: PipelineSettings, display: RunDisplay
) -> int:
    """Run the six steps under the lock; exit 0 when everything ran or was skipped for auth."""
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
        run = PipelineRun(lake, options, settings, display, log, correlation_id())
        mode = "automated" if options.automated else "interactive"
        log.info("BEDROT pipeline run %s (%s) in %s", run.correlation_id, mode, lake.root)
        for old in rotated:
            log.info("Started a new month's log; last month's is %s.", old.name)
        with display:
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

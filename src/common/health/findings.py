"""The rules that turn what was measured about a service into findings, each with its fix.

Every finding costs the service's score a penalty; a finding of severity "fail" makes it [FAIL].
The rules and their numbers are described in docs/health.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from common.discovery import Service
from common.health.blocks import Block, newest_quarantined
from common.health.cookies import CookieStatus
from common.health.runs import LastRun
from common.health.zone_data import ZoneFreshness
from common.lake import Lake
from common.pipeline.freshness import cleaner_zones
from common.zones import LANDING, QUARANTINE_FOLDER

Severity = Literal["warn", "fail"]
Kind = Literal["no_data", "stale", "blocks", "quarantined", "failed_script", "login", "broken"]

PENALTY_NO_DATA = 60
PENALTY_STALE_FAIL = 50
PENALTY_STALE_WARN = 25
PENALTY_BLOCKS = 25
PENALTY_QUARANTINED = 15
PENALTY_FAILED_SCRIPT = 30
PENALTY_LOGIN_EXPIRED = 25
PENALTY_LOGIN_EXPIRING = 10
PENALTY_BROKEN = 100
FAILED_PREFIX = "last run failed: "


@dataclass(frozen=True)
class Finding:
    kind: Kind
    issue: str
    severity: Severity
    penalty: int
    recommendation: str


def fetch_command(service: Service) -> str:
    """How new data arrives: the service's extractors, or the user's own download."""
    if service.extractors:
        return f"bedrot run --services {service.name}"
    return f"drop a new export into {LANDING}/{service.name}/"


def script_command(lake: Lake, service: Service, script_name: str) -> str:
    """How to rerun one script alone: relative to the lake when it lives there (a built-in
    service installed elsewhere is named by its full path)."""
    for script in (*service.extractors, *service.cleaners):
        if script.name == script_name:
            if script.resolve().is_relative_to(lake.root.resolve()):
                return f"python {script.resolve().relative_to(lake.root.resolve()).as_posix()}"
            return f"python {script.resolve()}"
    return f"python {script_name}"


def freshness_findings(service: Service, landing: ZoneFreshness) -> list[Finding]:
    if landing.age_days is None:
        return [
            Finding(
                "no_data",
                f"no data in {LANDING}",
                "fail",
                PENALTY_NO_DATA,
                fetch_command(service),
            )
        ]
    if landing.state not in ("warn", "fail"):
        return []
    failing = landing.state == "fail"
    return [
        Finding(
            "stale",
            f"{landing.age_days}d STALE",
            "fail" if failing else "warn",
            PENALTY_STALE_FAIL if failing else PENALTY_STALE_WARN,
            fetch_command(service),
        )
    ]


def block_findings(service: Service, blocks: list[Block]) -> list[Finding]:
    count = sum(len(block.files) for block in blocks)
    if not count:
        return []
    return [
        Finding(
            "blocks",
            f"{count} block{'' if count == 1 else 's'}",
            "warn",
            PENALTY_BLOCKS,
            f"bedrot run --services {service.name} --no-extract",
        )
    ]


def quarantine_findings(lake: Lake, service: Service) -> list[Finding]:
    """Only the first step whose newest input was refused: later steps follow from it."""
    for cleaner in service.cleaners:
        zones = cleaner_zones(cleaner)
        if zones is None:
            continue
        name = newest_quarantined(lake, service.name, *zones)
        if name is not None:
            reason = Path(zones[0], QUARANTINE_FOLDER, service.name, f"{name}.reason.json")
            return [
                Finding(
                    "quarantined",
                    f"newest {zones[0]} file quarantined",
                    "warn",
                    PENALTY_QUARANTINED,
                    f"read {reason.as_posix()}",
                )
            ]
    return []


def run_findings(lake: Lake, service: Service, last_run: LastRun | None) -> list[Finding]:
    if last_run is None:
        return []
    return [
        Finding(
            "failed_script",
            f"{FAILED_PREFIX}{script}",
            "fail",
            PENALTY_FAILED_SCRIPT,
            script_command(lake, service, script),
        )
        for script in last_run.failed_scripts
    ]


def login_findings(
    service: Service, cookie: CookieStatus, last_run: LastRun | None
) -> list[Finding]:
    """An expired login is a normal event: a warning with the command that renews it."""
    refresh = f"bedrot cookies refresh --service {service.name}"
    if cookie.state in ("expired", "missing") or (
        last_run is not None and last_run.skipped_for_login
    ):
        issue = {"expired": "login expired", "missing": "no saved login"}.get(
            cookie.state, "skipped: login expired"
        )
        return [Finding("login", issue, "warn", PENALTY_LOGIN_EXPIRED, refresh)]
    if cookie.state == "expiring":
        return [Finding("login", "login expiring", "warn", PENALTY_LOGIN_EXPIRING, refresh)]
    return []


def broken_finding(name: str, reason: str) -> Finding:
    return Finding("broken", "broken service", "fail", PENALTY_BROKEN, f"fix src/{name}/: {reason}")

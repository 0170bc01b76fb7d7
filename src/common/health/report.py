"""The health of every service of a lake, worst first, as data and as a JSON document."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from common.discovery import Service, discover_services
from common.health.blocks import find_blocks
from common.health.config import FreshnessWindow, HealthConfig, load_health_config
from common.health.cookies import cookie_status
from common.health.findings import (
    block_findings,
    broken_finding,
    freshness_findings,
    login_findings,
    quarantine_findings,
    run_findings,
)
from common.health.runs import LastRun, last_runs
from common.health.scoring import ServiceHealth, report_order
from common.health.zone_data import zone_freshness
from common.lake import Lake
from common.zones import CURATED, LANDING, RAW, STAGING

HEALTH_ZONES = (LANDING, RAW, STAGING, CURATED)
EXIT_ALL_OK, EXIT_SOME_FAIL = 0, 1


def assess_service(
    lake: Lake,
    service: Service,
    window: FreshnessWindow,
    last_run: LastRun | None,
    now: datetime,
) -> ServiceHealth:
    zones = [zone_freshness(lake, zone, service.name, window, now) for zone in HEALTH_ZONES]
    blocks = find_blocks(lake, service)
    cookie = cookie_status(lake, service.name, now)
    findings = [
        *freshness_findings(service, zones[0]),
        *block_findings(service, blocks),
        *quarantine_findings(lake, service),
        *run_findings(lake, service, last_run),
        *login_findings(service, cookie, last_run),
    ]
    return ServiceHealth(service.name, window, zones, blocks, cookie, last_run, findings)


@dataclass(frozen=True)
class HealthReport:
    lake: Lake
    generated_at: datetime
    services: list[ServiceHealth]

    @property
    def exit_code(self) -> int:
        """0 unless a service is [FAIL]; [XX] alone still exits 0."""
        failing = any(health.status == "[FAIL]" for health in self.services)
        return EXIT_SOME_FAIL if failing else EXIT_ALL_OK


def assess_lake(
    lake: Lake, now: datetime | None = None, config: HealthConfig | None = None
) -> HealthReport:
    """Every discovered service (broken ones too), sorted worst first. `now` is local time."""
    now = now or datetime.now()
    config = config or load_health_config(lake)
    found = discover_services(lake)
    runs = last_runs(lake.logs, [s.name for s in found.services])
    healths = [
        assess_service(lake, s, config.window_for(s.name), runs.get(s.name), now)
        for s in found.services
    ]
    for name, reason in found.broken.items():
        healths.append(
            ServiceHealth(name, config.window_for(name), findings=[broken_finding(name, reason)])
        )
    return HealthReport(lake, datetime.now(timezone.utc), sorted(healths, key=report_order))


def _zone_json(health: ServiceHealth) -> dict[str, Any]:
    return {
        zone.zone: {
            "files": zone.files,
            "newest": zone.newest.isoformat(timespec="seconds") if zone.newest else None,
            "age_days": zone.age_days,
            "state": zone.state,
        }
        for zone in health.zones
    }


def _last_run_json(last_run: LastRun | None) -> dict[str, Any] | None:
    if last_run is None:
        return None
    return {
        "correlation_id": last_run.correlation_id,
        "finished_at": last_run.finished_at,
        "exit_codes": dict(last_run.exit_codes),
        "skipped_for_login": last_run.skipped_for_login,
    }


def service_json(health: ServiceHealth) -> dict[str, Any]:
    return {
        "service": health.service,
        "status": health.status,
        "score": health.score,
        "priority": health.priority,
        "issues": health.issues,
        "stale_days": health.stale_days,
        "freshness_window": {
            "warn_days": health.window.warn_days,
            "fail_days": health.window.fail_days,
        },
        "zones": _zone_json(health),
        "blocks": [
            {
                "zone": b.zone,
                "next_zone": b.next_zone,
                "cleaner": b.cleaner.name,
                "files": list(b.files),
            }
            for b in health.blocks
        ],
        "block_count": health.block_count,
        "cookie": {"state": health.cookie.state, "age_days": health.cookie.age_days},
        "last_run": _last_run_json(health.last_run),
        "findings": [
            {
                "kind": f.kind,
                "issue": f.issue,
                "severity": f.severity,
                "penalty": f.penalty,
                "recommendation": f.recommendation,
            }
            for f in health.findings
        ],
    }


def report_json(report: HealthReport) -> dict[str, Any]:
    statuses = [health.status for health in report.services]
    return {
        "generated_at": report.generated_at.isoformat(timespec="seconds"),
        "lake": str(report.lake.root),
        "exit_code": report.exit_code,
        "summary": {status: statuses.count(status) for status in ("[OK]", "[XX]", "[FAIL]")},
        "services": [service_json(health) for health in report.services],
    }

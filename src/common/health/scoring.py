"""A service's score, status and priority from its findings, and the order of the report."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from common.health.blocks import Block
from common.health.config import FreshnessWindow
from common.health.cookies import CookieStatus
from common.health.findings import FAILED_PREFIX, Finding
from common.health.runs import LastRun
from common.health.zone_data import ZoneFreshness

Status = Literal["[OK]", "[XX]", "[FAIL]"]
Priority = Literal["CRITICAL", "HIGH", "MEDIUM", "LOW"]

PRIORITIES: tuple[Priority, ...] = ("CRITICAL", "HIGH", "MEDIUM", "LOW")
OK_SCORE = 80
FAIL_BELOW_SCORE = 50
CRITICAL_BELOW_SCORE = 40


@dataclass
class ServiceHealth:
    """Everything measured about one service, and what the findings make of it."""

    service: str
    window: FreshnessWindow
    zones: list[ZoneFreshness] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    cookie: CookieStatus = CookieStatus("n/a")
    last_run: LastRun | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def stale_days(self) -> int | None:
        """Whole days since the newest landing data."""
        return self.zones[0].age_days if self.zones else None

    @property
    def block_count(self) -> int:
        return sum(len(block.files) for block in self.blocks)

    @property
    def score(self) -> int:
        return max(0, 100 - sum(finding.penalty for finding in self.findings))

    @property
    def failing(self) -> bool:
        return any(finding.severity == "fail" for finding in self.findings)

    @property
    def status(self) -> Status:
        if self.failing or self.score < FAIL_BELOW_SCORE:
            return "[FAIL]"
        return "[OK]" if self.score >= OK_SCORE else "[XX]"

    @property
    def priority(self) -> Priority:
        status = self.status
        if status == "[FAIL]":
            return "CRITICAL" if self.score < CRITICAL_BELOW_SCORE else "HIGH"
        return "MEDIUM" if status == "[XX]" else "LOW"

    @property
    def issues(self) -> str:
        """One line: "12d STALE, 3 blocks, last run failed: a.py, b.py"."""
        parts: list[str] = []
        failed = [
            f.issue.removeprefix(FAILED_PREFIX) for f in self.findings if f.kind == "failed_script"
        ]
        for finding in self.findings:
            if finding.kind != "failed_script":
                parts.append(finding.issue)
            elif failed:
                parts.append(FAILED_PREFIX + ", ".join(failed))
                failed = []
        return ", ".join(parts)


def report_order(health: ServiceHealth) -> tuple[int, int, str]:
    """Worst first: by priority, then by score, then by name."""
    return (PRIORITIES.index(health.priority), health.score, health.service)

"""Pipeline: each service's health as `bedrot health --json` reports it, the last runs from the
run ledger, and the quarantined files with their reasons."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from common.dashboard.kpis.figures import Kpi, PageData, count_kpi, empty_page, table
from common.health.report import assess_lake, report_json
from common.lake import ZONE_NAMES, Lake
from common.ledger import ledger_size, read_records
from common.zones import QUARANTINE_FOLDER

HEALTH = "bedrot health (freshness, stuck files, logins, last runs)"
LEDGER = "run ledger (logs/run_ledger.jsonl)"
QUARANTINE = "quarantine folders (*.reason.json)"
# The newest runs are at the ledger's end; reading only its tail keeps a years-old ledger fast.
LEDGER_TAIL_BYTES = 512_000
LAST_RUNS = 50


def health(lake: Lake, now: datetime | None = None) -> dict[str, Any]:
    """The same report `bedrot health --json` prints."""
    return report_json(assess_lake(lake, now))


def recommendation(service: dict[str, Any]) -> str:
    advice = [f["recommendation"] for f in service["findings"] if f.get("recommendation")]
    return advice[0] if advice else ""


def last_runs(lake: Lake, limit: int = LAST_RUNS) -> list[dict[str, Any]]:
    """The newest script runs, newest first, as the ledger recorded them."""
    offset = max(0, ledger_size(lake.logs) - LEDGER_TAIL_BYTES)
    records = read_records(lake.logs, offset)
    return [record.to_json() for record in reversed(records[-limit:])]


def _reason(path: Path) -> dict[str, Any]:
    try:
        reason = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        reason = {"what_failed": "the reason file cannot be read"}
    return reason if isinstance(reason, dict) else {"what_failed": str(reason)}


def quarantined(lake: Lake) -> list[dict[str, Any]]:
    """Every quarantined file of every zone with why it was refused, newest first."""
    found = []
    for zone in ZONE_NAMES:
        folder = lake.root / zone / QUARANTINE_FOLDER
        if not folder.is_dir():
            continue
        for path in folder.rglob("*.reason.json"):
            reason = _reason(path)
            found.append(
                {
                    "zone": zone,
                    "service": path.parent.name,
                    "file": path.name.removesuffix(".reason.json"),
                    "what_failed": str(reason.get("what_failed", "")),
                    "rule": str(reason.get("rule", "")),
                    "when": str(reason.get("when", "")),
                }
            )
    found.sort(key=lambda item: item["when"], reverse=True)
    return found


def pipeline_kpis(report: dict[str, Any], runs: list[dict[str, Any]], held: int) -> list[Kpi]:
    summary = report["summary"]
    failed_runs = sum(run["outcome"] in ("failed", "timeout") for run in runs)
    newest = runs[0]["timestamp"][:19].replace("T", " ") if runs else "no runs yet"
    return [
        Kpi(
            "services_ok",
            "Services healthy",
            summary.get("[OK]", 0),
            f"{summary.get('[OK]', 0)} of {len(report['services'])}",
            HEALTH,
            "now",
        ),
        count_kpi("services_failing", "Services failing", summary.get("[FAIL]", 0), HEALTH, "now"),
        count_kpi("quarantined_files", "Quarantined files", held, QUARANTINE, "now"),
        count_kpi(
            "runs_failed",
            "Failed script runs",
            failed_runs if runs else None,
            LEDGER,
            f"last {len(runs)} runs",
        ),
        Kpi("last_run", "Last script run", newest, newest, LEDGER, "latest"),
    ]


def pipeline_page(lake: Lake) -> PageData:
    page = empty_page()
    report = health(lake)
    runs = last_runs(lake)
    held = quarantined(lake)
    page["kpis"] = [k.as_json() for k in pipeline_kpis(report, runs, len(held))]
    page["tables"]["health"] = table(
        ["service", "status", "score", "stale days", "blocks", "recommendation"],
        [
            [
                s["service"],
                s["status"],
                s["score"],
                s["stale_days"],
                s["block_count"],
                recommendation(s),
            ]
            for s in report["services"]
        ],
    )
    page["tables"]["runs"] = table(
        ["when (UTC)", "service", "script", "step", "outcome", "exit", "seconds"],
        [
            [
                r["timestamp"][:19].replace("T", " "),
                r["service"],
                r["script"],
                r["step"],
                r["outcome"],
                r["exit_code"],
                r["duration_seconds"],
            ]
            for r in runs
        ],
    )
    page["tables"]["quarantine"] = table(
        ["zone", "service", "file", "what failed", "rule", "when"],
        [
            [q["zone"], q["service"], q["file"], q["what_failed"], q["rule"], q["when"]]
            for q in held
        ],
    )
    return page

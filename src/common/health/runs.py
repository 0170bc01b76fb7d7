"""Each service's last run, read from `logs/pipeline_executor_structured.jsonl`.

A service's last run is the newest correlation id on a line about that service; its exit codes are
the script-run lines of that id (the last one per script wins, as a drain in step 2 may run a
cleaner that step 4 runs again).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from common.logs import SKIPPED_FOR_LOGIN, STRUCTURED_LOG

SCRIPT_VERDICT = re.compile(r"^\[(?:OK|FAIL)\] (\S+\.py) ")
LOGIN_SKIPPED = SKIPPED_FOR_LOGIN


@dataclass
class LastRun:
    correlation_id: str
    finished_at: str
    exit_codes: dict[str, int] = field(default_factory=dict)
    skipped_for_login: bool = False

    @property
    def failed_scripts(self) -> list[str]:
        return [script for script, code in self.exit_codes.items() if code != 0]


def _records(path: Path) -> Iterator[dict[str, Any]]:
    """Every readable line; a line cut short by a killed process is passed over."""
    if not path.is_file():
        return
    with path.open(encoding="utf-8", errors="replace") as stream:
        for line in stream:
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict):
                yield record


def _note(run: LastRun, record: dict[str, Any]) -> None:
    run.finished_at = str(record.get("timestamp", run.finished_at))
    message = str(record.get("message", ""))
    verdict = SCRIPT_VERDICT.match(message)
    exit_code = record.get("exit_code")
    if verdict and isinstance(exit_code, int):
        run.exit_codes[verdict[1]] = exit_code
    if LOGIN_SKIPPED in message:
        run.skipped_for_login = True


def last_runs(logs_dir: Path, services: Iterable[str]) -> dict[str, LastRun]:
    """The last run of each named service that the log mentions."""
    wanted = set(services)
    runs: dict[str, LastRun] = {}
    for record in _records(logs_dir / STRUCTURED_LOG):
        service = record.get("service")
        if service not in wanted:
            continue
        correlation_id = str(record.get("correlation_id", ""))
        run = runs.get(str(service))
        if run is None or run.correlation_id != correlation_id:
            run = runs[str(service)] = LastRun(correlation_id, "")
        _note(run, record)
    return runs

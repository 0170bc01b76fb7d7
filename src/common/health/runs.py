"""Each service's last run, read from the run ledger (`logs/run_ledger.jsonl`), never from a log
sentence.

A service's last run is the newest correlation id among the service's records; its exit codes are
those of the scripts that ran in it (the later record of a script wins). A script run alone has a
correlation id of its own, so rerunning a failed cleaner by hand shows that run. A record with
the outcome `skipped_login` (written by an extractor, or by the runner when it did not start the
service's extractors) marks the run as skipped for a login.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from common.ledger import LedgerRecord, read_records


@dataclass
class LastRun:
    correlation_id: str
    finished_at: str
    exit_codes: dict[str, int] = field(default_factory=dict)
    skipped_for_login: bool = False

    @property
    def failed_scripts(self) -> list[str]:
        return [script for script, code in self.exit_codes.items() if code != 0]


def _note(run: LastRun, record: LedgerRecord) -> None:
    run.finished_at = record.timestamp.isoformat(timespec="milliseconds")
    if record.exit_code is not None:
        run.exit_codes[record.script] = record.exit_code
    if record.outcome == "skipped_login":
        run.skipped_for_login = True


def last_runs_from(records: Iterable[LedgerRecord], services: Iterable[str]) -> dict[str, LastRun]:
    """The last run of each named service among `records` (oldest first)."""
    wanted = set(services)
    runs: dict[str, LastRun] = {}
    for record in records:
        if record.service not in wanted:
            continue
        run = runs.get(record.service)
        if run is None or run.correlation_id != record.correlation_id:
            run = runs[record.service] = LastRun(record.correlation_id, "")
        _note(run, record)
    return runs


def last_runs(logs_dir: Path, services: Iterable[str]) -> dict[str, LastRun]:
    """The last run of each named service that the ledger holds."""
    return last_runs_from(read_records(logs_dir), services)

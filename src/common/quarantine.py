"""The quarantine folder of each zone: a rejected file is copied there beside a reason file."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from common.lake import Lake
from common.ledger import note_quarantined
from common.spreadsheet import as_text
from common.zones import QUARANTINE_FOLDER, atomic_copy, atomic_write_text, free_name

FAILURE_COLUMNS = ("column", "check", "value", "row")


class RejectedFile(Exception):
    """A file that fails a rule; the message is one sentence a label owner understands."""

    def __init__(
        self,
        message: str,
        rule: str,
        location: str = "",
        details: object = None,
        depends_on_config: bool = False,
    ):
        super().__init__(message)
        self.rule = rule
        self.location = location
        self.details = details
        # True when editing config/ can make the file acceptable (an artist not yet listed):
        # the file is then retried once config/ changes.
        self.depends_on_config = depends_on_config


@dataclass(frozen=True)
class QuarantinedFile:
    copy: Path
    reason_file: Path


def quarantine_folder(lake: Lake, zone: str, service: str) -> Path:
    return lake.zone(zone) / QUARANTINE_FOLDER / service


def quarantine_file(
    lake: Lake, zone: str, service: str, path: Path, error: RejectedFile, step: str
) -> QuarantinedFile:
    """Copy `path` (left where it is) into its zone's quarantine beside `<file>.reason.json`."""
    copy = free_name(
        quarantine_folder(lake, zone, service) / path.name,
        # A reason file left by an earlier copy also takes its name.
        lambda taken: taken.exists() or taken.with_name(taken.name + ".reason.json").exists(),
        mark="__{n}",
    )
    atomic_copy(path, copy)
    reason = {
        "file": str(path.resolve().relative_to(lake.root)),
        "what_failed": str(error),
        "where": error.location,
        "rule": error.rule,
        "step": step,
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "details": error.details,
    }
    table = _failure_table(error.details)
    if table:
        failures = copy.with_name(copy.name + ".failures.csv")
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(FAILURE_COLUMNS)
        writer.writerows(_spreadsheet_row(row) for row in table)
        atomic_write_text(failures, buffer.getvalue())
        reason["failure_cases_file"] = failures.name
    reason_file = copy.with_name(copy.name + ".reason.json")
    atomic_write_text(reason_file, json.dumps(reason, indent=2, default=str) + "\n")
    note_quarantined(path)
    return QuarantinedFile(copy, reason_file)


def _spreadsheet_row(row: dict[str, object]) -> list[object]:
    """A failures-table row as people open it in a spreadsheet: a value taken from the export
    (a track title, a campaign name) cannot run as a formula; the reason file keeps it exact."""
    return [
        as_text(value) if isinstance(value, str) else value
        for value in (row.get(column) for column in FAILURE_COLUMNS)
    ]


def _failure_table(details: object) -> list[dict[str, object]]:
    """The failure-cases table (column, check, value, row) when the details are one."""
    if isinstance(details, list) and details and all(isinstance(r, dict) for r in details):
        if set(FAILURE_COLUMNS) <= set(details[0]):
            return details
    return []

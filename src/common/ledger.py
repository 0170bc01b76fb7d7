"""The run ledger: one structured record per script run, the facts that health, the run summary
and the dashboard read. Log lines are for people; nothing parses them back.

`logs/run_ledger.jsonl` is append-only. Each record is one line written with a single `os.write`
on a descriptor opened with O_APPEND, so scripts running side by side never interleave their
lines. A reader passes over a line cut short by a killed process and anything that is not a
record, so a damaged ledger never stops health or a run.

Who writes: the script boundary (`common.script.run_script`) writes its own script's record; the
runner writes only what it decided without a script being able to say so (an up-to-date skip, a
login skip, a timeout, a killed or unstartable script).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal, cast, get_args

from common.logs import LOGGER_NAME, RUN_LEDGER

Outcome = Literal["ok", "failed", "up_to_date", "skipped_login", "timeout"]
OUTCOMES: tuple[Outcome, ...] = get_args(Outcome)
RecordedBy = Literal["script", "runner"]
# The runner gives each script it starts an id, so it can tell whether the script wrote its record.
RUN_ID_ENV = "BEDROT_SCRIPT_RUN_ID"
STEP_EXTRACT, STEP_ETL, STEP_SCRIPT = "extract", "etl", "script"
CLEANER_STEPS = ("landing2raw", "raw2staging", "staging2curated")
# Counts are exact; names are kept for the first few files only, so one line stays small.
MAX_NAMES = 20
FILE_KINDS = ("read", "written", "quarantined")


def ledger_path(logs_dir: Path) -> Path:
    return logs_dir / RUN_LEDGER


def step_of(script: Path) -> str:
    """The pipeline step a script belongs to, from where it lives and how it is named."""
    suffix = script.stem.rsplit("_", 1)[-1]
    if suffix in CLEANER_STEPS:
        return suffix
    if script.parent.name == "extractors":
        return STEP_EXTRACT
    if script.parent.name == "etl":
        return STEP_ETL
    return STEP_SCRIPT


@dataclass(frozen=True)
class FileCount:
    """How many files of one kind a script handled, and the names of the first MAX_NAMES."""

    count: int = 0
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class LedgerRecord:
    """One script run, or one decision of the runner not to run a script."""

    timestamp: datetime
    correlation_id: str
    run_id: str
    service: str
    script: str
    step: str
    outcome: Outcome
    exit_code: int | None
    duration_seconds: float
    recorded_by: RecordedBy
    files: dict[str, FileCount] = field(default_factory=dict)

    @property
    def ran(self) -> bool:
        """Whether a process of the script ran (an up-to-date or login skip by the runner did
        not)."""
        return self.exit_code is not None

    @property
    def failed(self) -> bool:
        return self.outcome in ("failed", "timeout")

    def count(self, kind: str) -> int:
        return self.files.get(kind, FileCount()).count

    def to_json(self) -> dict[str, Any]:
        line: dict[str, Any] = {
            "timestamp": self.timestamp.isoformat(timespec="microseconds"),
            "correlation_id": self.correlation_id,
            "run_id": self.run_id,
            "service": self.service,
            "script": self.script,
            "step": self.step,
            "outcome": self.outcome,
            "exit_code": self.exit_code,
            "duration_seconds": round(self.duration_seconds, 3),
            "recorded_by": self.recorded_by,
        }
        for kind in FILE_KINDS:
            tally = self.files.get(kind, FileCount())
            line[f"files_{kind}"] = tally.count
            line[f"{kind}_names"] = list(tally.names)
        return line


class _NotARecord(ValueError):
    """A ledger line that parses as JSON but is not a record of this shape."""


def _text(line: dict[str, Any], key: str) -> str:
    value = line.get(key)
    if not isinstance(value, str):
        raise _NotARecord(key)
    return value


def _files(line: dict[str, Any]) -> dict[str, FileCount]:
    files = {}
    for kind in FILE_KINDS:
        count, names = line.get(f"files_{kind}", 0), line.get(f"{kind}_names", [])
        if not isinstance(count, int) or not isinstance(names, list):
            raise _NotARecord(kind)
        files[kind] = FileCount(count, tuple(str(name) for name in names))
    return files


def parse_record(line: dict[str, Any]) -> LedgerRecord:
    """The record a ledger line holds; raises ValueError for anything of another shape."""
    outcome, exit_code = line.get("outcome"), line.get("exit_code")
    if outcome not in OUTCOMES or not (exit_code is None or isinstance(exit_code, int)):
        raise _NotARecord("outcome")
    duration = line.get("duration_seconds", 0.0)
    if not isinstance(duration, (int, float)):
        raise _NotARecord("duration_seconds")
    timestamp = datetime.fromisoformat(_text(line, "timestamp"))
    if timestamp.tzinfo is None:
        timestamp = timestamp.replace(tzinfo=timezone.utc)
    recorded_by: RecordedBy = "runner" if line.get("recorded_by") == "runner" else "script"
    return LedgerRecord(
        timestamp=timestamp,
        correlation_id=_text(line, "correlation_id"),
        run_id=str(line.get("run_id", "")),
        service=_text(line, "service"),
        script=_text(line, "script"),
        step=_text(line, "step"),
        outcome=cast(Outcome, outcome),
        exit_code=exit_code,
        duration_seconds=float(duration),
        recorded_by=recorded_by,
        files=_files(line),
    )


def _ends_cut_off(descriptor: int) -> bool:
    """Whether the ledger ends in the middle of a line (a writer killed mid-write)."""
    if os.lseek(descriptor, 0, os.SEEK_END) == 0:
        return False
    os.lseek(descriptor, -1, os.SEEK_END)
    return os.read(descriptor, 1) != b"\n"


def append_record(logs_dir: Path, record: LedgerRecord) -> None:
    """Append one record as one line, in one write, so parallel writers never interleave.

    After a line cut off by a killed writer the record starts on a line of its own, so only the
    cut-off line is lost, never the next record."""
    logs_dir.mkdir(parents=True, exist_ok=True)
    data = (json.dumps(record.to_json(), ensure_ascii=False) + "\n").encode("utf-8")
    flags = os.O_RDWR | os.O_CREAT | os.O_APPEND | getattr(os, "O_BINARY", 0)
    descriptor = os.open(ledger_path(logs_dir), flags, 0o644)
    try:
        if _ends_cut_off(descriptor):
            data = b"\n" + data
            logging.getLogger(LOGGER_NAME).warning(
                "The run ledger %s ended in a line cut short (a process killed while writing "
                "it): that line is passed over and the ledger goes on from a new line.",
                ledger_path(logs_dir),
            )
        written = os.write(descriptor, data)
        while written < len(data):  # a regular file takes the whole line at once in practice
            written += os.write(descriptor, data[written:])
    finally:
        os.close(descriptor)


def ledger_size(logs_dir: Path) -> int:
    """Where the ledger ends now: a run reads its own records from here on."""
    try:
        return ledger_path(logs_dir).stat().st_size
    except OSError:
        return 0


def tail_offset(logs_dir: Path, tail_bytes: int) -> int:
    """Where the whole records of the ledger's last `tail_bytes` begin (0 for a shorter ledger):
    a reader that needs only the latest runs reads that much, whatever the ledger's age."""
    size = ledger_size(logs_dir)
    if size <= tail_bytes:
        return 0
    try:
        with ledger_path(logs_dir).open("rb") as stream:
            stream.seek(size - tail_bytes)
            chunk = stream.read(tail_bytes)
    except OSError:
        return 0
    newline = chunk.find(b"\n")
    return 0 if newline < 0 else size - tail_bytes + newline + 1


def read_records(logs_dir: Path, offset: int = 0) -> list[LedgerRecord]:
    """Every whole record from byte `offset` on, oldest first; never raises for a bad ledger."""
    try:
        with ledger_path(logs_dir).open("rb") as stream:
            stream.seek(offset)
            data = stream.read()
    except OSError:
        return []
    lines = data.split(b"\n")
    records = []
    position = offset
    for raw in lines[:-1]:  # the part after the last newline is a line still being cut off
        try:
            line = json.loads(raw.decode("utf-8"))
            if not isinstance(line, dict):
                raise _NotARecord("not an object")
            records.append(parse_record(line))
        except (ValueError, TypeError):
            _say_once(logs_dir, position, raw)
        position += len(raw) + 1
    return records


# (ledger, byte offset) of the damaged lines this process has already reported.
_REPORTED: set[tuple[str, int]] = set()


def _say_once(logs_dir: Path, position: int, raw: bytes) -> None:
    """A damaged line is passed over; this process says so once per line, not per read."""
    if not raw.strip():
        return
    key = (str(ledger_path(logs_dir)), position)
    if key in _REPORTED:
        return
    _REPORTED.add(key)
    logging.getLogger(LOGGER_NAME).warning(
        "The run ledger %s has a damaged line at byte %d (cut short or not a record): it is "
        "passed over; every other record counts.",
        ledger_path(logs_dir),
        position,
    )


@dataclass
class FileTally:
    """What one script run read, wrote and quarantined, filled in by the shared cleaning and
    quarantine helpers and by extractors; a script may also name an outcome its exit code cannot
    say (an extractor that skipped for a login)."""

    root: Path
    seen: dict[str, dict[str, None]] = field(
        default_factory=lambda: {kind: {} for kind in FILE_KINDS}
    )
    outcome: Outcome | None = None

    def note(self, kind: str, path: Path) -> None:
        try:
            name = path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            name = path.name
        self.seen[kind][name] = None

    def counts(self) -> dict[str, FileCount]:
        return {
            kind: FileCount(len(names), tuple(list(names)[:MAX_NAMES]))
            for kind, names in self.seen.items()
        }


_TALLY: ContextVar[FileTally | None] = ContextVar("bedrot_file_tally", default=None)


@contextmanager
def tallying(root: Path) -> Iterator[FileTally]:
    """Collect the files of one script run while the block runs."""
    tally = FileTally(root)
    token = _TALLY.set(tally)
    try:
        yield tally
    finally:
        _TALLY.reset(token)


def _note(kind: str, paths: tuple[Path, ...]) -> None:
    tally = _TALLY.get()
    if tally is not None:
        for path in paths:
            tally.note(kind, path)


def note_read(*paths: Path) -> None:
    _note("read", paths)


def note_written(*paths: Path) -> None:
    _note("written", paths)


def note_quarantined(*paths: Path) -> None:
    _note("quarantined", paths)


def report_outcome(outcome: Outcome) -> None:
    """Say how this script run ended when its exit code cannot (a login skip exits 0)."""
    tally = _TALLY.get()
    if tally is not None:
        tally.outcome = outcome


def now_utc() -> datetime:
    return datetime.now(timezone.utc)

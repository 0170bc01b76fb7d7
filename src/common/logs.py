"""The one logging setup: the four log files of SPEC §6, a correlation id per run, redaction.

Beside them, the names the label's people already look for: `cookie_refresh.log` (the cookie
tools), `extractor_YYYYMMDD.log` (every extractor run of the day) and, written by the
`6_automated_cronjob` wrappers, `bedrot_pipeline.log` and `bedrot_pipeline_errors.log`.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from common.console import utf8_output
from common.redact import redact

EXECUTOR_LOG = "pipeline_executor.log"
ERRORS_LOG = "pipeline_executor_errors.log"
STRUCTURED_LOG = "pipeline_executor_structured.jsonl"
# One record per script run (common.ledger): the facts health and the run summary read.
RUN_LEDGER = "run_ledger.jsonl"
# What happened to saved logins (common.sessions.history): state the login tools read, never a
# log that retention moves.
COOKIE_HISTORY = "cookie_refresh_history.jsonl"
COOKIE_LOG = "cookie_refresh.log"
COOKIE_TOOLS = "cookies"
WRAPPER_LOG = "bedrot_pipeline.log"
WRAPPER_ERRORS_LOG = "bedrot_pipeline_errors.log"
CORRELATION_ENV = "BEDROT_CORRELATION_ID"
UNDER_RUNNER_ENV = "BEDROT_UNDER_RUNNER"
AUTOMATED_ENV = "BEDROT_AUTOMATED"
LOGGER_NAME = "bedrot"
TEXT_FORMAT = "%(asctime)s %(levelname)-7s [%(service)s] %(message)s"


def run_log_name(when: datetime) -> str:
    return f"pipeline_{when.strftime('%Y%m%d_%H%M')}.log"


def extractor_log_name(when: datetime) -> str:
    """The day's extractor log: every extractor run that day appends to it."""
    return f"extractor_{when.strftime('%Y%m%d')}.log"


def correlation_id() -> str:
    """The run's correlation id: inherited from the runner, or made once for this process."""
    existing = os.environ.get(CORRELATION_ENV)
    if existing:
        return existing
    created = uuid.uuid4().hex[:16]
    os.environ[CORRELATION_ENV] = created
    return created


class _RunContext(logging.Filter):
    """Stamps every record with the service and correlation id and redacts its message."""

    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service
        self.correlation_id = correlation_id()

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "service"):
            record.service = self.service
        record.correlation_id = self.correlation_id
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        output = getattr(record, "output", None)
        if isinstance(output, str):
            record.output = redact(output)
        return True


class JsonLinesFormatter(logging.Formatter):
    """Exactly the fields of SPEC §6: timestamp, level, service, message, correlation_id,
    and exit_code and duration_seconds for a script run."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "timestamp": datetime.fromtimestamp(record.created, timezone.utc).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "service": getattr(record, "service", "pipeline"),
            "message": record.getMessage(),
            "correlation_id": getattr(record, "correlation_id", ""),
        }
        if hasattr(record, "exit_code"):
            line["exit_code"] = record.exit_code
            line["duration_seconds"] = getattr(record, "duration_seconds", None)
        return json.dumps(line, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """Human lines; a script run's captured output follows its line, indented."""

    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT, "%Y-%m-%d %H:%M:%S")

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        output = getattr(record, "output", "")
        if output:
            text += "\n" + "\n".join(f"    | {line}" for line in str(output).rstrip().splitlines())
        return text


class HumanFormatter(logging.Formatter):
    """`[STEP n/6]`, `[OK]`, `[FAIL]` come in the message; `[WARNING]`/`[ERROR]` are added here."""

    def __init__(self, timestamps: bool = True) -> None:
        super().__init__(None, "%Y-%m-%d %H:%M:%S")
        self.timestamps = timestamps

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.levelno >= logging.WARNING and not message.startswith("["):
            message = f"[{record.levelname}] {message}"
        if self.timestamps:
            message = f"{self.formatTime(record, self.datefmt)} {message}"
        return message


def _file_handler(path: Path, level: int, formatter: logging.Formatter) -> logging.Handler:
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setLevel(level)
    handler.setFormatter(formatter)
    return handler


def setup_logging(
    logs_dir: Path,
    service: str,
    console: logging.Handler | None = None,
    executor_log: bool | None = None,
    run_log: Path | None = None,
) -> logging.Logger:
    """Attach the log files to the `bedrot` logger and return it.

    Under the runner a script's console output is captured into the executor log by the runner,
    so the script itself writes only the structured and error logs; run alone it writes all three.
    """
    utf8_output()
    logs_dir.mkdir(parents=True, exist_ok=True)
    if executor_log is None:
        executor_log = os.environ.get(UNDER_RUNNER_ENV) != "1"
    logger = logging.getLogger(LOGGER_NAME)
    for old in list(logger.handlers):
        logger.removeHandler(old)
        old.close()
    for old_filter in list(logger.filters):
        logger.removeFilter(old_filter)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    logger.addFilter(_RunContext(service))
    text = TextFormatter()
    logger.addHandler(_file_handler(logs_dir / STRUCTURED_LOG, logging.INFO, JsonLinesFormatter()))
    logger.addHandler(_file_handler(logs_dir / ERRORS_LOG, logging.ERROR, text))
    if executor_log:
        logger.addHandler(_file_handler(logs_dir / EXECUTOR_LOG, logging.INFO, text))
    if run_log is not None:
        logger.addHandler(_file_handler(run_log, logging.INFO, HumanFormatter()))
    if service == COOKIE_TOOLS:
        # The cookie tools' own file, the name the label's people know, beside the four above.
        logger.addHandler(_file_handler(logs_dir / COOKIE_LOG, logging.INFO, text))
    logger.addHandler(console or console_handler())
    return logger


def add_extractor_log(logger: logging.Logger, logs_dir: Path, debug: bool = False) -> Path:
    """Append this extractor run's lines to the day's `extractor_YYYYMMDD.log` (DEBUG ones too
    with `--debug`, when the logger itself is lowered to DEBUG)."""
    path = logs_dir / extractor_log_name(datetime.now())
    logger.addHandler(
        _file_handler(path, logging.DEBUG if debug else logging.INFO, TextFormatter())
    )
    return path


def console_handler() -> logging.Handler:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s [%(service)s] %(message)s"))
    return handler


def close_logging() -> None:
    logger = logging.getLogger(LOGGER_NAME)
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()


def rotate_monthly(logs_dir: Path, today: datetime | None = None) -> list[Path]:
    """Start a new month's executor logs: a file whose first line is from an earlier month is
    renamed `<stem>_YYYYMM<suffix>` (that month), so log retention can archive it later.

    Called by the runner under its lock, before anything writes; a file another program holds
    open (Windows) is left for the next run.
    """
    month = (today or datetime.now()).strftime("%Y%m")
    rotated = []
    for name in (EXECUTOR_LOG, ERRORS_LOG, STRUCTURED_LOG):
        current = logs_dir / name
        started = _first_month(current)
        if started is None or started == month:
            continue
        target = current.with_name(f"{current.stem}_{started}{current.suffix}")
        if target.exists():
            continue
        try:
            current.rename(target)
        except OSError:
            continue
        rotated.append(target)
    return rotated


def _first_month(path: Path) -> str | None:
    """YYYYMM of the first line's timestamp, from text or JSON lines."""
    try:
        with path.open(encoding="utf-8", errors="replace") as stream:
            first = stream.readline()
    except OSError:
        return None
    digits = "".join(ch for ch in first[:40] if ch.isdigit())
    return digits[:6] if len(digits) >= 6 else None

"""One service's lines from the lake's logs, for `view_logs.py` / `bedrot cookies logs`.

The structured log (`logs/pipeline_executor_structured*.jsonl`, this month's and the rotated
ones still in logs/) is read rather than the text logs: it names each line's service, and every
script writes it, the cookie tools included (as service `cookies`, whose lines are also in
`cookie_refresh.log`). A cookie-tool line counts for a service when it names the service.
DEBUG lines reach only the day's extractor logs (`extractor_YYYYMMDD.log`, with `--debug`):
verbose reads those lines from there.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from common.lake import Lake
from common.logs import STRUCTURED_LOG

BASIC_FIELDS = ("timestamp", "level", "service", "message")
DEBUG = "DEBUG"
# The day's extractor logs (common.logs.extractor_log_name), in common.logs.TEXT_FORMAT.
EXTRACTOR_LOGS = "extractor_*.log"
TEXT_LINE = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) (\w+)\s+\[([^\]]*)\] (.*)$")


@dataclass(frozen=True)
class LogLine:
    when: datetime
    level: str
    service: str
    message: str
    fields: dict[str, Any]

    def text(self, verbose: bool) -> str:
        line = f"{self.when:%Y-%m-%d %H:%M:%S} {self.level:<7} [{self.service}] {self.message}"
        if verbose:
            extra = " ".join(f"{k}={v}" for k, v in self.fields.items() if k not in BASIC_FIELDS)
            line += f"  {{{extra}}}" if extra else ""
        return line


def structured_logs(lake: Lake) -> list[Path]:
    stem, suffix = Path(STRUCTURED_LOG).stem, Path(STRUCTURED_LOG).suffix
    return sorted(p for p in lake.logs.glob(f"{stem}*{suffix}") if p.is_file())


def _parse(text: str) -> LogLine | None:
    try:
        raw = json.loads(text)
        when = datetime.fromisoformat(str(raw["timestamp"]))
    except (ValueError, KeyError, TypeError):
        return None  # a half line from a killed write, or not ours
    if not isinstance(raw, dict) or when.tzinfo is None:
        return None
    return LogLine(
        when,
        str(raw.get("level", "")),
        str(raw.get("service", "")),
        str(raw.get("message", "")),
        raw,
    )


def _parse_text(text: str) -> LogLine | None:
    found = TEXT_LINE.match(text)
    if found is None:
        return None  # a script's captured output, indented under its line
    when = datetime.strptime(found.group(1), "%Y-%m-%d %H:%M:%S").astimezone()
    level, service, message = found.group(2), found.group(3), found.group(4)
    return LogLine(when, level, service, message, {"file": "extractor log"})


def _debug_lines(lake: Lake) -> Iterator[LogLine]:
    for path in sorted(lake.logs.glob(EXTRACTOR_LOGS)):
        for text in path.read_text(encoding="utf-8", errors="replace").splitlines():
            line = _parse_text(text)
            if line is not None and line.level == DEBUG:
                yield line


def _structured_lines(lake: Lake) -> Iterator[LogLine]:
    for path in structured_logs(lake):
        for text in path.read_text(encoding="utf-8", errors="replace").splitlines():
            line = _parse(text)
            if line is not None:
                yield line


def _concerns(line: LogLine, service: str) -> bool:
    if service == "all" or line.service == service:
        return True
    return re.search(rf"\b{re.escape(service)}\b", line.message) is not None


def service_log_lines(lake: Lake, service: str, since: datetime, verbose: bool) -> list[LogLine]:
    """The service's lines since `since` (aware), oldest first; DEBUG only when verbose."""
    lines = list(_structured_lines(lake)) + (list(_debug_lines(lake)) if verbose else [])
    found = [
        line
        for line in lines
        if line.when >= since and _concerns(line, service) and (verbose or line.level != DEBUG)
    ]
    return sorted(found, key=lambda line: line.when)

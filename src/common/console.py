"""The console streams every command writes to (no other import: it runs at every start-up)."""

from __future__ import annotations

import sys


def utf8_output() -> None:
    """Write the console streams as UTF-8 (a character nothing can show becomes '?'): on
    Windows a redirected stream (Task Scheduler's log file) is in the ANSI code page, and one
    character outside it (a lake under C:\\Users\\Łukasz, an arrow in a message) would stop the
    run mid-way. Only a redirected stream is changed: a console keeps the encoding it shows."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        reconfigure = getattr(stream, "reconfigure", None)
        if encoding == "utf8" or reconfigure is None or stream.isatty():
            continue
        reconfigure(encoding="utf-8", errors="replace")

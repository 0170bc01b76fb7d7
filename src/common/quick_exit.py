"""Ending a process without tearing its modules down one by one.

With polars, pandera and SQLAlchemy loaded, the interpreter's teardown takes 0.2–0.45 s
after the work is done: the runner waited for it on every script host it closed, and a user (or
Task Scheduler) on every `bedrot` command. Nothing is left to finish at that point, so the
process runs its exit handlers (logging's flush, coverage's data file), flushes its standard
streams and ends.
"""

from __future__ import annotations

import atexit
import os
import sys


def leave_now(code: int) -> None:
    """Exit with `code` now; exit handlers run first. Only for the end of a process's own main
    (a console entry point, a script host), never inside a library call or a test."""
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # closed or a broken pipe: nothing more can be said there
            pass
    os._exit(code)


def exit_code_of(value: object) -> int:
    """What `SystemExit(value)` makes the interpreter exit with (a message is printed, then 1)."""
    if value is None:
        return 0
    if isinstance(value, int):
        return value
    print(value, file=sys.stderr)
    return 1

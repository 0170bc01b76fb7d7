"""A script host: one Python process that runs a run's cleaner and ETL scripts one after another.

Started by the runner (`python -m common.pipeline.worker`), it reads one request per line on
stdin, runs that script as `python script.py` would (its folder first on `sys.path`,
`__name__ == "__main__"`, the environment the runner gives) with file descriptors 1 and 2 sent to
the output file the request names, and answers with one JSON line holding the exit code. So
polars, pandera and SQLAlchemy are imported once per worker instead of once per script; the
runner still times out, kills and records each script on its own (`common.pipeline.execute`).
"""

from __future__ import annotations

import json
import os
import runpy
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import IO, Any

from common.quick_exit import exit_code_of, leave_now

# A host whose runner died (killed, its machine's session ended) stops within this many seconds
# rather than finishing a script no one will record, so a rerun never races it.
ORPHAN_CHECK_SECONDS = 0.5
ORPHANED_EXIT = 70


def _run(script: Path) -> int:
    saved_path = list(sys.path)
    sys.argv = [str(script)]
    sys.path.insert(0, str(script.parent))
    try:
        runpy.run_path(str(script), run_name="__main__")
    except SystemExit as stop:
        return exit_code_of(stop.code)
    except BaseException:  # the script's own crash: its traceback goes to its output
        traceback.print_exc()
        return 1
    finally:
        sys.path[:] = saved_path
    return 0


def _close_logging() -> None:
    # A script's log files stay closed between scripts (Windows cannot rename an open file).
    from common.logs import close_logging

    close_logging()


def run_request(request: dict[str, Any]) -> int:
    """Run one script with its environment and its output file; the worker's own state is
    restored afterwards (environment, working folder, descriptors 1 and 2)."""
    saved_env = dict(os.environ)
    saved_cwd = os.getcwd()
    sys.stdout.flush()
    sys.stderr.flush()
    saved_fds = os.dup(1), os.dup(2)
    with open(request["output"], "wb", buffering=0) as output:
        os.dup2(output.fileno(), 1)
        os.dup2(output.fileno(), 2)
        os.environ.clear()
        os.environ.update(request["env"])
        os.chdir(request.get("cwd") or saved_cwd)
        try:
            code = _run(Path(request["script"]))
        finally:
            _close_logging()
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved_fds[0], 1)
            os.dup2(saved_fds[1], 2)
            for descriptor in saved_fds:
                os.close(descriptor)
            os.environ.clear()
            os.environ.update(saved_env)
            os.chdir(saved_cwd)
    return code


def serve(requests: IO[str], answers: IO[str]) -> None:
    """One request per line until stdin closes."""
    for line in requests:
        if not line.strip():
            continue
        code = run_request(json.loads(line))
        answers.write(json.dumps({"exit_code": code}) + "\n")
        answers.flush()


def _stop_when_orphaned(parent: int) -> None:
    while True:
        time.sleep(ORPHAN_CHECK_SECONDS)
        if os.getppid() != parent:
            os._exit(ORPHANED_EXIT)


def main() -> None:
    # Requests and answers travel on copies of the original stdin and stdout: descriptors 0, 1
    # and 2 belong to each script (stdin empty, as the runner gives a script of its own).
    requests = os.fdopen(os.dup(0), "r", encoding="utf-8")
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
    empty = os.open(os.devnull, os.O_RDONLY)
    os.dup2(empty, 0)
    os.close(empty)
    # Whatever is printed between scripts (a library's import-time message) goes nowhere, never
    # into the answers.
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 1)
    os.close(quiet)
    if os.name != "nt":  # Windows keeps the dead parent's id; the runner's kill covers it there
        parent = os.getppid()
        threading.Thread(target=_stop_when_orphaned, args=(parent,), daemon=True).start()
    serve(requests, answers)
    leave_now(0)


if __name__ == "__main__":
    main()

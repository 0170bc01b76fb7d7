"""A script host: one Python process that runs a run's cleaner and ETL scripts one after another.

Started by the runner (`python -m common.pipeline.worker`), it reads one request per line on
stdin, runs that script as `python script.py` would (its folder first on `sys.path`,
`__name__ == "__main__"`, the environment the runner gives) with file descriptors 1 and 2 sent to
the output file the request names, and answers with one JSON line holding the exit code. So
polars, pandera and SQLAlchemy are imported once per worker instead of once per script; the
runner still times out, kills and records each script on its own (`common.pipeline.execute`).

A request may name a function (`"call": "module:function"` with JSON `kwargs`) instead of a
script: step 6's report and warehouse upkeep run that way in the host the ETL has just warmed,
and the function's JSON-able return value comes back in the answer (`"result"`).
"""

from __future__ import annotations

import importlib
import json
import os
import runpy
import sys
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from common.quick_exit import exit_code_of, leave_now

# A host whose runner died (killed, its machine's session ended) stops within this many seconds
# rather than finishing a script no one will record, so a rerun never races it (a report or a
# VACUUM half done is left as a killed run leaves it: the next run converges).
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


def callable_named(target: str) -> Callable[..., Any]:
    """The function `module:function` names (imported on first use)."""
    module_name, _, function_name = target.partition(":")
    function: Callable[..., Any] = getattr(importlib.import_module(module_name), function_name)
    return function


def _call(target: str, kwargs: dict[str, Any]) -> tuple[int, Any]:
    """`module:function(**kwargs)`: (0, what it returned), or its exit code and None when it
    raised (its traceback goes to its output, as a script's would)."""
    try:
        return 0, callable_named(target)(**kwargs)
    except SystemExit as stop:
        return exit_code_of(stop.code), None
    except BaseException:  # the function's own crash: its traceback goes to its output
        traceback.print_exc()
        return 1, None


def _close_logging() -> None:
    # A script's log files stay closed between scripts (Windows cannot rename an open file).
    from common.logs import close_logging

    close_logging()


def run_request(request: dict[str, Any]) -> dict[str, Any]:
    """Run one script (or call one function) with its environment and its output file; the
    answer holds the exit code (and a call's result). The worker's own state is restored
    afterwards (environment, working folder, descriptors 1 and 2)."""
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
            if "call" in request:
                code, result = _call(request["call"], request.get("kwargs", {}))
                answer = {"exit_code": code, "result": result}
            else:
                answer = {"exit_code": _run(Path(request["script"]))}
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
    return answer


def serve(requests: IO[str], answers: IO[str]) -> None:
    """One request per line until stdin closes."""
    for line in requests:
        if not line.strip():
            continue
        answer = run_request(json.loads(line))
        try:
            reply = json.dumps(answer)
        except (TypeError, ValueError) as error:  # a result JSON cannot hold: the call failed
            reply = json.dumps({"exit_code": 1, "result": None, "unsent": str(error)})
        answers.write(reply + "\n")
        answers.flush()


def requests_hung_up(descriptor: int) -> Callable[[], bool]:
    """A check that the runner's end of the requests pipe has closed: the runner is gone (it
    only closes it itself when the host is idle, which then reads the end and exits anyway).

    This, not the parent's id, tells a host its runner died: on Windows a venv's python.exe is
    a launcher that starts the real interpreter as its child and outlives a killed runner, so
    the host's parent stays alive (and Windows keeps a dead parent's id anyway). The check never
    reads the pipe: POSIX polls it for a hang-up alone, Windows peeks at it. (While an idle host
    waits in a read of the pipe, Windows holds the peek back until the read returns: the read
    ending at the closed pipe covers that case.)"""
    if sys.platform == "win32":
        import ctypes
        import msvcrt
        from ctypes import wintypes

        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        peek = kernel32.PeekNamedPipe
        peek.argtypes = [wintypes.HANDLE, ctypes.c_void_p, wintypes.DWORD, ctypes.c_void_p,
                         ctypes.POINTER(wintypes.DWORD), ctypes.c_void_p]  # fmt: skip
        peek.restype = wintypes.BOOL
        handle = msvcrt.get_osfhandle(descriptor)
        broken_pipe = 109  # ERROR_BROKEN_PIPE: every writer has closed its end

        def closed_on_windows() -> bool:
            waiting = wintypes.DWORD()
            if peek(handle, None, 0, None, ctypes.byref(waiting), None):
                return False
            return bool(ctypes.get_last_error() == broken_pipe)

        return closed_on_windows
    import select

    poller = select.poll()
    poller.register(descriptor, select.POLLHUP)  # macOS tells nothing it was not asked for
    ended = select.POLLHUP | select.POLLERR
    return lambda: any(events & ended for _, events in poller.poll(0))


def _stop_when_orphaned(runner_gone: Callable[[], bool]) -> None:
    while True:
        time.sleep(ORPHAN_CHECK_SECONDS)
        if runner_gone():
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
    runner_gone = requests_hung_up(requests.fileno())
    threading.Thread(target=_stop_when_orphaned, args=(runner_gone,), daemon=True).start()
    serve(requests, answers)
    leave_now(0)


if __name__ == "__main__":
    main()

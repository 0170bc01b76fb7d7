"""A service's cleaning steps run in this process, as its three cleaner scripts would run them.

A fresh interpreter per cleaner (importing polars and pandera each time) was most of a service
test's time; the scripts are one-line calls into `<service>.steps`, so calling the steps here
tests the same logic. The results have the shape of `common.testing.run_cleaners`' (exit code,
console log as stderr) so the same assertions read both, and `clean_twice` accepts this helper.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import io
import os
import subprocess
from collections.abc import Callable, Iterator

from common.lake import Lake
from common.logs import CORRELATION_ENV, close_logging
from common.testing import run_step

STEPS = ("landing_to_raw", "raw_to_staging", "staging_to_curated")
Runs = list[subprocess.CompletedProcess[str]]


@contextlib.contextmanager
def _as_a_script(values: dict[str, str]) -> Iterator[None]:
    """`values` in the environment for one call; afterwards the environment is as it was,
    without the correlation id the call's logging set up (a new script would make its own)."""
    names = {CORRELATION_ENV, *values}
    saved = {name: os.environ.pop(name, None) for name in names}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            os.environ.pop(name, None)
            if value is not None:
                os.environ[name] = value


def call_in_process(
    name: str, call: Callable[[], int], env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`call` (what a script or command runs) in this process, with `env` set for it: its exit
    code, and its console log as stderr, as a separate process would have given them."""
    console = io.StringIO()
    with _as_a_script(env or {}), contextlib.redirect_stderr(console):
        try:
            code = call()
        finally:
            close_logging()
    return subprocess.CompletedProcess([name], code, "", console.getvalue())


def clean_in_process(lake: Lake, service: str) -> Runs:
    """The service's steps in cleaner order, each with its own console log and correlation id
    (as separate scripts have), the test process's environment left as it was."""
    steps = importlib.import_module(f"{service}.steps")
    return [
        call_in_process(name, functools.partial(run_step, lake, service, getattr(steps, name)))
        for name in STEPS
    ]


def clean_ok(lake: Lake, service: str) -> Runs:
    """`clean_in_process`, every step finished (quarantined files count as finished)."""
    runs = clean_in_process(lake, service)
    assert [r.returncode for r in runs] == [0, 0, 0], [r.stderr for r in runs]
    return runs

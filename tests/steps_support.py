"""A service's cleaning steps run in this process, as its three cleaner scripts would run them.

A fresh interpreter per cleaner (importing polars and pandera each time) was most of a service
test's time; the scripts are one-line calls into `<service>.steps`, so calling the steps here
tests the same logic. The results have the shape of `common.testing.run_cleaners`' (exit code,
console log as stderr) so the same assertions read both, and `clean_twice` accepts this helper.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import os
import subprocess

from common.lake import Lake
from common.logs import CORRELATION_ENV, close_logging
from common.testing import run_step

STEPS = ("landing_to_raw", "raw_to_staging", "staging_to_curated")
Runs = list[subprocess.CompletedProcess[str]]


def clean_in_process(lake: Lake, service: str) -> Runs:
    """The service's steps in cleaner order, each with its own console log and correlation id
    (as separate scripts have), the test process's environment left as it was."""
    steps = importlib.import_module(f"{service}.steps")
    runs: Runs = []
    for name in STEPS:
        before = os.environ.pop(CORRELATION_ENV, None)
        console = io.StringIO()
        try:
            with contextlib.redirect_stderr(console):
                code = run_step(lake, service, getattr(steps, name))
        finally:
            close_logging()
            os.environ.pop(CORRELATION_ENV, None)
            if before is not None:
                os.environ[CORRELATION_ENV] = before
        runs.append(subprocess.CompletedProcess([name], code, "", console.getvalue()))
    return runs


def clean_ok(lake: Lake, service: str) -> Runs:
    """`clean_in_process`, every step finished (quarantined files count as finished)."""
    runs = clean_in_process(lake, service)
    assert [r.returncode for r in runs] == [0, 0, 0], [r.stderr for r in runs]
    return runs

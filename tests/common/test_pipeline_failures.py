"""A raising cleaner and a hanging one are logged and fail the run; other services still finish."""

from __future__ import annotations

import json
import time

from common.lake import Lake
from common.logs import EXECUTOR_LOG, STRUCTURED_LOG
from tests.common.pipeline_support import drop_daily, process_alive
from tests.conftest import RunBedrot

RAISES = """raise RuntimeError("the export changed its layout")
"""
HANGS = """import os, time
from pathlib import Path
Path(os.environ["PROJECT_ROOT"], "hang.pid").write_text(str(os.getpid()))
time.sleep(600)
"""


def test_a_raising_and_a_hanging_cleaner_fail_the_run_but_not_the_other_services(
    lake: Lake, bedrot: RunBedrot
) -> None:
    for service in ("alpha", "broken", "hanging", "omega"):
        assert bedrot("new-service", service).returncode == 0
        drop_daily(lake, service)
    (lake.src / "broken" / "cleaners" / "broken_landing2raw.py").write_text(RAISES)
    (lake.src / "hanging" / "cleaners" / "hanging_raw2staging.py").write_text(HANGS)

    started = time.monotonic()
    result = bedrot("run", "--automated", "--no-extract", "--timeout", "3")

    assert result.returncode == 1
    assert time.monotonic() - started < 60
    for finished in ("alpha", "omega"):
        assert (lake.zone("4_curated") / finished / f"{finished}_daily.csv").is_file()
    assert not (lake.zone("3_staging") / "hanging" / "hanging_daily.csv").exists()
    assert not process_alive(int((lake.root / "hang.pid").read_text()))
    lines = [json.loads(x) for x in (lake.logs / STRUCTURED_LOG).read_text().splitlines()]
    runs = {(x["service"], x["message"].split()[1]): x for x in lines if "exit_code" in x}
    assert runs[("broken", "broken_landing2raw.py")]["exit_code"] == 1
    assert runs[("hanging", "hanging_raw2staging.py")]["exit_code"] == 124
    assert runs[("hanging", "hanging_raw2staging.py")]["duration_seconds"] >= 3
    assert runs[("alpha", "alpha_staging2curated.py")]["exit_code"] == 0
    executor = (lake.logs / EXECUTOR_LOG).read_text(encoding="utf-8")
    assert "RuntimeError: the export changed its layout" in executor
    assert "[FAIL] hanging_raw2staging.py timed out after" in executor
    assert "[SKIP] broken_raw2staging.py: not run because broken_landing2raw.py failed" in (
        result.stdout
    )
    assert "Failed: " in result.stdout and "broken/broken_landing2raw.py" in result.stdout


def test_a_broken_service_is_reported_by_name_and_the_others_run(
    lake: Lake, bedrot: RunBedrot
) -> None:
    for service in ("alpha", "beta"):
        bedrot("new-service", service)
        drop_daily(lake, service)
    (lake.src / "beta" / "cleaners" / "beta_landing2raw.py").write_text("def (:\n")

    result = bedrot("run", "--automated", "--no-extract")

    assert result.returncode == 1
    assert "Service beta is broken and will not run: beta_landing2raw.py does not compile" in (
        result.stdout
    )
    assert (lake.zone("4_curated") / "alpha" / "alpha_daily.csv").is_file()

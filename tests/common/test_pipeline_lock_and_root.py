"""Two runs never overlap, and a wrong PROJECT_ROOT stops everything with one sentence."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

from common.lake import Lake
from common.lock import RunLock
from common.testing import run_cleaners
from tests.conftest import BEDROT, RunBedrot, bedrot_env

HANGS = "import time\ntime.sleep(600)\n"


def test_a_second_concurrent_run_exits_at_once_naming_the_holder(
    lake: Lake, bedrot: RunBedrot
) -> None:
    bedrot("new-service", "slow")
    (lake.src / "slow" / "cleaners" / "slow_landing2raw.py").write_text(HANGS)
    first = subprocess.Popen(
        [str(BEDROT), "run", "--automated", "--no-extract", "--timeout", "60"],
        cwd=lake.root,
        env=bedrot_env(lake.root),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while "[STEP 4/6]" not in _run_log(lake):
            assert time.monotonic() < deadline
            time.sleep(0.05)

        started = time.monotonic()
        second = bedrot("run", "--automated", "--no-extract")

        assert second.returncode == 2
        assert time.monotonic() - started < 5
        assert f"Another run holds the lock: bedrot run pid {first.pid}" in second.stderr
    finally:
        first.terminate()
        first.wait(timeout=30)


def _run_log(lake: Lake) -> str:
    return "".join(p.read_text() for p in lake.logs.glob("pipeline_2*.log"))


def test_a_wrong_project_root_says_so_in_one_sentence_and_writes_nothing(
    tmp_path: Path,
) -> None:
    not_a_lake = tmp_path / "Downloads"
    not_a_lake.mkdir()
    before = sorted(tmp_path.rglob("*"))

    result = subprocess.run(
        [str(BEDROT), "run", "--no-extract"],
        cwd=not_a_lake,
        env=bedrot_env(not_a_lake),
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 2
    message = result.stderr.strip()
    assert message.count("\n") == 0 and message.count(". ") == 0
    assert f"PROJECT_ROOT={not_a_lake} is not a BEDROT lake" in message
    assert "the lake is" in message or "bedrot init" in message
    assert sorted(tmp_path.rglob("*")) == before
    assert result.stdout == ""


def test_a_single_script_with_a_wrong_project_root_fails_the_same_way(
    lake: Lake, bedrot: RunBedrot, tmp_path: Path
) -> None:
    bedrot("new-service", "alpha")
    script = lake.src / "alpha" / "cleaners" / "alpha_landing2raw.py"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    result = subprocess.run(
        [str(BEDROT.with_name("python")), str(script)],
        env={**bedrot_env(elsewhere)},
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 2
    assert "is not a BEDROT lake" in result.stderr
    assert list(elsewhere.iterdir()) == []
    assert not os.listdir(lake.logs)


def test_a_script_run_alone_waits_for_no_one_but_refuses_to_race_a_pipeline_run(
    lake: Lake, bedrot: RunBedrot
) -> None:
    bedrot("new-service", "alpha")
    with RunLock(lake.root, "bedrot run"):
        refused = run_cleaners(lake, "alpha")[0]

    assert refused.returncode == 2
    assert f"Another run holds the lock: bedrot run pid {os.getpid()}" in refused.stderr
    assert [r.returncode for r in run_cleaners(lake, "alpha")] == [0, 0, 0]

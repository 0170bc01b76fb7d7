"""`bedrot run` killed with SIGKILL (its process group and every script it started) in the
middle of cleaning, of the warehouse load and of step 6: the next undisturbed run exits 0 and
leaves exactly the curated files, quarantine and warehouse rows of a run never killed.

Three fixed moments on a small demo lake; `benchmarks/bench_kill9.py` draws many random ones on
the whole demo."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from benchmarks.kill9 import (
    Kill,
    LakeState,
    build_demo_template,
    expected_state,
    run_trial,
)
from common.reports.figures import CHARTS
from common.reports.settings import REPORTS_FOLDER
from common.warehouse.database import DEFAULT_SQLITE
from common.zones import CURATED

pytestmark = [
    pytest.mark.pipeline,
    pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL of a process group is POSIX"),
]
# DistroKid (royalties, streams, the expired-session page it quarantines) and Capital One
# (expenses): money in every zone and in the warehouse, at a fraction of the whole demo's time.
SERVICES = ("distrokid", "capitalone")
# Step 6 writes its first chart (DistroKid's streams) before the others, the page, retention and
# upkeep: a kill right after it lands inside step 6 however fast the machine.
FIRST_CHART = f"{CURATED}/{REPORTS_FOLDER}/{CHARTS[0].file_name}"


@pytest.fixture(scope="module")
def small_demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, LakeState]:
    """The unrun lake, and what one undisturbed run of it leaves."""
    work = tmp_path_factory.mktemp("kill9")
    template = build_demo_template(work / "template", SERVICES)
    expected, _ = expected_state(template, work / "expected")
    assert expected.curated and expected.quarantined and expected.warehouse["royalty_lines"]
    return template, expected


@pytest.mark.parametrize(
    ("kill", "phase"),
    [
        (Kill(0.3, after="[STEP 4/6]"), "step 4 cleaning"),
        (Kill(0.05, "[STEP 5/6]", appears=DEFAULT_SQLITE), "step 5 ETL"),
        (Kill(0.0, "[STEP 6/6]", appears=FIRST_CHART), "step 6 reports"),
    ],
    ids=["cleaning", "etl", "step6"],
)
def test_a_run_killed_mid_step_converges_on_the_next_run(
    small_demo: tuple[Path, LakeState], tmp_path: Path, kill: Kill, phase: str
) -> None:
    template, expected = small_demo

    result = run_trial(template, tmp_path / "lake", expected, kill)

    assert result.phase.startswith(phase), result.phase
    assert result.rerun_exit == 0, result.rerun_output
    assert result.differences == [] and result.leftovers == []
    assert result.converged

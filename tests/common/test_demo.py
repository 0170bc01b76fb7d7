"""`bedrot demo`, the README's first command: its own lake, a full run, the same summary twice."""

from __future__ import annotations

import subprocess
from pathlib import Path

from common.demo import plays_on
from tests.conftest import BEDROT, bedrot_env


def _demo(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BEDROT), "demo", "--root", str(root)],
        env=bedrot_env(None, {"COLUMNS": "200"}),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def _summary(output: str) -> list[str]:
    return [line for line in output.splitlines() if "│" in line and "demo lake" not in line]


def test_the_demo_runs_landing_to_curated_in_its_own_lake_and_repeats_itself(
    tmp_path: Path,
) -> None:
    root = tmp_path / "demo"

    first = _demo(root)
    second = _demo(root)

    assert first.returncode == 0, first.stdout + first.stderr
    assert "[STEP 6/6]" in first.stdout
    rows = {
        line.split("│")[1].strip(): line.split("│")[2].strip() for line in _summary(first.stdout)
    }
    # The second export covers days 24-58 and revises 24-30 upward by 2: newer rows win, once.
    expectedplays_on = sum(plays_on(day) for day in range(24)) + sum(
        plays_on(d) + 2 for d in range(24, 59)
    )
    assert rows["example_daily.csv: days"] == "59"
    assert rows["example_daily.csv: total plays"] == str(expectedplays_on)
    summary = "\n".join(_summary(first.stdout))
    assert "quarantined example_daily_20260302_070000.csv" in summary and "not-html" in summary
    assert (
        "WARNING [example] Quarantined 1_landing/example/example_daily_20260302_070000.csv: "
        in (first.stdout)
    )
    assert second.returncode == 0
    assert _summary(second.stdout) == _summary(first.stdout)
    assert (root / "4_curated" / "example" / "example_daily.csv").is_file()

"""`bedrot demo`, the README's first command: its own lake, a full run, the same summary twice."""

from __future__ import annotations

import csv
import subprocess
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from tests.conftest import BEDROT, bedrot_env, heavy_imports_probe


def _demo(root: Path, probe: bool = False) -> subprocess.CompletedProcess[str]:
    args = ["demo", "--root", str(root)]
    return subprocess.run(
        heavy_imports_probe(*args) if probe else [str(BEDROT), *args],
        env=bedrot_env(None, {"COLUMNS": "200"}),
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def _summary(output: str) -> dict[str, str]:
    rows = [line.split("│") for line in output.splitlines() if line.count("│") == 3]
    return {cells[1].strip(): cells[2].strip() for cells in rows}


def _expected_earnings(landing: Path) -> Decimal:
    """Independently: per reporting date, the newest export's rows (csv module, Decimal)."""
    newest: dict[str, list[Decimal]] = defaultdict(list)
    for export in sorted(landing.glob("dk_bank_details_*")):
        with export.open(encoding="utf-8", newline="") as stream:
            delimiter = "\t" if export.suffix == ".tsv" else ","
            rows = list(csv.DictReader(stream, delimiter=delimiter))
        if not rows:
            continue
        covered: dict[str, list[Decimal]] = defaultdict(list)
        for row in rows:
            covered[row["Reporting Date"]].append(Decimal(row["Earnings (USD)"]))
        newest.update(covered)
    return sum((sum(v, Decimal(0)) for v in newest.values()), Decimal(0))


def test_the_demo_runs_every_service_to_curated_in_its_own_lake_and_repeats_itself(
    tmp_path: Path,
) -> None:
    root = tmp_path / "demo"

    first = _demo(root, probe=True)
    second = _demo(root)

    assert first.returncode == 0, first.stdout + first.stderr
    assert "[STEP 6/6]" in first.stdout
    # The figures and statements were read in the script host the ETL had warmed: the demo's
    # own process imported neither SQLAlchemy nor polars (~0.5 s it would spend on them).
    assert "HEAVY []" in first.stdout
    summary = _summary(first.stdout)
    landing = root / "1_landing" / "distrokid"
    assert Decimal(summary["total royalties"]) == _expected_earnings(landing)
    assert summary["quarantined"] == "dk_bank_details_20260302_090000.tsv"
    assert int(summary["royalty_lines"].replace(",", "")) > 3000
    assert {"Spotify", "Apple Music"} <= set(summary)
    assert summary["warehouse"].endswith("data_warehouse/bedrot_analytics.db")
    assert summary["pipeline exit code"] == "0"
    assert second.returncode == 0
    assert _summary(second.stdout) == summary


def test_the_demo_still_prints_its_figures_when_its_host_call_fails(tmp_path: Path) -> None:
    # The warm host cannot answer (here: a function it does not have); the demo reads the
    # warehouse itself after the run, and the run is not failed for it. (In its own process:
    # a run sets up logging that would outlive the test in this one.)
    code = (
        "import sys\n"
        "from common import demo\n"
        "from common.cli import main\n"
        "demo.FIGURES_IN_HOST = 'common.demo_figures:no_such_function'\n"
        f"sys.argv = ['bedrot', 'demo', '--root', {str(tmp_path / 'demo')!r}]\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=bedrot_env(None, {"COLUMNS": "200"}),
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert "The demo's figures are read after the run" in done.stdout
    summary = _summary(done.stdout)
    assert summary["pipeline exit code"] == "0" and "total royalties" in summary
    assert "Statements 20" in done.stdout

"""Step 6 (report, money analytics, retention) of a daily run, on the demo lake and on the same
lake with 2,000,000 royalty lines (issue 17: with nothing new < 0.1 s whatever the warehouse's
size; the report reads pre-aggregated figures when something did change).

Three cases per lake, each timed in a fresh interpreter that has imported the runner (as
`bedrot run` has when it reaches step 6), medians of the repeats:
- nothing new: the hooks as a daily run calls them, after a run that built the report;
- baseline, forced: the same step with the report's fingerprint ignored (its state removed
  first), i.e. what step 6 costs when it cannot tell that nothing changed;
- one new ETL run: a load noted in source_files and the aggregates refreshed, as the ETL
  does (not timed), then step 6 (timed): the report and the money analytics are rebuilt.
The heavy modules a no-change step 6 imported are printed too (there should be none).

Run: `.venv/bin/python benchmarks/bench_step6.py [--lines N] [--repeats N] [--lake PATH]`.
Without --lake it builds the demo lake (`bedrot run`) in a temporary folder; the 2M-line lake
is that lake grown with bench_dashboard's builder.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

from sqlalchemy import text

from common.lake import Lake
from common.warehouse.aggregates import refresh_aggregates
from common.warehouse.database import make_engine, warehouse_url

# The checkout, so that bench_dashboard's lake builder is imported rather than copied.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.bench_dashboard import demo_lake, grow_royalty_lines  # noqa: E402

TARGET_SECONDS = 0.1
HEAVY = ("sqlalchemy", "polars", "plotly", "pygal")
# Runs in a fresh interpreter: the runner's imports first (untimed), then step 6's hooks.
ONE_STEP = """
import io, json, logging, sys, time
from pathlib import Path
from common.lake import Lake
from common.pipeline.display import PlainDisplay
from common.pipeline.run import PipelineRun, RunOptions
from common.settings import PipelineSettings
from common.start import STEP_HOOKS
lake = Lake(Path(sys.argv[1]))
run = PipelineRun(lake, RunOptions(automated=True), PipelineSettings(),
                  PlainDisplay(io.StringIO()), logging.getLogger("bench"), "bench")
before = set(sys.modules)
start = time.perf_counter()
messages = [hook(run).message for hook in STEP_HOOKS.reports_and_maintenance]
seconds = time.perf_counter() - start
heavy = sorted({m.split(".")[0] for m in set(sys.modules) - before} & set(%r))
print(json.dumps({"seconds": seconds, "heavy": heavy, "messages": messages}))
""" % (HEAVY,)


def step6(lake: Lake) -> dict[str, object]:
    env = {**os.environ, "PROJECT_ROOT": str(lake.root)}
    env.pop("WAREHOUSE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", ONE_STEP, str(lake.root)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def forget_report(lake: Lake) -> None:
    (lake.zone("4_curated") / "reports" / ".report_inputs.json").unlink(missing_ok=True)


def new_etl_run(lake: Lake, load: int) -> None:
    """What a load leaves behind: a file's source_files row notes a new load, a new etl_runs
    row, and the aggregates refreshed."""
    engine = make_engine(warehouse_url(lake))
    moment = datetime(2030, 1, 1, 0, 0, load).isoformat(sep=" ")
    with engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE source_files SET loaded_at = :at "
                "WHERE id = (SELECT MIN(id) FROM source_files)"
            ),
            {"at": moment},
        )
        connection.execute(
            text(
                "INSERT INTO etl_runs (started_at, finished_at, status, correlation_id, summary) "
                "VALUES (:at, :at, 'ok', 'bench', '{}')"
            ),
            {"at": moment},
        )
        refresh_aggregates(connection)
    engine.dispose()


def median_of(runs: list[dict[str, object]]) -> float:
    return statistics.median(float(str(run["seconds"])) for run in runs)


def measure(label: str, lake: Lake, repeats: int) -> None:
    step6(lake)  # a run that built the report: its state is stored
    nothing_new = [step6(lake) for _ in range(repeats)]
    forced = []
    for _ in range(repeats):
        forget_report(lake)
        forced.append(step6(lake))
    loads = []
    for load in range(repeats):
        new_etl_run(lake, load)
        loads.append(step6(lake))
    quiet, baseline, load_median = median_of(nothing_new), median_of(forced), median_of(loads)
    verdict = "OK" if quiet < TARGET_SECONDS else "MISSED"
    print(f"\n{label} ({repeats} repeats, medians)")
    print(
        f"  step 6, nothing new:            {quiet:8.3f} s   target < {TARGET_SECONDS} s: {verdict}"
    )
    print(f"  baseline, fingerprint ignored:  {baseline:8.3f} s   ({baseline / quiet:,.0f}x)")
    print(f"  step 6 after one new ETL run:   {load_median:8.3f} s")
    print(f"  heavy modules imported, nothing new: {nothing_new[-1]['heavy'] or 'none'}")
    print(f"  report said: {str(nothing_new[-1]['messages'])[:160]}")
    print(f"  after a load: {str(loads[-1]['messages'])[:160]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=2_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--lake", type=Path, help="a demo lake after `bedrot run` (copied)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-step6-") as scratch:
        work = Path(scratch)
        lake = demo_lake(work, options.lake)
        print(f"Machine: {os.cpu_count()} CPU(s); Python {sys.version.split()[0]}")
        measure("demo lake", lake, options.repeats)
        lines = grow_royalty_lines(lake, options.lines)
        measure(f"{lines:,} royalty lines", lake, options.repeats)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""`bedrot demo` on a warm install, end to end, on a fresh demo lake each time (issue 17, target
6: < 4 s), beside the baselines of the same run: `bedrot --help` (the CLI's start) and the
pipeline run alone (its own "Run finished in" figure). Medians of the repeats.

The phases come from the run's structured log (`logs/pipeline_executor_structured.jsonl`, one
timestamp per line): before the run (the CLI's start, the demo lake, its landing files), steps
1-3, step 4 (cleaners), step 5 (ETL), step 6 (report, retention, upkeep) and after the run (the
statements of the quarter, the warehouse summary, printing).

Run: `.venv/bin/python benchmarks/bench_demo.py [--repeats 3] [--src DIR ...]`. Each `--src`
names another checkout's `src/` (e.g. an older version exported with `git archive`) measured in
turns with this one, so both see the same load on a shared machine.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

BEDROT = Path(sys.executable).with_name("bedrot.exe" if os.name == "nt" else "bedrot")
TARGET_SECONDS = 4.0
STRUCTURED_LOG = Path("logs") / "pipeline_executor_structured.jsonl"
MARKS = {
    "[STEP 4/6]": "step 4",
    "[STEP 5/6]": "step 5",
    "[STEP 6/6]": "step 6",
    "Run finished in": "after run",
}
PHASES = ["before run", "steps 1-3", "step 4", "step 5", "step 6", "after run"]


def environment(src: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BEDROT_")}
    env.pop("WAREHOUSE_URL", None)
    env.pop("PROJECT_ROOT", None)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    return env


def _stamp(line: str) -> float:
    return datetime.fromisoformat(json.loads(line)["timestamp"]).timestamp()


def phases(lake: Path, started: float, ended: float) -> dict[str, float]:
    """Seconds per phase from the run's log lines (wall clock, as the bench's own clock)."""
    lines = (lake / STRUCTURED_LOG).read_text(encoding="utf-8").splitlines()
    edges = {"steps 1-3": _stamp(lines[0])}
    for line in lines:
        message = json.loads(line).get("message", "")
        for mark, phase in MARKS.items():
            if message.startswith(mark):
                edges.setdefault(phase, _stamp(line))
    order = [started, *(edges[p] for p in PHASES[1:]), ended]
    return {phase: order[i + 1] - order[i] for i, phase in enumerate(PHASES)}


def one_demo(env: dict[str, str]) -> dict[str, float]:
    lake = Path(tempfile.mkdtemp(prefix="bedrot-bench-demo-")) / "demo_lake"
    try:
        started = time.time()
        done = subprocess.run(
            [str(BEDROT), "demo", "--root", str(lake)], env=env, capture_output=True, text=True
        )
        ended = time.time()
        if done.returncode != 0:
            raise SystemExit(f"bedrot demo exited {done.returncode}:\n{done.stdout[-2000:]}")
        figures = phases(lake, started, ended)
        run_line = next(ln for ln in done.stdout.splitlines() if ln.startswith("Run finished in"))
        figures["pipeline run"] = float(run_line.split()[3])
        figures["total"] = ended - started
        return figures
    finally:
        shutil.rmtree(lake.parent, ignore_errors=True)


def cli_start(env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([str(BEDROT), "--help"], env=env, capture_output=True, check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--src", type=Path, action="append", default=[])
    args = parser.parse_args()
    versions: list[Path | None] = [None, *args.src]
    results: dict[str, list[dict[str, float]]] = {str(v or "this checkout"): [] for v in versions}
    help_times: list[float] = []
    for _ in range(args.repeats):
        help_times.append(cli_start(environment(None)))
        for version in versions:  # in turns, so every version sees the same load
            results[str(version or "this checkout")].append(one_demo(environment(version)))
    print(f"machine: {os.cpu_count()} cores; medians of {args.repeats}, fresh demo lake each time")
    print(f"baseline `bedrot --help` (the CLI's start): {statistics.median(help_times):.2f} s")
    for name, runs in results.items():
        median = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
        verdict = "OK" if median["total"] < TARGET_SECONDS else "over target"
        print(f"\n{name}")
        each = ", ".join(f"{run['total']:.2f}" for run in runs)
        print(
            f"  bedrot demo end to end: {median['total']:.2f} s (target < {TARGET_SECONDS:.0f} s:"
            f" {verdict}); runs: {each}"
        )
        print(f"  baseline, the pipeline run alone (its log): {median['pipeline run']:.2f} s")
        for phase in PHASES:
            print(f"    {phase:<11} {median[phase]:6.2f} s")


if __name__ == "__main__":
    main()

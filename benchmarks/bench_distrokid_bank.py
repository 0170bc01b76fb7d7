"""A large legacy DistroKid bank export (2,000,000 rows by default) through landing → curated,
each figure beside a bare polars read + write of the same file measured in the same run.

Prints, as medians of --repeats: the bare polars read + write (in-process time, and the wall of
its whole process), the three DistroKid cleaning steps called in one process (sum of the steps,
as the runner calls them), `bedrot run --no-extract --no-warehouse --services distrokid`, the
peak RSS and CPU time of each, the export's size against the curated file's, and whether the
curated earnings add up to the export's exactly.

Run: `.venv/bin/python benchmarks/bench_distrokid_bank.py [--rows N] [--repeats K] [--work DIR]`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from common.demodata.bank import write_legacy_bank_export
from common.lake import Lake
from common.testing import lake_with_services

REPO = Lake(Path(__file__).resolve().parents[1])
BEDROT = Path(sys.executable).with_name("bedrot.exe" if os.name == "nt" else "bedrot")
EXPORT_NAME = "dk_bank_details_20260105_090000.tsv"
# Runs a command; prints its wall time, CPU time and the peak RSS of its whole process tree.
MEASURE = """
import json, resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
inner = done.stdout.decode().strip().splitlines()
print(json.dumps({"seconds": time.perf_counter() - started, "code": done.returncode,
                  "cpu": usage.ru_utime + usage.ru_stime, "peak_rss_mb": usage.ru_maxrss / 1024,
                  "inner": json.loads(inner[-1]) if inner and inner[-1].startswith("{") else {}}))
"""
# The baseline: read the export as text and write it back as CSV, timed after the import.
BARE_POLARS = """
import json, sys, time, polars as pl
started = time.perf_counter()
frame = pl.read_csv(sys.argv[1], separator="\\t", eol_char="\\r", infer_schema=False)
frame.write_csv(sys.argv[2])
print(json.dumps({"seconds": time.perf_counter() - started}))
"""
# The three steps in one process (as the runner calls them), timed after the imports.
STEPS = """
import json, sys, time
from pathlib import Path
import polars
from common.lake import Lake
from common.logs import close_logging
from common.testing import run_step
import distrokid.steps as steps
lake, took = Lake(Path(sys.argv[1])), {}
for name in ("landing_to_raw", "raw_to_staging", "staging_to_curated"):
    started = time.perf_counter()
    code = run_step(lake, "distrokid", getattr(steps, name))
    took[name] = time.perf_counter() - started
    close_logging()
    if code:
        raise SystemExit(code)
print(json.dumps({"seconds": sum(took.values()), **took}))
"""
EARNINGS_SUM = """
import json, sys, polars as pl
total = pl.scan_csv(sys.argv[1], separator=sys.argv[3], eol_char=sys.argv[4],
                    infer_schema=False).select(
    pl.col(sys.argv[2]).str.to_decimal(scale=12).sum(), pl.len()).collect().row(0)
print(json.dumps([str(total[0]), total[1]]))
"""


def measure(command: list[str], env: dict[str, str]) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *command],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, object] = json.loads(done.stdout)
    if result["code"] != 0:
        raise SystemExit(f"{command} exited {result['code']}")
    return result


def earnings(path: Path, column: str, separator: str, eol: str, env: dict[str, str]) -> list[str]:
    """(exact sum as decimal text, row count) of a money column, in a separate process."""
    done = subprocess.run(
        [sys.executable, "-c", EARNINGS_SUM, str(path), column, separator, eol],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    result: list[str] = json.loads(done.stdout)
    return result


def fresh_lake(work: Path, name: str, export: Path) -> Lake:
    lake = lake_with_services(work / name, REPO, ["distrokid"])
    shutil.copyfile(export, lake.zone("1_landing") / "distrokid" / export.name)
    return lake


def median(runs: list[dict[str, object]], key: Callable[[dict[str, object]], object]) -> float:
    return statistics.median(float(key(run)) for run in runs)  # type: ignore[arg-type]


def run(rows: int, repeats: int, work: Path, env: dict[str, str], with_run: bool = True) -> None:
    export = work / EXPORT_NAME
    if not export.exists():
        write_legacy_bank_export(export, rows)
    bare: list[dict[str, object]] = []
    steps: list[dict[str, object]] = []
    chain: list[dict[str, object]] = []
    for attempt in range(repeats):
        bare.append(
            measure([sys.executable, "-c", BARE_POLARS, str(export), str(work / "bare.csv")], env)
        )
        (work / "bare.csv").unlink()
        lake = fresh_lake(work, f"steps{attempt}", export)
        steps.append(measure([sys.executable, "-c", STEPS, str(lake.root)], env))
        if attempt < repeats - 1:
            shutil.rmtree(lake.root)
        if with_run:
            lake_run = fresh_lake(work, f"run{attempt}", export)
            command = [str(BEDROT), "run", "--no-extract", "--no-warehouse", "--services"]
            chain.append(
                measure([*command, "distrokid"], {**env, "PROJECT_ROOT": str(lake_run.root)})
            )
            shutil.rmtree(lake_run.root)
    curated = lake.zone("4_curated") / "dk_bank_details.csv"
    exported = earnings(export, "Earnings (USD)", "\t", "\r", env)
    published = earnings(curated, "earnings_usd", ",", "\n", env)
    report(rows, repeats, export, curated, bare, steps, chain, exported == published)


def _inner(run: dict[str, object], key: str = "seconds") -> object:
    inner = run["inner"]
    assert isinstance(inner, dict)
    return inner[key]


def report(
    rows: int,
    repeats: int,
    export: Path,
    curated: Path,
    bare: list[dict[str, object]],
    steps: list[dict[str, object]],
    chain: list[dict[str, object]],
    exact: bool,
) -> None:
    bare_s = median(bare, _inner)
    chain = chain or [{"seconds": float("nan"), "cpu": float("nan"), "peak_rss_mb": float("nan")}]
    bare_wall = median(bare, lambda r: r["seconds"])
    steps_s = median(steps, _inner)
    chain_s = median(chain, lambda r: r["seconds"])
    bare_cpu = median(bare, lambda r: r["cpu"])

    def rss(runs: list[dict[str, object]]) -> str:
        return f"peak RSS {max(float(r['peak_rss_mb']) for r in runs):.0f} MB"  # type: ignore

    def cpu(runs: list[dict[str, object]]) -> str:
        return f"CPU {median(runs, lambda r: r['cpu']):.2f} s"

    python = platform.python_version()
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {python}")
    print(f"load average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"rows: {rows:,} ({export.stat().st_size / 1e6:.0f} MB legacy TSV, CR line ends)")
    print(f"medians of {repeats} run(s):")
    print(
        f"  bare polars read + write:     {bare_s:6.2f} s in-process ({bare_wall:.2f} s with its "
        f"interpreter), {cpu(bare)}, {rss(bare)}"
    )
    for name in ("landing_to_raw", "raw_to_staging", "staging_to_curated"):
        print(f"    {name:27s} {median(steps, lambda r: _inner(r, name)):6.2f} s")
    print(
        f"  three steps in one process:   {steps_s:6.2f} s = {steps_s / bare_s:.2f}x bare "
        f"(target <= 1.5x), {cpu(steps)} = {median(steps, lambda r: r['cpu']) / bare_cpu:.2f}x "
        f"bare's, {rss(steps)} (target <= 1024 MB)"
    )
    print(
        f"  bedrot run --no-warehouse:    {chain_s:6.2f} s = {chain_s / bare_wall:.2f}x bare with "
        f"its interpreter, {cpu(chain)}, {rss(chain)}"
    )
    size = curated.stat().st_size / export.stat().st_size
    print(
        f"export {export.stat().st_size / 1e6:.0f} MB, curated {curated.stat().st_size / 1e6:.0f}"
        f" MB: ratio {size:.2f} (target <= 1.2)"
    )
    print(f"curated earnings sum equals the export's exactly (and as many rows): {exact}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--work", type=Path, help="folder for the export and lakes (kept: the export is reused)"
    )
    parser.add_argument(
        "--skip-bedrot-run", action="store_true", help="measure the steps only (e.g. old code)"
    )
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if not k.startswith("BEDROT_")}
    work = args.work or Path(tempfile.mkdtemp(prefix="bedrot-bank-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        run(args.rows, args.repeats, work, env, with_run=not args.skip_bedrot_run)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
        else:
            for lake in work.glob("steps*"):
                shutil.rmtree(lake, ignore_errors=True)


if __name__ == "__main__":
    main()

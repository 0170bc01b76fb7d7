"""Figures for the foundation: `bedrot --help` time, and a no-op `bedrot run --no-extract`
over nine services. Prints medians; run with `.venv/bin/python benchmarks/bench_cli_startup.py`."""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BEDROT = Path(sys.executable).with_name("bedrot.exe" if os.name == "nt" else "bedrot")
SERVICES = [f"service{n}" for n in range(1, 10)]
HEAVY_MODULES = ("pandas", "polars", "pyarrow", "sqlalchemy", "playwright")


def timed(command: list[str], env: dict[str, str], repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        subprocess.run(command, env=env, capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    return times


def heavy_imports(command: list[str], env: dict[str, str]) -> list[str]:
    traced = subprocess.run(
        command, env={**env, "PYTHONPROFILEIMPORTTIME": "1"}, capture_output=True, text=True
    )
    imported = {line.split("|")[-1].strip().split(".")[0] for line in traced.stderr.splitlines()}
    return [name for name in HEAVY_MODULES if name in imported]


def main() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BEDROT_")}
    help_times = timed([str(BEDROT), "--help"], env, 15)
    lake = Path(tempfile.mkdtemp(prefix="bedrot-bench-"))
    try:
        subprocess.run([str(BEDROT), "init", str(lake)], env=env, capture_output=True, check=True)
        env["PROJECT_ROOT"] = str(lake)
        for service in SERVICES:
            subprocess.run(
                [str(BEDROT), "new-service", service], env=env, check=True, capture_output=True
            )
            landing = lake / "1_landing" / service / f"{service}_daily_20261101_060000.csv"
            landing.write_text(
                "date,plays\n" + "".join(f"2026-10-{d:02},{d}\n" for d in range(1, 31))
            )
        run = [str(BEDROT), "run", "--no-extract"]
        first = timed(run, env, 1)[0]
        noop_times = timed(run, env, 7)
        forced = timed([*run, "--force"], env, 3)
        heavy = heavy_imports(run, env)
    finally:
        shutil.rmtree(lake, ignore_errors=True)
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    print(
        f"bedrot --help: median {statistics.median(help_times):.3f} s over {len(help_times)} runs"
        " (target < 0.3 s)"
    )
    print(f"bedrot run --no-extract, 9 services, first run (27 cleaners): {first:.2f} s")
    print(
        f"bedrot run --no-extract, 9 services, nothing new: median "
        f"{statistics.median(noop_times):.3f} s over {len(noop_times)} runs (target < 2 s)"
    )
    print(
        f"bedrot run --no-extract --force, 9 services, nothing new (all 27 scripts start): "
        f"median {statistics.median(forced):.2f} s"
    )
    print(f"heavy modules imported by bedrot run: {', '.join(heavy) or 'none'}")


if __name__ == "__main__":
    main()

"""Fuzzing every reader and service parser with many more examples than the test command runs:
any bytes must give rows or a RejectedFile (a quarantine), never another exception or a hang.

Prints, per reader, the examples run, how many were refused and the failures found (with the
input that fails, shrunk). Run with
`.venv/bin/python benchmarks/bench_fuzz.py [--examples 500] [--only NAME] [--seed N]`.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(CHECKOUT))

from hypothesis import HealthCheck, given, seed, settings  # noqa: E402

from tests.reliability.fuzz_support import TARGETS, Target, fuzz_bytes, run_target  # noqa: E402


def fuzz(target: Target, examples: int, seed_value: int) -> tuple[Counter[str], str | None]:
    """(outcomes counted, the failure's traceback or None)."""
    outcomes: Counter[str] = Counter()

    @seed(seed_value)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(content=fuzz_bytes(target.sample()))
    def parse(content: bytes) -> None:
        outcomes[run_target(target, content)] += 1

    try:
        parse()
    except Exception:  # noqa: BLE001 - a benchmark reports every failure it finds
        return outcomes, traceback.format_exc(limit=6)
    return outcomes, None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=500, help="examples per reader")
    parser.add_argument("--only", help="run the readers whose name contains this")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    chosen = [t for name, t in sorted(TARGETS.items()) if not args.only or args.only in name]
    failures = 0
    print(f"{'reader':42} {'examples':>8} {'ok':>6} {'refused':>8} {'seconds':>8}  result")
    for target in chosen:
        started = time.perf_counter()
        outcomes, failure = fuzz(target, args.examples, args.seed)
        elapsed = time.perf_counter() - started
        total = sum(outcomes.values())
        result = "FAILED" if failure else "no failure"
        print(
            f"{target.name:42} {total:>8} {outcomes['ok']:>6} {outcomes['rejected']:>8} "
            f"{elapsed:>8.1f}  {result}"
        )
        if failure:
            failures += 1
            print(failure)
    print(f"failures found: {failures} of {len(chosen)} readers (target 0)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

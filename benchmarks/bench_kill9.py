"""Kill -9 at random moments: does the next run always converge to the undisturbed result?

Run: `.venv/bin/python benchmarks/bench_kill9.py [--trials 50] [--seed N] [--services a,b]`.
It builds the demo's lake (its landing files, nothing run), runs it once undisturbed for the
expected curated files and warehouse rows, then for each trial: a fresh copy of the unrun lake,
`bedrot run --automated --no-extract` SIGKILLed (its process group and every script it started)
after a delay drawn uniformly from [0, the undisturbed run's wall time], one undisturbed rerun,
which must exit 0 and leave exactly the expected curated files, quarantine and warehouse rows.

Extraction is not part of the run (`--no-extract`): the local fake sites live in the test tree
and most need a browser; a landed file is where extraction ends, and the trials start from the
demo's landed files. POSIX only (SIGKILL of process groups).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.kill9 import (  # noqa: E402
    Kill,
    build_demo_template,
    expected_state,
    run_trial,
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=50)
    parser.add_argument("--seed", type=int, default=None, help="default: from the clock")
    parser.add_argument("--services", default="", help="only these built-in services (a,b)")
    parser.add_argument("--work", type=Path, default=None, help="default: a temp folder")
    args = parser.parse_args()
    if sys.platform == "win32":
        print("SIGKILL of a process group is POSIX: run this on Linux or macOS.")
        return 2
    seed = args.seed if args.seed is not None else int(time.time())
    chosen = random.Random(seed)
    services = [s for s in args.services.split(",") if s] or None
    with tempfile.TemporaryDirectory(dir=args.work) as scratch:
        work = Path(scratch)
        template = build_demo_template(work / "template", services)
        expected, wall = expected_state(template, work / "expected")
        print(f"seed {seed}; undisturbed run: {wall:.1f} s, {len(expected.curated)} curated files")
        converged = 0
        phases: Counter[str] = Counter()
        for number in range(1, args.trials + 1):
            kill = Kill(round(chosen.uniform(0.0, wall), 2))
            result = run_trial(template, work / "trial", expected, kill)
            phases[result.phase.split(" (")[0]] += 1
            converged += result.converged
            verdict = "converged" if result.converged else "DIVERGED"
            print(
                f"trial {number:3d}: killed at {kill.delay:6.2f} s, {result.phase}: {verdict}"
                f" (rerun exit {result.rerun_exit}"
                f"{', removed temp files' if result.removed_temp_files else ''})",
                flush=True,
            )
            for difference in [*result.differences, *result.leftovers][:10]:
                print(f"    {difference}")
            if result.rerun_exit != 0:
                print("    " + "\n    ".join(result.rerun_output.splitlines()[-15:]))
        print(f"kills by phase: {dict(sorted(phases.items()))}")
        print(f"converged {converged} / {args.trials} trials (seed {seed})")
    return 0 if converged == args.trials else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""`python src/common/pipeline_health_monitor.py [--json]`: the report of `bedrot health`.

Exit 0 when no service is [FAIL], 1 when one is, 2 when the lake root or config/health.json is
wrong.
"""

from __future__ import annotations

import argparse
import sys

from common.health.config import HealthConfigError
from common.health.render import show_health
from common.health.report import assess_lake
from common.script import EXIT_BAD_ROOT, open_lake_or_explain
from common.settings import load_lake_env


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    arguments = parser.parse_args(argv)
    lake = open_lake_or_explain()
    if lake is None:
        return EXIT_BAD_ROOT
    load_lake_env(lake)
    try:
        report = assess_lake(lake)
    except HealthConfigError as error:
        print(f"[FAIL] {error}", file=sys.stderr)
        return EXIT_BAD_ROOT
    return show_health(report, arguments.json)


if __name__ == "__main__":
    raise SystemExit(main())

"""Instagram raw -> staging: every extraction folded, the newest wins per day and metric.

Logic: instagram.steps.raw_to_staging.
"""

from common.script import run_script
from instagram.steps import raw_to_staging

if __name__ == "__main__":
    raise SystemExit(run_script("instagram", raw_to_staging))

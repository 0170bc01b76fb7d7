"""TooLost landing -> raw: each portal analytics JSON as one NDJSON of typed daily points.

Logic: toolost.steps.landing_to_raw.
"""

from common.script import run_script
from toolost.steps import landing_to_raw

if __name__ == "__main__":
    raise SystemExit(run_script("toolost", landing_to_raw))

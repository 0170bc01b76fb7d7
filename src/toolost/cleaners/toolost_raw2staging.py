"""TooLost raw -> staging: every extraction folded, oldest first, into the history.

Logic: toolost.steps.raw_to_staging.
"""

from common.script import run_script
from toolost.steps import raw_to_staging

if __name__ == "__main__":
    raise SystemExit(run_script("toolost", raw_to_staging))

"""Meta Ads raw -> staging: every extraction folded, oldest first; the newest wins per row.

Logic: metaads.steps.raw_to_staging.
"""

from common.script import run_script
from metaads.steps import raw_to_staging

if __name__ == "__main__":
    raise SystemExit(run_script("metaads", raw_to_staging))

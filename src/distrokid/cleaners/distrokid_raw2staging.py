"""DistroKid raw -> staging: typed bank line items per export; the daily-streams history.

Logic: distrokid.steps.raw_to_staging.
"""

from common.script import run_script
from distrokid.steps import raw_to_staging

if __name__ == "__main__":
    raise SystemExit(run_script("distrokid", raw_to_staging))

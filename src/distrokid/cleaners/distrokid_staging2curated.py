"""DistroKid staging -> curated: dk_bank_details.csv and its rows of tidy_daily_streams.csv.

Logic: distrokid.steps.staging_to_curated.
"""

from common.script import run_script
from distrokid.steps import staging_to_curated

if __name__ == "__main__":
    raise SystemExit(run_script("distrokid", staging_to_curated))

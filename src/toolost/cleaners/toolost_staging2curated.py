"""TooLost staging -> curated: TooLost's rows of tidy_daily_streams.csv.

Logic: toolost.steps.staging_to_curated.
"""

from common.script import run_script
from toolost.steps import staging_to_curated

if __name__ == "__main__":
    raise SystemExit(run_script("toolost", staging_to_curated))

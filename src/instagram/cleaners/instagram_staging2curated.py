"""Instagram staging -> curated: daily account metrics, media and media metrics per day.

Logic: instagram.steps.staging_to_curated.
"""

from common.script import run_script
from instagram.steps import staging_to_curated

if __name__ == "__main__":
    raise SystemExit(run_script("instagram", staging_to_curated))

"""Meta Ads staging -> curated: daily and per-period performance, actions, campaign summaries.

Logic: metaads.steps.staging_to_curated.
"""

from common.script import run_script
from metaads.steps import staging_to_curated

if __name__ == "__main__":
    raise SystemExit(run_script("metaads", staging_to_curated))

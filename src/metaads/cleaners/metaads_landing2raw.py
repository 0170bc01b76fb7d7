"""Meta Ads landing -> raw: each API response or Ads Manager export checked, kept as NDJSON rows.

Logic: metaads.steps.landing_to_raw.
"""

from common.script import run_script
from metaads.steps import landing_to_raw

if __name__ == "__main__":
    raise SystemExit(run_script("metaads", landing_to_raw))

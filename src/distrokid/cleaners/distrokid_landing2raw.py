"""DistroKid landing -> raw: bank exports as validated UTF-8 copies, stats pages as NDJSON points.

Logic: distrokid.steps.landing_to_raw.
"""

from common.script import run_script
from distrokid.steps import landing_to_raw

if __name__ == "__main__":
    raise SystemExit(run_script("distrokid", landing_to_raw))

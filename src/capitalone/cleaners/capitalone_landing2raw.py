"""Capital One landing -> raw: each export checked, card numbers cut, kept as UTF-8 CSV.

Logic: capitalone.steps.landing_to_raw.
"""

from capitalone.steps import landing_to_raw
from common.script import run_script

if __name__ == "__main__":
    raise SystemExit(run_script("capitalone", landing_to_raw))

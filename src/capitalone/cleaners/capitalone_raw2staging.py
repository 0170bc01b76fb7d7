"""Capital One raw -> staging: every statement typed, folded into one ledger.

Logic: capitalone.steps.raw_to_staging.
"""

from capitalone.steps import raw_to_staging
from common.script import run_script

if __name__ == "__main__":
    raise SystemExit(run_script("capitalone", raw_to_staging))

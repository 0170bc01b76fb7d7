"""Capital One staging -> curated: capitalone_transactions.csv, the old one archived.

Logic: capitalone.steps.staging_to_curated.
"""

from capitalone.steps import staging_to_curated
from common.script import run_script

if __name__ == "__main__":
    raise SystemExit(run_script("capitalone", staging_to_curated))

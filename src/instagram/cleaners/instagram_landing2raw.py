"""Instagram landing -> raw: each API pull or Business Suite export checked, kept as NDJSON records.

Logic: instagram.steps.landing_to_raw.
"""

from common.script import run_script
from instagram.steps import landing_to_raw

if __name__ == "__main__":
    raise SystemExit(run_script("instagram", landing_to_raw))

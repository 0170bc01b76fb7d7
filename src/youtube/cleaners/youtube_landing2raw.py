"""YouTube landing -> raw: each API response or export checked, kept as NDJSON records.

Logic: youtube.steps.landing_to_raw.
"""

from common.script import run_script
from youtube.steps import landing_to_raw

if __name__ == "__main__":
    raise SystemExit(run_script("youtube", landing_to_raw))

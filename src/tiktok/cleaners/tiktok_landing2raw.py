"""TikTok landing -> raw: each Studio zip or loose CSV as one dated NDJSON per CSV it holds.

Logic: tiktok.steps.landing_to_raw.
"""

from common.script import run_script
from tiktok.steps import landing_to_raw

if __name__ == "__main__":
    raise SystemExit(run_script("tiktok", landing_to_raw))

"""TikTok raw -> staging: per dataset, every extraction folded into its history, newest winning.

Logic: tiktok.steps.raw_to_staging.
"""

from common.script import run_script
from tiktok.steps import raw_to_staging

if __name__ == "__main__":
    raise SystemExit(run_script("tiktok", raw_to_staging))

"""TikTok staging -> curated: daily, activity, viewers, content and audience tables, archived first.

Logic: tiktok.steps.staging_to_curated.
"""

from common.script import run_script
from tiktok.steps import staging_to_curated

if __name__ == "__main__":
    raise SystemExit(run_script("tiktok", staging_to_curated))

"""YouTube staging -> curated: channel and video days, channel snapshots and videos.

Logic: youtube.steps.staging_to_curated.
"""

from common.script import run_script
from youtube.steps import staging_to_curated

if __name__ == "__main__":
    raise SystemExit(run_script("youtube", staging_to_curated))

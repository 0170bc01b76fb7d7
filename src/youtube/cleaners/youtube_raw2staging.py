"""YouTube raw -> staging: every extraction folded, the newest value per key wins.

Logic: youtube.steps.raw_to_staging.
"""

from common.script import run_script
from youtube.steps import raw_to_staging

if __name__ == "__main__":
    raise SystemExit(run_script("youtube", raw_to_staging))

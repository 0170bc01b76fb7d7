"""Spotify raw -> staging: per family, every extraction folded into one row per natural key.

Logic: spotify.steps.raw_to_staging.
"""

from common.script import run_script
from spotify.steps import raw_to_staging

if __name__ == "__main__":
    raise SystemExit(run_script("spotify", raw_to_staging))

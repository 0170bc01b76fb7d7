"""Spotify landing -> raw: each S4A export checked, its artist found in config, kept as text.

Logic: spotify.steps.landing_to_raw.
"""

from common.script import run_script
from spotify.steps import landing_to_raw

if __name__ == "__main__":
    raise SystemExit(run_script("spotify", landing_to_raw))

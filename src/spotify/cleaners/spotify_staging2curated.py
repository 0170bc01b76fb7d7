"""Spotify staging -> curated: audience, songs, song timelines and playlists, old ones archived.

Logic: spotify.steps.staging_to_curated.
"""

from common.script import run_script
from spotify.steps import staging_to_curated

if __name__ == "__main__":
    raise SystemExit(run_script("spotify", staging_to_curated))

"""Linktree staging -> curated: the five linktree_*_curated.csv files, previous versions archived.

Logic: linktree.steps.staging_to_curated.
"""

from common.script import run_script
from linktree.steps import staging_to_curated

if __name__ == "__main__":
    raise SystemExit(run_script("linktree", staging_to_curated))

"""Linktree raw -> staging: every capture folded, oldest extraction first, into six tables.

Logic: linktree.steps.raw_to_staging.
"""

from common.script import run_script
from linktree.steps import raw_to_staging

if __name__ == "__main__":
    raise SystemExit(run_script("linktree", raw_to_staging))

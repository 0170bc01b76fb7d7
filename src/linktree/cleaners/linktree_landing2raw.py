"""Linktree landing -> raw: each GraphQL capture's analytics payloads, validated, as NDJSON.

Logic: linktree.steps.landing_to_raw.
"""

from common.script import run_script
from linktree.steps import landing_to_raw

if __name__ == "__main__":
    raise SystemExit(run_script("linktree", landing_to_raw))

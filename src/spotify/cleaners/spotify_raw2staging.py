"""Spotify raw → staging: per family, every extraction folded into one row per natural key.

Exports cover moving windows, so history lives here: a newer extraction replaces the rows it
covers (revised days included) and every other row is kept.
"""

from __future__ import annotations

from common.cleaning import Rebuild, rebuild_when_changed
from common.script import ScriptContext, run_script
from common.zones import RAW, STAGING
from spotify.exports import FAMILIES, read_raw
from spotify.family import Family
from spotify.settings import SERVICE
from spotify.tables import is_raw_of, write_staging


def stage(ctx: ScriptContext, family: Family) -> int:
    rebuild = Rebuild(read_raw, lambda inputs: write_staging(ctx.lake, family, inputs))
    step = f"raw2staging {family.kind}"
    return rebuild_when_changed(
        ctx, RAW, STAGING, rebuild, step, select=is_raw_of(family)
    ).exit_code


def main(ctx: ScriptContext) -> int:
    return max(stage(ctx, family) for family in FAMILIES)


if __name__ == "__main__":
    raise SystemExit(run_script(SERVICE, main))

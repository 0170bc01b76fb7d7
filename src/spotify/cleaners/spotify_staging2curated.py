"""Spotify staging → curated: audience (dated, with streams_28d), songs, song timelines and
playlists, each previous version archived."""

from __future__ import annotations

from common.cleaning import Rebuild, rebuild_when_changed
from common.script import ScriptContext, run_script
from common.zones import CURATED, STAGING
from spotify.exports import FAMILIES
from spotify.family import Family
from spotify.settings import SERVICE
from spotify.tables import is_staging_of, publish, staging_reader


def curate(ctx: ScriptContext, family: Family) -> int:
    rebuild = Rebuild(
        staging_reader(family), lambda staged: publish(ctx.lake, family, staged, ctx.log)
    )
    step = f"staging2curated {family.kind}"
    report = rebuild_when_changed(
        ctx, STAGING, CURATED, rebuild, step, select=is_staging_of(family)
    )
    return report.exit_code


def main(ctx: ScriptContext) -> int:
    return max(curate(ctx, family) for family in FAMILIES)


if __name__ == "__main__":
    raise SystemExit(run_script(SERVICE, main))

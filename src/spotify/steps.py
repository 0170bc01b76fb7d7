"""The Spotify cleaner steps, called by the cleaner scripts and, in-process, by tests.

Exports cover moving windows, so history lives in staging: a newer extraction replaces the rows
it covers (revised days included) and every other row is kept.
"""

from __future__ import annotations

from common.artists import ArtistConfigError, ArtistDirectory
from common.cleaning import Rebuild, process_each_new_file, rebuild_when_changed
from common.script import EXIT_FAILED, ScriptContext
from common.zones import CURATED, LANDING, RAW, STAGING
from spotify import exports
from spotify.exports import FAMILIES, read_raw
from spotify.family import Family
from spotify.tables import is_raw_of, is_staging_of, publish, staging_reader, write_staging


def landing_to_raw(ctx: ScriptContext) -> int:
    """Each new S4A export checked, its artist found in config/artists.json, kept as text."""
    try:
        artists = ArtistDirectory.load(ctx.lake)
    except ArtistConfigError as error:
        ctx.log.error("Spotify files cannot be given an artist: %s", error)
        return EXIT_FAILED
    report = process_each_new_file(
        ctx,
        LANDING,
        RAW,
        lambda path: exports.landing_to_raw(ctx.lake, artists, path),
        "landing2raw",
    )
    return report.exit_code


def stage_family(ctx: ScriptContext, family: Family) -> int:
    """Fold every raw extraction of one family into its staging history."""
    rebuild = Rebuild(read_raw, lambda inputs: write_staging(ctx.lake, family, inputs))
    step = f"raw2staging {family.kind}"
    return rebuild_when_changed(
        ctx, RAW, STAGING, rebuild, step, select=is_raw_of(family)
    ).exit_code


def raw_to_staging(ctx: ScriptContext) -> int:
    """Per family, every extraction folded into one row per natural key."""
    return max(stage_family(ctx, family) for family in FAMILIES)


def curate_family(ctx: ScriptContext, family: Family) -> int:
    """Publish one family's curated file from its staging history."""
    rebuild = Rebuild(
        staging_reader(family), lambda staged: publish(ctx.lake, family, staged, ctx.log)
    )
    step = f"staging2curated {family.kind}"
    return rebuild_when_changed(
        ctx, STAGING, CURATED, rebuild, step, select=is_staging_of(family)
    ).exit_code


def staging_to_curated(ctx: ScriptContext) -> int:
    """Audience (dated, with streams_28d), songs, song timelines and playlists, each previous
    version archived."""
    return max(curate_family(ctx, family) for family in FAMILIES)

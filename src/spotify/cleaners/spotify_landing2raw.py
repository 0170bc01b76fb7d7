"""Spotify landing → raw: each S4A export checked, its artist found in config, kept as text."""

from __future__ import annotations

from common.artists import ArtistConfigError, ArtistDirectory
from common.cleaning import process_each_new_file
from common.script import EXIT_FAILED, ScriptContext, run_script
from common.zones import LANDING, RAW
from spotify.exports import landing_to_raw
from spotify.settings import SERVICE


def main(ctx: ScriptContext) -> int:
    try:
        artists = ArtistDirectory.load(ctx.lake)
    except ArtistConfigError as error:
        ctx.log.error("Spotify files cannot be given an artist: %s", error)
        return EXIT_FAILED
    report = process_each_new_file(
        ctx, LANDING, RAW, lambda path: landing_to_raw(ctx.lake, artists, path), "landing2raw"
    )
    return report.exit_code


if __name__ == "__main__":
    raise SystemExit(run_script(SERVICE, main))

"""TikTok landing → raw: each Studio zip or loose CSV as one dated NDJSON per CSV it holds."""

from __future__ import annotations

from pathlib import Path

from common.artists import ArtistDirectory
from common.cleaning import process_each_new_file
from common.script import ScriptContext, run_script
from common.zones import LANDING, RAW, service_zone
from tiktok.landing import read_landing_file, write_raw
from tiktok.settings import SERVICE


def landing_to_raw(ctx: ScriptContext, artists: ArtistDirectory, landing_file: Path) -> list[Path]:
    extractions = read_landing_file(landing_file, ctx.lake.root, artists)
    return write_raw(service_zone(ctx.lake, RAW, SERVICE), extractions)


def main(ctx: ScriptContext) -> int:
    artists = ArtistDirectory.load(ctx.lake)
    report = process_each_new_file(
        ctx, LANDING, RAW, lambda path: landing_to_raw(ctx, artists, path), "landing2raw"
    )
    return report.exit_code


if __name__ == "__main__":
    raise SystemExit(run_script(SERVICE, main))

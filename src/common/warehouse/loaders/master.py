"""etl_master_data: artists and aliases from config/artists.json, the known platforms, and the
catalog (releases, tracks, collaborations) from the royalty lines the distributors report (the
curated files of every dataset declared with the royalty_lines loader)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import polars as pl
from sqlalchemy import Connection, insert, select

from common.artists import ArtistDirectory
from common.warehouse.dimensions import Dimensions
from common.warehouse.loaders.frames import read_curated
from common.warehouse.models import Track, TrackArtist

KNOWN_PLATFORMS = {
    "Spotify": "store",
    "Apple Music": "store",
    "YouTube": "social",
    "TikTok": "social",
    "Instagram": "social",
    "Linktree": "link",
    "Meta Ads": "advertising",
    "Mailchimp": "email",
}


def load_master_data(
    connection: Connection,
    artists: ArtistDirectory,
    curated: Path,
    catalog_patterns: Sequence[str],
) -> str:
    """`catalog_patterns`: the royalty-line files (globs in 4_curated) the catalog comes from."""
    dims = Dimensions(connection, artists)
    seeded = dims.seed_artists()
    for name, kind in KNOWN_PLATFORMS.items():
        dims.platforms([name], kind=kind)
    lines = sorted({path for pattern in catalog_patterns for path in curated.glob(pattern)})
    tracks = sum(_catalog(dims, path) for path in lines)
    return f"{seeded} artists from config, {len(KNOWN_PLATFORMS)} platforms, {tracks} new tracks"


def _catalog(dims: Dimensions, bank: Path) -> int:
    """Tracks with their title, release and every credited artist (collaborations of known
    artists split)."""
    lines = read_curated(bank).filter(pl.col("isrc").is_not_null())
    catalog = lines.group_by("isrc").agg(
        pl.col("title").first(), pl.col("upc").drop_nulls().first(), pl.col("artist").first()
    )
    connection = dims.connection
    existing = {isrc for (isrc,) in connection.execute(select(Track.isrc))}
    fresh = catalog.filter(~pl.col("isrc").is_in(list(existing)))
    releases = dims.releases(fresh["upc"].drop_nulls().unique().to_list())
    if fresh.height:
        connection.execute(
            insert(Track),
            [
                {"isrc": r["isrc"], "title": r["title"], "release_id": releases.get(r["upc"] or "")}
                for r in fresh.iter_rows(named=True)
            ],
        )
    track_ids = dims.tracks(fresh["isrc"].to_list())
    links = {
        (track_ids[r["isrc"]], artist_id)
        for r in fresh.iter_rows(named=True)
        for artist_id in dims.credited_artists(r["artist"] or "")
    }
    if links:
        connection.execute(
            insert(TrackArtist), [{"track_id": t, "artist_id": a} for t, a in sorted(links)]
        )
    return fresh.height

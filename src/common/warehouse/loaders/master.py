"""etl_master_data: artists and aliases from config/artists.json, the known platforms, and the
catalog (releases, tracks, collaborations) from the royalty lines the distributors report (the
curated files of every dataset declared with the royalty_lines loader)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import polars as pl
from sqlalchemy import Connection, insert, select

from common.artists import ArtistDirectory
from common.lake import Lake
from common.warehouse.dimensions import Dimensions
from common.warehouse.file_identity import loaded_files
from common.warehouse.loaders.frames import curated_batches
from common.warehouse.models import Track, TrackArtist
from common.zones import CURATED

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
    lake: Lake,
    catalog_patterns: Sequence[str],
) -> str:
    """`catalog_patterns`: the royalty-line files (globs in 4_curated) the catalog comes from.
    A file unchanged since the ETL loaded its lines is not read again: each of its ISRCs became
    a track with that load, so it has no new track to give."""
    dims = Dimensions(connection, artists)
    seeded = dims.seed_artists()
    for name, kind in KNOWN_PLATFORMS.items():
        dims.platforms([name], kind=kind)
    curated = lake.zone(CURATED)
    loaded = loaded_files(connection)
    lines = sorted({path for pattern in catalog_patterns for path in curated.glob(pattern)})
    changed = [
        path
        for path in lines
        if not (
            (known := loaded.get(path.relative_to(lake.root).as_posix()))
            and known.same_stat(path.stat())
        )
    ]
    tracks = sum(_catalog(dims, path) for path in changed)
    return f"{seeded} artists from config, {len(KNOWN_PLATFORMS)} platforms, {tracks} new tracks"


def _first_per_track(lines: pl.DataFrame) -> pl.DataFrame:
    return lines.group_by("isrc", maintain_order=True).agg(
        pl.col("title").first(), pl.col("upc").drop_nulls().first(), pl.col("artist").first()
    )


def _tracks_in(bank: Path) -> pl.DataFrame:
    """One row per ISRC (its first title, release and credit in the file), read a chunk at a
    time so millions of lines never sit in memory."""
    parts = [
        _first_per_track(chunk.filter(pl.col("isrc").is_not_null()))
        for chunk in curated_batches(bank)
    ]
    if not parts:
        return pl.DataFrame(schema={c: pl.String for c in ("isrc", "title", "upc", "artist")})
    return _first_per_track(pl.concat(parts))


def _catalog(dims: Dimensions, bank: Path) -> int:
    """Tracks with their title, release and every credited artist (collaborations of known
    artists split)."""
    catalog = _tracks_in(bank)
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
    # Every track of the file gets the artists its credit names, known tracks too: a warehouse
    # loaded before a credit was split (a guest the config does not know) gains the label's
    # artist, whose share then pays it.
    track_ids = dims.tracks(catalog["isrc"].to_list())
    links = {
        (track_ids[r["isrc"]], artist_id)
        for r in catalog.iter_rows(named=True)
        for artist_id in dims.credited_artists(r["artist"] or "")
    }
    linked = {  # a few rows per track: read whole, never a bound list of every track id
        (int(track), int(artist))
        for track, artist in connection.execute(select(TrackArtist.track_id, TrackArtist.artist_id))
    }
    if links - linked:
        connection.execute(
            insert(TrackArtist),
            [{"track_id": t, "artist_id": a} for t, a in sorted(links - linked)],
        )
    return fresh.height

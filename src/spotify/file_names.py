"""What a Spotify for Artists file name (or its folder) says: the artist, the window, the song.

Which artist a file belongs to comes only from config/artists.json: a Spotify id in the name
(the extractor's `spotify_audience_<id>_<YYYYMMDD_HHMMSS>.csv`), a file-name prefix (S4A's own
`<artist>-audience-timeline.csv`), or the folder of 1_landing/spotify/ the file sits in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from common.artists import Artist, ArtistDirectory
from common.quarantine import RejectedFile
from common.series import extracted_at
from common.zones import (
    dataset_from_name,
    landing_file_name,
    slug,
    timestamped_name,
)
from spotify.settings import (
    AUDIENCE_MARKER,
    SERVICE,
    SONGS_JSON_SUFFIXES,
    SONGS_MARKER,
    TIMELINE_SUFFIX,
    WINDOWS,
)

_TIMESTAMP = re.compile(r"[ _-]?\d{8}[_-]\d{6}")
_DOWNLOAD_COPY = re.compile(r"\s*\(\d+\)$")
_SEPARATORS = re.compile(r"[\s_-]+")
# What follows a file-name prefix before the rest of the name.
_AFTER_PREFIX = re.compile(r"^\s*[-_]\s*")


@dataclass(frozen=True)
class ArtistMatch:
    """The artist of a file and what named it: 'spotify id', 'file prefix' or 'folder'."""

    artist: Artist
    named_by: str
    prefix: str = ""


def bare_stem(path: Path) -> str:
    """The name without extension, extraction timestamp or a browser's ' (1)' copy mark."""
    stem = _TIMESTAMP.sub("", path.stem)
    return _DOWNLOAD_COPY.sub("", stem).strip()


def _by_name(name: str, artists: ArtistDirectory) -> ArtistMatch | None:
    artist = artists.by_file_name(name)
    if artist is None:
        return None
    if any(artist_id in name for artist_id in artist.spotify_ids):
        return ArtistMatch(artist, "spotify id")
    prefixes = [p for p in artist.file_prefixes if name.casefold().startswith(p.casefold())]
    return ArtistMatch(artist, "file prefix", max(prefixes, key=len))


def _by_folder(folders: tuple[str, ...], artists: ArtistDirectory) -> ArtistMatch | None:
    for folder in reversed(folders):
        artist = artists.resolve(folder) or artists.by_spotify_id(folder)
        if artist is not None:
            return ArtistMatch(artist, "folder")
    return None


def unknown_artist(path: Path, landing: Path, hint: str = "") -> RejectedFile:
    where = path.relative_to(landing).as_posix()
    return RejectedFile(
        f"{where} belongs to no artist of config/artists.json: no listed Spotify id is in its "
        "name, no listed file prefix starts it and its folder is no listed artist. Add the "
        "artist (name, spotify_ids, file_prefixes) to config/artists.json." + hint,
        rule="unknown-artist",
        details={"file": where},
        depends_on_config=True,
    )


def artist_of(
    path: Path, landing: Path, artists: ArtistDirectory, named_after_song: bool = False
) -> ArtistMatch:
    """The file's artist. An artist folder decides; a name naming another artist is refused.

    A song timeline is named after its song, so only its folder or a prefix can name the artist.
    """
    by_folder = _by_folder(path.relative_to(landing).parts[:-1], artists)
    if by_folder is not None and named_after_song:
        return by_folder
    by_name = _by_name(path.name, artists)
    if by_folder and by_name and by_folder.artist != by_name.artist:
        raise RejectedFile(
            f"{path.name} is named for {by_name.artist.name} but sits in the folder of "
            f"{by_folder.artist.name}: move it to the right folder.",
            rule="artist-conflict",
        )
    match = by_folder or by_name
    if match is None:
        hint = (
            " A song timeline is named after its song only: put it in 1_landing/spotify/<artist>/"
            " or start its name with the artist's file prefix."
            if named_after_song
            else ""
        )
        raise unknown_artist(path, landing, hint)
    return match


def window_of(path: Path, marker: str) -> str | None:
    """The time window named after `marker` ('songs' in 'PIG1987-songs-1year.csv'), if any."""
    words = _SEPARATORS.split(bare_stem(path).casefold())
    if marker not in words:
        return None
    after = len(words) - words[::-1].index(marker)
    return WINDOWS.get(words[after]) if after < len(words) else None


def required_window(path: Path, marker: str) -> str:
    window = window_of(path, marker)
    if window is None:
        pattern = (
            f"{SERVICE}_{marker}_<window>_<spotify id>_<YYYYMMDD_HHMMSS>.json"
            if path.suffix.lower() in SONGS_JSON_SUFFIXES
            else f"<artist>-{marker}-<window>.csv"
        )
        raise RejectedFile(
            f"{path.name} does not say its time window: name it {pattern} with a window among "
            f"{', '.join(sorted(set(WINDOWS)))}.",
            rule="file-name",
        )
    return window


def song_of(path: Path, match: ArtistMatch) -> str:
    """The song of `<song title>-timeline.csv`, less an artist prefix and Windows' trailing _."""
    stem = bare_stem(path)
    if not stem.casefold().endswith(TIMELINE_SUFFIX):
        raise RejectedFile(
            f"{path.name} holds a song timeline but its name is not <song title>"
            f"{TIMELINE_SUFFIX}.csv, and the name is the only link to the song.",
            rule="file-name",
        )
    title = stem[: -len(TIMELINE_SUFFIX)]
    if match.named_by == "file prefix" and title.casefold().startswith(match.prefix.casefold()):
        title = _AFTER_PREFIX.sub("", title[len(match.prefix) :], count=1)
    title = title.strip(" _")
    if not title:
        raise RejectedFile(f"{path.name} does not name its song.", rule="file-name")
    return title


def extraction_time(path: Path) -> datetime:
    """When the file was extracted (the timestamp in its name, else its mtime), to the second."""
    return extracted_at(path).replace(microsecond=0)


def raw_name(path: Path, match: ArtistMatch) -> str:
    """`spotify_<artist>_<dataset>_<YYYYMMDD_HHMMSS>.csv`: deterministic, one per artist."""
    dataset = dataset_from_name(SERVICE, path.name)
    artist = slug(match.artist.name)
    if not dataset.startswith(artist):
        dataset = f"{artist}_{dataset}"
    return timestamped_name(SERVICE, dataset, "csv", extraction_time(path))


def audience_landing_name(artist_id: str, when: datetime) -> str:
    """`spotify_audience_<id>_<YYYYMMDD_HHMMSS>.csv`, the id spelled as Spotify spells it: ids
    are case-sensitive and the cleaners find the artist by it (a slug would lower-case it)."""
    return landing_file_name(SERVICE, f"{AUDIENCE_MARKER}_{artist_id}", "csv", when)


def songs_landing_name(artist_id: str, window: str, when: datetime) -> str:
    """`spotify_songs_<window>_<id>_<YYYYMMDD_HHMMSS>.json`: the window follows 'songs', where
    `window_of` reads it."""
    return landing_file_name(SERVICE, f"{SONGS_MARKER}_{window}_{artist_id}", "json", when)

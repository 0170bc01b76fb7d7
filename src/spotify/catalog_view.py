"""The songs page's catalog-view response saved as JSON, `{data: {songs: [{...}]}}`, read as the
songs family's text rows.

Numbers are kept as their JSON text, so the songs family's own checks decide what a count is
(12.5 or -3 fails there like it does in a CSV). A song's row is its position in `data.songs`,
counted from 1, which `source_row` keeps.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from common.json_exports import decode_json_text, parse_json_text
from common.quarantine import RejectedFile
from spotify.settings import CATALOG_VIEW_FIELDS, CATALOG_VIEW_REQUIRED

WHAT = "a Spotify for Artists songs response (catalog-view JSON)"
COLUMNS = tuple(CATALOG_VIEW_FIELDS.values())
# The failure table's row for a song is its position in data.songs (frame index + 1).
ROW_OFFSET = 1
# Some responses may date a release as a date-time; the songs family keeps the day.
_DATE_TIME = r"^(\d{4}-\d{2}-\d{2})T.*$"


def _where(position: int, field: str = "") -> str:
    return f"data.songs[{position - 1}]" + (f".{field}" if field else "")


def songs_of(document: object, file_name: str) -> list[object]:
    """The `data.songs` list, or a rejection saying the JSON is something else."""
    data = document.get("data") if isinstance(document, dict) else None
    songs = data.get("songs") if isinstance(data, dict) else None
    if not isinstance(songs, list):
        keys = sorted(document) if isinstance(document, dict) else type(document).__name__
        raise RejectedFile(
            f"{file_name} is JSON but not {WHAT}: it has no data.songs list.",
            rule="unknown-shape",
            details={"top_level": keys},
        )
    if not songs:
        raise RejectedFile(f"{file_name} lists no songs (data.songs is empty).", rule="not-empty")
    return songs


def _cell(song: dict[str, object], field: str, position: int, file_name: str) -> str | None:
    value = song.get(field)
    if value is None:
        return None
    # Numbers arrive as text (exact_numbers); true/false, lists and objects are no column value.
    if not isinstance(value, str):
        raise RejectedFile(
            f"{file_name}: song {position} has {field} = {json.dumps(value)}, which is neither "
            "text nor a number.",
            rule="unknown-shape",
            location=_where(position, field),
        )
    return value.strip() or None


def song_cells(song: object, position: int, file_name: str) -> list[str | None]:
    """One song's values in CATALOG_VIEW_FIELDS order, or why the song cannot be read."""
    if not isinstance(song, dict):
        raise RejectedFile(
            f"{file_name}: song {position} of data.songs is not an object.",
            rule="unknown-shape",
            location=_where(position),
        )
    missing = [field for field in CATALOG_VIEW_REQUIRED if field not in song]
    if missing:
        raise RejectedFile(
            f"{file_name}: song {position} of data.songs has no {', '.join(missing)}; the songs "
            f"response carries {', '.join(CATALOG_VIEW_REQUIRED)} (were they renamed?).",
            rule="unknown-shape",
            location=_where(position),
            details={"missing": missing, "keys": sorted(song)},
        )
    return [_cell(song, field, position, file_name) for field in CATALOG_VIEW_FIELDS]


def read_catalog_view(path: Path) -> pl.DataFrame:
    """The songs as text under songs-family names plus `source_row`, or a RejectedFile."""
    text = decode_json_text(path.read_bytes(), path.name, WHAT)
    document = parse_json_text(text, path.name, exact_numbers=True)
    songs = songs_of(document, path.name)
    rows = [song_cells(song, position, path.name) for position, song in enumerate(songs, 1)]
    frame = pl.DataFrame(rows, schema={column: pl.String() for column in COLUMNS}, orient="row")
    return frame.with_columns(
        pl.col("release_date").str.replace(_DATE_TIME, "${1}"),
        pl.Series("source_row", range(1, len(rows) + 1), dtype=pl.Int64),
    )

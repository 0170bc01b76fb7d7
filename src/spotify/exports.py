"""Reading landed S4A files: which family a file is (a CSV by its header names, a saved
catalog-view JSON is songs), checks, raw copies.

A raw file is the export's rows as validated UTF-8 text under normalised column names, with
the artist, the family (`kind`), what the file name says (window, song), `extracted_at`,
`source_file` (the landing file, lake-relative) and `source_row` (its line there).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from common.artists import ArtistDirectory
from common.lake import Lake
from common.quarantine import RejectedFile
from common.readers import (
    check_complete_last_line,
    first_line,
    header_fields,
    read_head,
    reject_html_or_empty,
    sniff_delimiter,
    sniff_encoding,
)
from common.series import EXTRACTED_AT
from common.tabular import readable_rows
from common.zones import LANDING, RAW, atomic_write_bytes, free_name, service_zone
from spotify import audience, catalog_view, playlists, song_timelines, songs
from spotify.family import Family
from spotify.file_names import artist_of, extraction_time, raw_name
from spotify.settings import DELIMITERS, EXPORT_SUFFIXES, SERVICE, SONGS_JSON_SUFFIXES

FAMILIES: tuple[Family, ...] = (
    audience.FAMILY,
    songs.FAMILY,
    song_timelines.FAMILY,
    playlists.FAMILY,
)

# Frame index 0 is a CSV's line 2, after its header.
CSV_ROW_OFFSET = 2


@dataclass(frozen=True)
class Layout:
    """What a landed file's first line and bytes say about it."""

    family: Family
    variant: str
    columns: tuple[str, ...]
    encoding: str
    delimiter: str


@dataclass(frozen=True)
class Landed:
    """A landed file once its kind is known; its rows are read after its artist is found."""

    family: Family
    columns: tuple[str, ...]
    rows: Callable[[], pl.DataFrame]
    # Frame index + row_offset = the row failure tables name (a CSV line, a song's position).
    row_offset: int


def column_name(header: str) -> str:
    """'Monthly Listeners', 'monthly_listeners' and '\\ufeffmonthly listeners' are one name."""
    words = header.replace("\ufeff", "").replace("_", " ").casefold().split()
    return "_".join(words)


def detect_family(fields: list[str], file_name: str) -> tuple[Family, str, tuple[str, ...]]:
    """(family, variant, columns) from the header names in any order, or a rejection."""
    names = tuple(column_name(field) for field in fields)
    for family in FAMILIES:
        for variant, columns in family.variants.items():
            if sorted(names) == sorted(columns):
                return family, variant, names
    known = [(f.kind, v, c) for f in FAMILIES for v, c in f.variants.items()]
    kind, variant, nearest = min(known, key=lambda k: len(set(k[2]) ^ set(names)))
    missing = [c for c in nearest if c not in names]
    unexpected = [n for n in names if n not in nearest or names.count(n) > 1]
    raise RejectedFile(
        f"{file_name} has the header {', '.join(fields)}, which is no Spotify for Artists "
        f"export; the nearest, the {kind} export ({variant}), would have "
        f"{', '.join(nearest)} (missing {missing or 'none'}, unexpected {unexpected or 'none'}).",
        rule="header",
        location="line 1",
        details={"header": fields, "nearest": list(nearest)},
    )


def inspect_export(path: Path) -> Layout:
    """The layout of a landed export, or a rejection: not CSV, empty, HTML, encoding, header,
    cut off."""
    if path.suffix.lower() not in EXPORT_SUFFIXES:
        raise RejectedFile(
            f"{path.name} is not a CSV file; Spotify for Artists exports are .csv downloads "
            "(and the songs page's saved JSON is .json).",
            rule="unknown-format",
        )
    encoding = sniff_encoding(path)
    head = read_head(path, encoding)
    reject_html_or_empty(path, head)
    header = first_line(head)
    delimiter = sniff_delimiter(header, DELIMITERS)
    family, variant, columns = detect_family(header_fields(header, delimiter), path.name)
    check_complete_last_line(path, encoding, delimiter, len(columns))
    return Layout(family, variant, columns, encoding, delimiter)


def read_text(path: Path, layout: Layout) -> pl.DataFrame:
    """The rows as stripped text (empty as null) under normalised names, plus `source_row`."""
    values: list[list[str | None]] = [[] for _ in layout.columns]
    lines: list[int] = []
    with path.open(encoding=layout.encoding, newline="") as stream:
        reader = csv.reader(stream, delimiter=layout.delimiter)
        rows = readable_rows(reader, path.name)
        next(rows, None)
        for cells in rows:
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(layout.columns):
                raise RejectedFile(
                    f"{path.name} line {reader.line_num} has {len(cells)} fields where the "
                    f"header has {len(layout.columns)} (a truncated or malformed line).",
                    rule="row-width",
                    location=f"line {reader.line_num}",
                )
            for column, cell in zip(values, cells):
                column.append(cell.strip() or None)
            lines.append(reader.line_num)
    # A header alone is an export with nothing in its window (no playlist added the artist in
    # 28 days): no rows, not a broken file (an empty file is refused before this).
    frame = pl.DataFrame(
        {name: column for name, column in zip(layout.columns, values)},
        schema={name: pl.String() for name in layout.columns},
    )
    return frame.with_columns(pl.Series("source_row", lines, dtype=pl.Int64))


def inspect_landed(path: Path) -> Landed:
    """A saved songs JSON (read whole: reading it is its check) or a CSV export's layout."""
    if path.suffix.lower() in SONGS_JSON_SUFFIXES:
        text = catalog_view.read_catalog_view(path)
        return Landed(songs.FAMILY, catalog_view.COLUMNS, lambda: text, catalog_view.ROW_OFFSET)
    layout = inspect_export(path)
    return Landed(layout.family, layout.columns, lambda: read_text(path, layout), CSV_ROW_OFFSET)


def landing_to_raw(lake: Lake, artists: ArtistDirectory, path: Path) -> list[Path]:
    """Check one landed export and write its raw copy; a bad file raises RejectedFile."""
    landed = inspect_landed(path)
    family = landed.family
    landing = service_zone(lake, LANDING, SERVICE)
    match = artist_of(path, landing, artists, family.named_after_song)
    named = family.name_fields(path, match)
    text = landed.rows()
    family.typed(text.drop("source_row"), path.name, landed.row_offset)
    source_file = lake.relative(path)
    raw = text.select(
        pl.lit(match.artist.name).alias("artist"),
        pl.lit(family.kind).alias("kind"),
        *(pl.lit(named[column], pl.String).alias(column) for column in family.name_columns),
        *(column for column in family.columns if column in landed.columns),
        pl.lit(extraction_time(path).isoformat()).alias(EXTRACTED_AT),
        pl.lit(source_file).alias("source_file"),
        "source_row",
    )
    content = raw.write_csv().encode("utf-8")
    target = service_zone(lake, RAW, SERVICE) / family.kind / raw_name(path, match)
    return [atomic_write_bytes(unused_or_same(target, content), content)]


def unused_or_same(target: Path, content: bytes) -> Path:
    """`target`, or `<stem>_2`, `_3`… when another landing file's rows already have that name.

    Raw names come from the artist, the file name and the extraction time; two files can share
    them (the same export name in two folders, downloaded in the same second). Re-processing
    one file after a killed run writes the same bytes, so it finds its own name again.
    """
    return free_name(target, lambda c: c.exists() and c.read_bytes() != content, first=2)


def family_of_raw(path: Path) -> Family:
    """Raw files sit in a folder named after their family."""
    return next(family for family in FAMILIES if family.kind == path.parent.name)


def read_raw(path: Path) -> pl.DataFrame:
    """Typed staging rows of one raw file, checked again on the way in."""
    raw = pl.read_csv(path, infer_schema=False)
    return family_of_raw(path).staging_rows(raw, path.name)

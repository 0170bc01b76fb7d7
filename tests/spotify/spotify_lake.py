"""A throwaway lake holding the spotify service and an artists config, and zone readers."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from common.lake import Lake
from common.testing import lake_with_services
from tests.lineage_support import with_source_paths
from tests.steps_support import clean_in_process

SERVICE = "spotify"
REPO = Lake(Path(__file__).resolve().parents[2])
FIXTURES = REPO.root / "tests" / "fixtures" / SERVICE
LEGACY = "Example Artist-audience-timeline_legacy.csv"
NEWER = "Example Artist-audience-timeline_2025.csv"
SONGS_ALL = "Example Artist-songs-all.csv"
SONGS_1YEAR = "Example Artist-songs-1year.csv"
PLAYLISTS = "Example Artist-playlists-1year.csv"
TIMELINE = "First Song-timeline.csv"
SAMPLES = (LEGACY, NEWER, SONGS_ALL, SONGS_1YEAR, PLAYLISTS, TIMELINE)
# A song timeline is named after its song only: its artist comes from the folder it is in.
ARTIST_FOLDER = "Example Artist"
EXAMPLE_ID = "0ExampleArtistId000000"
PIG_ID = "0PIG1987DemoArtistId00"
ARTISTS = {
    "artists": [
        {
            "name": "EXAMPLE ARTIST",
            "aliases": ["Example Artist"],
            "spotify_ids": [EXAMPLE_ID],
            "file_prefixes": ["Example Artist"],
        },
        {"name": "PIG1987", "spotify_ids": [PIG_ID], "file_prefixes": ["PIG1987"]},
    ]
}
AFTER_LANDING = ("2_raw", "3_staging", "4_curated", "5_archive")
BOM = b"\xef\xbb\xbf"


def new_lake(root: Path, etl: bool = False) -> Lake:
    """A lake with the service and its artists (with `etl`, the warehouse ETL scripts too)."""
    lake = lake_with_services(root, REPO, [SERVICE], etl=etl)
    (lake.config / "artists.json").write_text(json.dumps(ARTISTS, indent=2), encoding="utf-8")
    return lake


def landing(lake: Lake) -> Path:
    return lake.zone("1_landing") / SERVICE


def drop_bytes(lake: Lake, name: str, content: bytes, modified: datetime | None = None) -> Path:
    target = landing(lake) / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    if modified is not None:
        os.utime(target, (modified.timestamp(), modified.timestamp()))
    return target


def drop(lake: Lake, fixture: str, modified: datetime | None = None) -> Path:
    """Copy a sample into landing (a song timeline into its artist's folder)."""
    name = f"{ARTIST_FOLDER}/{fixture}" if fixture == TIMELINE else fixture
    target = landing(lake) / name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(FIXTURES / fixture, target)
    if modified is not None:
        os.utime(target, (modified.timestamp(), modified.timestamp()))
    return target


def legacy_export(days: Mapping[str, int | str], followers: int = 100) -> bytes:
    """A legacy audience timeline as S4A writes it (BOM, LF), listeners and followers derived."""
    lines = ["date,listeners,streams,followers"]
    for day, streams in days.items():
        listeners = int(streams) // 2 if str(streams).isdigit() else 1
        lines.append(f"{day},{listeners},{streams},{followers}")
    return BOM + ("\n".join(lines) + "\n").encode("utf-8")


def newer_export(days: Mapping[str, int]) -> bytes:
    """A 9-column audience timeline as S4A writes it, the other counts derived from streams."""
    lines = [
        "date,listeners,monthly listeners,monthly active listeners,super listeners,streams,"
        "playlist adds,saves,followers"
    ]
    for day, streams in days.items():
        lines.append(f"{day},{streams // 2},{streams * 9},{streams * 8},1,{streams},0,1,300")
    return BOM + ("\n".join(lines) + "\n").encode("utf-8")


def run_steps(lake: Lake) -> list[subprocess.CompletedProcess[str]]:
    """The three cleaner steps in this process, as the cleaner scripts run them."""
    return clean_in_process(lake, SERVICE)


def run_ok(lake: Lake) -> list[str]:
    """Run the three cleaner steps; all must exit 0. Returns their logs."""
    results = run_steps(lake)
    assert [r.returncode for r in results] == [0, 0, 0], [r.stderr for r in results]
    return [r.stderr for r in results]


def audience_files(lake: Lake) -> list[Path]:
    return sorted(lake.zone("4_curated").glob("spotify_audience_curated_*.csv"))


def rows_of(path: Path) -> list[dict[str, str]]:
    """A table's rows; a curated file's short `source_id` read back as its path."""
    with path.open(encoding="utf-8", newline="") as stream:
        return with_source_paths(list(csv.DictReader(stream)), path)


def audience_rows(lake: Lake) -> list[dict[str, str]]:
    [current] = audience_files(lake)
    return rows_of(current)


def curated_rows(lake: Lake, name: str) -> list[dict[str, str]]:
    return rows_of(lake.zone("4_curated") / name)


def files_after_landing(lake: Lake) -> dict[str, bytes]:
    """Every data file from 2_raw on (registries aside), by lake-relative path."""
    found: dict[str, bytes] = {}
    for zone in AFTER_LANDING:
        for path in sorted(lake.zone(zone).rglob("*")):
            if path.is_file() and not path.name.startswith("_"):
                found[path.relative_to(lake.root).as_posix()] = path.read_bytes()
    return found


def landing_snapshot(lake: Lake) -> dict[str, tuple[bytes, int]]:
    return {
        path.relative_to(landing(lake)).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in landing(lake).rglob("*")
        if path.is_file()
    }

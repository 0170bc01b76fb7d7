"""The Spotify demo exports: byte-identical on every run, real formats, and they all land."""

from __future__ import annotations

import csv
import io
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from common.artists import ArtistDirectory
from common.testing import lake_with_services
from spotify.demo import SPOTIFY_IDS, write_spotify
from tests.spotify.spotify_lake import BOM, REPO, SERVICE, audience_rows, curated_rows, run_ok

ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# The catalogue's releases start in 2024; the demo series ends on 2026-02-28, never today.
FIRST_DAY, LAST_DAY = date(2024, 1, 1), date(2026, 2, 28)
FILES = [
    "IWARY-playlists-1year_20260105_090000.csv",
    "IWARY-songs-1year_20260105_090000.csv",
    "IWARY-songs-all_20260105_090000.csv",
    "PIG1987-NIGHT SHIFT-timeline_20260105_090000.csv",
    "PIG1987-playlists-1year_20260105_090000.csv",
    "PIG1987-songs-1year_20260105_090000.csv",
    "PIG1987-songs-all_20260105_090000.csv",
    "ZONE A0-audience-timeline_20260301_090000.csv",
    "ZONE A0-playlists-1year_20260105_090000.csv",
    "ZONE A0-songs-1year_20260105_090000.csv",
    "ZONE A0-songs-all_20260105_090000.csv",
    "spotify_audience_0PIG1987DemoArtistId00_20260105_090000.csv",
]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    write_spotify(folder)
    return folder


def rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def test_two_runs_write_byte_identical_files(tmp_path: Path) -> None:
    first = write_spotify(tmp_path / "one")
    second = write_spotify(tmp_path / "two")

    assert sorted(p.name for p in first) == FILES
    assert [p.name for p in first] == [p.name for p in second]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(first, second))


def test_the_demo_ids_are_those_of_config_artists_json() -> None:
    artists = ArtistDirectory.load(REPO)

    for name, spotify_id in SPOTIFY_IDS.items():
        found = artists.by_spotify_id(spotify_id)
        assert found is not None and found.name == name


def test_every_file_is_utf8_with_bom_and_lf_in_the_demo_years(demo: Path) -> None:
    for path in demo.iterdir():
        content = path.read_bytes()
        assert content.startswith(BOM) and b"\r" not in content
        days = [v for row in rows(path) for v in row.values() if ISO_DAY.fullmatch(v)]
        assert days and all(FIRST_DAY <= date.fromisoformat(day) <= LAST_DAY for day in days)


def test_both_audience_variants_are_present(demo: Path) -> None:
    legacy = rows(demo / "spotify_audience_0PIG1987DemoArtistId00_20260105_090000.csv")
    newer = rows(demo / "ZONE A0-audience-timeline_20260301_090000.csv")

    assert list(legacy[0]) == ["date", "listeners", "streams", "followers"]
    assert "monthly active listeners" in newer[0] and len(newer[0]) == 9
    assert len(legacy) == 365 and len(newer) == 365
    followers = [int(r["followers"]) for r in legacy]
    assert followers == sorted(followers)


def test_all_time_songs_report_no_listeners_and_titles_are_quoted(demo: Path) -> None:
    text = (demo / "PIG1987-songs-all_20260105_090000.csv").read_text(encoding="utf-8-sig")

    assert '"SLOW BURN, FAST FADE",0,' in text
    assert {
        (r["listeners"], r["saves"]) for r in rows(demo / "IWARY-songs-all_20260105_090000.csv")
    } == {("0", "0")}


def test_the_demo_lands_whole_with_the_label_config(tmp_path: Path, demo: Path) -> None:
    lake = lake_with_services(tmp_path / "lake", REPO, [SERVICE])
    shutil.copyfile(REPO.config / "artists.json", lake.config / "artists.json")
    shutil.copytree(demo, lake.zone("1_landing") / SERVICE, dirs_exist_ok=True)

    run_ok(lake)

    assert not (lake.zone("1_landing") / "_quarantine").exists()
    assert {r["artist"] for r in audience_rows(lake)} == {"PIG1987", "ZONE A0"}
    assert {r["artist"] for r in curated_rows(lake, "spotify_songs_curated.csv")} == {
        "PIG1987",
        "ZONE A0",
        "IWARY",
    }
    timeline = curated_rows(lake, "spotify_song_timelines_curated.csv")
    assert {(r["artist"], r["song"]) for r in timeline} == {("PIG1987", "NIGHT SHIFT")}

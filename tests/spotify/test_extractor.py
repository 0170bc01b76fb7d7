"""The Spotify for Artists extractor in real headless Chromium against a local fake of
artists.spotify.com."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from common.lake import Lake
from common.testing import run_cleaners, run_in_lake
from tests.fakes.lakes import extractor_env, extractor_lake, save_login
from tests.fakes.site import FakeSite
from tests.fakes.spotify import page_requests, spotify_site
from tests.spotify.spotify_lake import (
    ARTISTS,
    EXAMPLE_ID,
    FIXTURES,
    LEGACY,
    NEWER,
    PIG_ID,
    audience_rows,
    curated_rows,
)

EXTRACTOR = Path("src/spotify/extractors/spotify_audience_extractor.py")
TIMELINES = {EXAMPLE_ID: (FIXTURES / LEGACY).read_bytes(), PIG_ID: (FIXTURES / NEWER).read_bytes()}
TIME_FILTERS = ("1day", "7day", "28day", "1year", "all")
pytestmark = pytest.mark.skipif(
    not Path("/usr/bin/chromium").is_file(), reason="Debian's chromium is not installed"
)


def spotify_lake(root: Path, site: FakeSite, timeout_seconds: float | None = None) -> Lake:
    """A lake on the fake whose config/artists.json lists the two artists of TIMELINES."""
    lake = extractor_lake(root, ["spotify"], {"spotify": site.base_url})
    (lake.config / "artists.json").write_text(json.dumps(ARTISTS), encoding="utf-8")
    if timeout_seconds is not None:
        config = lake.config / "extractors" / "spotify.json"
        document = json.loads(config.read_text(encoding="utf-8"))
        document["timeout_seconds"] = timeout_seconds
        config.write_text(json.dumps(document), encoding="utf-8")
    return lake


def landed(lake: Lake) -> list[Path]:
    folder = lake.zone("1_landing") / "spotify"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def test_saved_login_lands_every_artists_audience_and_songs_the_cleaners_accept(
    tmp_path: Path,
) -> None:
    with spotify_site(TIMELINES).running() as site:
        lake = spotify_lake(tmp_path / "lake", site)
        save_login(lake, "spotify", site.storage_state())
        done = run_in_lake(lake, [str(EXTRACTOR)], env=extractor_env())
    assert done.returncode == 0, done.stdout + done.stderr
    files = {path.name.rsplit("_", 2)[0]: path for path in landed(lake)}
    assert sorted(files) == sorted(
        [f"spotify_audience_{artist}" for artist in TIMELINES]
        + [f"spotify_songs_{window}_{artist}" for artist in TIMELINES for window in TIME_FILTERS]
    )
    # The whole 12-month timeline, not the default range's last day.
    assert files[f"spotify_audience_{PIG_ID}"].read_bytes() == TIMELINES[PIG_ID]

    assert [run.returncode for run in run_cleaners(lake, "spotify")] == [0, 0, 0]
    assert not (lake.zone("1_landing") / "_quarantine").exists()
    assert [
        (r["artist"], r["date"], r["listeners"], r["streams"], r["followers"])
        for r in audience_rows(lake)
    ] == [
        ("EXAMPLE ARTIST", "2025-01-01", "12", "15", "210"),
        ("EXAMPLE ARTIST", "2025-01-02", "0", "0", "210"),
        ("EXAMPLE ARTIST", "2025-01-03", "9", "11", "211"),
        ("PIG1987", "2025-09-01", "12", "15", "210"),
        ("PIG1987", "2025-09-02", "10", "13", "211"),
    ]
    songs = curated_rows(lake, "spotify_songs_curated.csv")
    assert len(songs) == len(TIMELINES) * 2 * len(TIME_FILTERS)
    [year] = [
        r
        for r in songs
        if (r["artist"], r["song"], r["window"]) == ("PIG1987", "First Song", "1year")
    ]
    assert (year["streams"], year["listeners"], year["saves"], year["canvas_views"]) == (
        "3650",
        "1460",
        "365",
        "730",
    )


def test_a_login_the_site_turns_away_is_skipped_once_and_not_retried(tmp_path: Path) -> None:
    with spotify_site(TIMELINES).running() as site:
        lake = spotify_lake(tmp_path / "lake", site)
        # A fresh-looking saved login whose session the site no longer accepts.
        save_login(lake, "spotify", site.storage_state(token="fake-session-ended"))
        first = run_in_lake(lake, [str(EXTRACTOR), "--automated"], env=extractor_env())
        seen_first = len(site.requests)
        second = run_in_lake(lake, [str(EXTRACTOR)], env=extractor_env(BEDROT_AUTOMATED="1"))
        seen_second = len(site.requests) - seen_first
    assert (first.returncode, second.returncode) == (0, 0), first.stderr + second.stderr
    assert [r.path for r in page_requests(site)] == [f"/c/en/artist/{EXAMPLE_ID}/audience"]
    assert seen_second == 0
    assert landed(lake) == []
    log = (lake.logs / "pipeline_executor.log").read_text(encoding="utf-8")
    warnings = [line for line in log.splitlines() if "WARNING" in line and "skipped" in line]
    assert len(warnings) == 2 and "login page" in warnings[0]


def test_renamed_download_button_fails_with_its_name_url_and_a_screenshot(
    tmp_path: Path,
) -> None:
    with spotify_site(TIMELINES, download_label="Export data").running() as site:
        lake = spotify_lake(tmp_path / "lake", site, timeout_seconds=2)
        save_login(lake, "spotify", site.storage_state())
        done = run_in_lake(lake, [str(EXTRACTOR)], env=extractor_env())
    assert done.returncode == 1
    log = (lake.logs / "pipeline_executor_errors.log").read_text(encoding="utf-8")
    assert "'audience_csv_download'" in log and f"/c/en/artist/{EXAMPLE_ID}/audience" in log
    shots = list((lake.logs / "screenshots").glob("spotify_audience_csv_download_*.png"))
    assert len(shots) == 1 and shots[0].stat().st_size > 1000
    assert shots[0].name in log

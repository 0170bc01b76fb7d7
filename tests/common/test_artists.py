"""config/artists.json decides who a file or a row belongs to; every spelling is one artist."""

from __future__ import annotations

from pathlib import Path

import pytest

from common.artists import ArtistConfigError, ArtistDirectory

REPO_CONFIG = Path(__file__).resolve().parents[2] / "config" / "artists.json"


def test_aliases_collapse_to_one_artist() -> None:
    artists = ArtistDirectory.from_file(REPO_CONFIG)

    names = {artists.resolve(s).name for s in ("ZONE A0", "zone.a0", "Zone A0", "zone_a0")}

    assert names == {"ZONE A0"}
    assert artists.resolve("Somebody Else") is None


def test_files_and_accounts_find_their_artist() -> None:
    artists = ArtistDirectory.from_file(REPO_CONFIG)

    assert artists.by_file_name("Zone A0-audience-timeline.csv").name == "ZONE A0"
    assert artists.by_file_name("spotify_audience_0IWARYDemoArtistId0000_x.csv").name == "IWARY"
    assert artists.by_file_name("Unknown-audience-timeline.csv") is None
    assert artists.by_tiktok_account("zone.a0").name == "ZONE A0"
    assert artists.by_spotify_id("0PIG1987DemoArtistId00").name == "PIG1987"


def test_a_broken_config_says_what_is_wrong(tmp_path: Path) -> None:
    broken = tmp_path / "artists.json"
    broken.write_text('{"artists": [{"aliases": []}]}')

    with pytest.raises(ArtistConfigError, match="not a valid artist list"):
        ArtistDirectory.from_file(broken)
    with pytest.raises(ArtistConfigError, match="is missing"):
        ArtistDirectory.from_file(tmp_path / "nope.json")

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


@pytest.fixture
def zone_and_sadgirl(tmp_path: Path) -> ArtistDirectory:
    config = tmp_path / "artists.json"
    config.write_text(
        '{"artists": [{"name": "ZONE A0", "aliases": ["zone.a0"]}, {"name": "sadgirl"}]}',
        encoding="utf-8",
    )
    return ArtistDirectory.from_file(config)


@pytest.mark.parametrize(
    "credit",
    [
        "ZONE A0 & sadgirl",
        "zone.a0 x SADGIRL",
        "ZONE A0 feat. sadgirl",
        "ZONE A0 ft sadgirl",
        "ZONE A0 Featuring sadgirl",
        "ZONE A0 (feat. sadgirl)",
    ],
)
def test_a_collaboration_of_known_artists_is_split(
    zone_and_sadgirl: ArtistDirectory, credit: str
) -> None:
    names = [zone_and_sadgirl.resolve(n).name for n in zone_and_sadgirl.credited(credit)]

    assert names == ["ZONE A0", "sadgirl"]


@pytest.mark.parametrize("credit", ["Tøilette & Café", "Maxx x Mia"])
def test_a_name_none_of_whose_parts_is_the_labels_artist_is_one_artist(
    zone_and_sadgirl: ArtistDirectory, credit: str
) -> None:
    assert zone_and_sadgirl.credited(credit) == [credit]


@pytest.mark.parametrize(
    ("credit", "parts"),
    [
        ("ZONE A0 x Unknown Guy", ["ZONE A0", "Unknown Guy"]),
        ("Unknown Guy feat. sadgirl", ["Unknown Guy", "sadgirl"]),
        ("zone.a0 (feat. Guest Singer)", ["zone.a0", "Guest Singer"]),
    ],
)
def test_a_collaboration_of_the_labels_artist_with_a_guest_credits_both(
    zone_and_sadgirl: ArtistDirectory, credit: str, parts: list[str]
) -> None:
    """The label's artist is credited, so its artist share pays it; the guest is its own."""
    assert zone_and_sadgirl.credited(credit) == parts


def test_a_known_name_is_never_split(tmp_path: Path) -> None:
    config = tmp_path / "artists.json"
    config.write_text(
        '{"artists": [{"name": "Tøilette & Café"}, {"name": "Tøilette"}, {"name": "Café"}]}',
        encoding="utf-8",
    )

    assert ArtistDirectory.from_file(config).credited(" Tøilette & Café ") == ["Tøilette & Café"]

"""Campaign names "ARTIST - TRACK - TARGETING" → artist (through artists.json), track, targeting."""

from __future__ import annotations

import pytest

from common.artists import ArtistDirectory
from metaads.campaign_names import CampaignName, parse_campaign_name
from tests.metaads.metaads_lake import REPO

ARTISTS = ArtistDirectory.from_file(REPO.config / "artists.json")


@pytest.mark.parametrize(
    ("name", "parsed"),
    [
        ("PIG1987 - NIGHT SHIFT - BROAD", CampaignName("PIG1987", "NIGHT SHIFT", "BROAD")),
        (
            "zone.a0 - PARALLAX - TECHNO SPOTIFY",
            CampaignName("ZONE A0", "PARALLAX", "TECHNO SPOTIFY"),
        ),
        ("Zone A0 – CAFÉ NOIR – BROAD", CampaignName("ZONE A0", "CAFÉ NOIR", "BROAD")),
        (
            "IWARY - SLOW BURN - PART 2 - LOOKALIKE",
            CampaignName("IWARY", "SLOW BURN - PART 2", "LOOKALIKE"),
        ),
        (
            "EXAMPLE ARTIST - FIRST SONG - BROAD",
            CampaignName("EXAMPLE ARTIST", "FIRST SONG", "BROAD"),
        ),
        ("Black Friday sale", CampaignName()),
        ("PIG1987 - NIGHT SHIFT", CampaignName()),
        ("PIG1987 -  - BROAD", CampaignName()),
        ("A-HA-TAKE-ON-ME", CampaignName()),
        (None, CampaignName()),
    ],
)
def test_names_are_parsed_and_artists_resolved(name: str | None, parsed: CampaignName) -> None:
    assert parse_campaign_name(name, ARTISTS) == parsed


@pytest.mark.parametrize(
    "name",
    [
        "ZONE A0 - TRACK - BROAD - Copy",
        "ZONE A0 - TRACK - BROAD - Copy 2",
        "ZONE A0 - TRACK - BROAD - copy - Copy",
        "ZONE A0 - TRACK - BROAD – COPY 3 - Copy",
        "Copy of ZONE A0 - TRACK - BROAD",
        "copy of Copy of ZONE A0 - TRACK - BROAD",
        "Copy of zone.a0 - TRACK - BROAD - Copy",
    ],
)
def test_meta_duplicate_markers_are_neither_track_nor_targeting_nor_artist(name: str) -> None:
    assert parse_campaign_name(name, ARTISTS) == CampaignName("ZONE A0", "TRACK", "BROAD")


def test_a_copy_marker_inside_the_name_is_part_of_it() -> None:
    assert parse_campaign_name("ZONE A0 - COPY OF ME - BROAD", ARTISTS) == CampaignName(
        "ZONE A0", "COPY OF ME", "BROAD"
    )
    assert parse_campaign_name("COPYCAT - TRACK - BROAD", ARTISTS).artist == "COPYCAT"
    assert parse_campaign_name("PIG1987 - NIGHT SHIFT - Copy", ARTISTS) == CampaignName()


def test_without_an_artist_list_the_artist_keeps_its_spelling() -> None:
    assert parse_campaign_name("zone.a0 - X - Y", None) == CampaignName("zone.a0", "X", "Y")

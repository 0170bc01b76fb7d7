"""The demo label's catalogue: three artists, twelve releases, nineteen tracks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Literal

Distributor = Literal["distrokid", "toolost"]
ReleaseKind = Literal["single", "ep", "album"]


@dataclass(frozen=True)
class Artist:
    name: str
    slug: str


@dataclass(frozen=True)
class Release:
    title: str
    artists: tuple[Artist, ...]
    upc: str
    release_date: date
    kind: ReleaseKind
    distributor: Distributor

    @property
    def credit(self) -> str:
        """The artist text stores print, collaborators joined with " & "."""
        return " & ".join(artist.name for artist in self.artists)


@dataclass(frozen=True)
class Track:
    title: str
    isrc: str
    release: Release

    @property
    def credit(self) -> str:
        return self.release.credit

    @property
    def team_percentage(self) -> int:
        """The label's split: collaborations share earnings equally between the artists."""
        return 100 // len(self.release.artists)


PIG1987 = Artist("PIG1987", "pig1987")
ZONE_A0 = Artist("ZONE A0", "zone_a0")
IWARY = Artist("IWARY", "iwary")
ARTISTS = (PIG1987, ZONE_A0, IWARY)

# Spellings seen in file names, handles and older code, mapped to the name exports use.
ALIASES = MappingProxyType(
    {
        "PIG1987": "PIG1987",
        "pig1987": "PIG1987",
        "Pig1987": "PIG1987",
        "ZONE A0": "ZONE A0",
        "Zone A0": "ZONE A0",
        "zone a0": "ZONE A0",
        "zone.a0": "ZONE A0",
        "zone_a0": "ZONE A0",
        "IWARY": "IWARY",
        "iwary": "IWARY",
        "Iwary": "IWARY",
    }
)


def _release(
    title: str,
    artists: tuple[Artist, ...],
    upc: str,
    released: str,
    kind: ReleaseKind,
    distributor: Distributor = "distrokid",
) -> Release:
    return Release(title, artists, upc, date.fromisoformat(released), kind, distributor)


BLACKOUT_SEASON = _release("BLACKOUT SEASON", (PIG1987,), "054391826015", "2024-02-09", "single")
CONCRETE_GARDEN = _release("CONCRETE GARDEN", (PIG1987,), "198753104226", "2024-06-21", "ep")
NIGHT_SHIFT = _release("NIGHT SHIFT", (PIG1987,), "198753104677", "2025-04-11", "single")
SLOW_BURN = _release("SLOW BURN, FAST FADE", (PIG1987,), "198753126631", "2025-07-18", "single")
PARALLAX = _release("PARALLAX", (ZONE_A0,), "073162049583", "2024-03-29", "single")
SUBZERO = _release("SUBZERO", (ZONE_A0,), "198753110289", "2024-09-13", "ep")
CAFE_NOIR = _release("CAFÉ NOIR", (ZONE_A0,), "198753113747", "2025-11-14", "single")
SIGNAL_FIRE = _release("SIGNAL FIRE", (PIG1987, ZONE_A0), "198753115192", "2025-02-14", "single")
GLASS_HOUSE = _release("GLASS HOUSE", (IWARY,), "006025738942", "2024-01-19", "single")
MOTH_LIGHT = _release("MOTH LIGHT", (IWARY,), "198753120424", "2024-07-26", "single")
PAPER_CROWNS = _release("PAPER CROWNS", (IWARY,), "198753122183", "2024-10-18", "single", "toolost")
SOFT_MACHINES = _release("SOFT MACHINES", (IWARY,), "088029114373", "2025-05-23", "ep", "toolost")

RELEASES = (
    GLASS_HOUSE,
    BLACKOUT_SEASON,
    PARALLAX,
    CONCRETE_GARDEN,
    MOTH_LIGHT,
    SUBZERO,
    PAPER_CROWNS,
    SIGNAL_FIRE,
    NIGHT_SHIFT,
    SOFT_MACHINES,
    SLOW_BURN,
    CAFE_NOIR,
)

TRACKS = (
    Track("BLACKOUT SEASON", "QZHZ12400001", BLACKOUT_SEASON),
    Track("CONCRETE GARDEN", "QZHZ12400002", CONCRETE_GARDEN),
    Track("RUST BELT LULLABY", "QZHZ12400003", CONCRETE_GARDEN),
    Track("STATIC PRAYER", "QZHZ12400004", CONCRETE_GARDEN),
    Track("LOW TIDE", "QZHZ12400005", CONCRETE_GARDEN),
    Track("PARALLAX", "QZHZ12400006", PARALLAX),
    Track("SUBZERO", "QZHZ12400007", SUBZERO),
    Track("CRYSTAL HALLWAY", "QZHZ12400008", SUBZERO),
    Track("EMPTY SKY", "QZHZ12400009", SUBZERO),
    Track("GLASS HOUSE", "QZHZ12400010", GLASS_HOUSE),
    Track("MOTH LIGHT", "QZHZ12400011", MOTH_LIGHT),
    Track("PAPER CROWNS", "QZHZ12400012", PAPER_CROWNS),
    Track("SIGNAL FIRE", "QZHZ12500001", SIGNAL_FIRE),
    Track("NIGHT SHIFT", "QZHZ12500002", NIGHT_SHIFT),
    Track("SOFT MACHINES", "QZHZ12500003", SOFT_MACHINES),
    Track("ORBIT DECAY", "QZHZ12500004", SOFT_MACHINES),
    Track("HALF LIFE", "QZHZ12500005", SOFT_MACHINES),
    Track("SLOW BURN, FAST FADE", "QZHZ12500006", SLOW_BURN),
    Track("CAFÉ NOIR", "QZHZ12500007", CAFE_NOIR),
)


def tracks_of(distributor: Distributor) -> tuple[Track, ...]:
    return tuple(track for track in TRACKS if track.release.distributor == distributor)


def releases_of(distributor: Distributor) -> tuple[Release, ...]:
    return tuple(release for release in RELEASES if release.distributor == distributor)

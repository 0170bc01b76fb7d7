"""Campaign names of the form "ARTIST - TRACK - TARGETING" (e.g. "PIG1987 - NIGHT SHIFT - BROAD").

The artist is looked up in config/artists.json, so "Zone A0" and "ZONE A0" are one artist; an
artist the file does not know keeps the spelling of the name. A name with fewer than three parts
says nothing about artist, track or targeting, and they stay empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from common.artists import ArtistDirectory

# Parts are separated by a hyphen or en dash with spaces around it; "A-HA" stays one part.
_SEPARATOR = re.compile(r"\s+[-–]\s+")


@dataclass(frozen=True)
class CampaignName:
    artist: str | None = None
    track: str | None = None
    targeting: str | None = None


def parse_campaign_name(name: str | None, artists: ArtistDirectory | None) -> CampaignName:
    """Artist, track and targeting; a track may itself hold " - " (everything between)."""
    if not name:
        return CampaignName()
    parts = [part.strip() for part in _SEPARATOR.split(name.strip())]
    if len(parts) < 3 or not all(parts):
        return CampaignName()
    known = artists.resolve(parts[0]) if artists is not None else None
    return CampaignName(
        artist=known.name if known is not None else parts[0],
        track=" - ".join(parts[1:-1]),
        targeting=parts[-1],
    )

"""Campaign names of the form "ARTIST - TRACK - TARGETING" (e.g. "PIG1987 - NIGHT SHIFT - BROAD").

The artist is looked up in config/artists.json, so "Zone A0" and "ZONE A0" are one artist; an
artist the file does not know keeps the spelling of the name. A name with fewer than three parts
says nothing about artist, track or targeting, and they stay empty.

Ads Manager names a duplicated campaign "<name> - Copy" (then " - Copy 2", and " - Copy - Copy"
when a copy is copied); older versions wrote "Copy of <name>". Those markers say how the campaign
was made, not what it promotes, so they are dropped before the name is split: otherwise "Copy"
would become a targeting, or "Copy of ZONE A0" an artist of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from common.artists import ArtistDirectory

# Parts are separated by a hyphen or en dash with spaces around it; "A-HA" stays one part.
_SEPARATOR = re.compile(r"\s+[-–]\s+")
# Meta's duplicate markers, in any case, as often as the campaign was copied.
_COPY_SUFFIX = re.compile(r"(?:\s+[-–]\s+copy(?:\s+\d+)?)+\s*$", re.IGNORECASE)
_COPY_PREFIX = re.compile(r"^(?:copy\s+of\s+)+", re.IGNORECASE)


@dataclass(frozen=True)
class CampaignName:
    artist: str | None = None
    track: str | None = None
    targeting: str | None = None


def without_copy_markers(name: str) -> str:
    """The name a duplicated campaign was copied from: "X - Copy 2" and "Copy of X" give "X"."""
    return _COPY_PREFIX.sub("", _COPY_SUFFIX.sub("", name.strip())).strip()


def parse_campaign_name(name: str | None, artists: ArtistDirectory | None) -> CampaignName:
    """Artist, track and targeting; a track may itself hold " - " (everything between)."""
    if not name:
        return CampaignName()
    parts = [part.strip() for part in _SEPARATOR.split(without_copy_markers(name))]
    if len(parts) < 3 or not all(parts):
        return CampaignName()
    known = artists.resolve(parts[0]) if artists is not None else None
    return CampaignName(
        artist=known.name if known is not None else parts[0],
        track=" - ".join(parts[1:-1]),
        targeting=parts[-1],
    )

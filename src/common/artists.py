"""The label's artists from `config/artists.json`: names, aliases, Spotify ids, file prefixes and
TikTok accounts. Which artist a file or row belongs to is decided here, never in code."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from common.lake import Lake

ARTISTS_CONFIG = "artists.json"
# What joins the artists of a collaboration credit: "A & B", "A x B", "A feat. B", "A ft B",
# "A featuring B", "A, B", "A with B" (any case).
_COLLABORATION = re.compile(
    r"\s*(?:&|,|\s(?:x|with)\s|\b(?:feat|ft)\b\.?|\bfeaturing\b)\s*", re.IGNORECASE
)
_AROUND_PART = " \t()[]"


class ArtistConfigError(Exception):
    """config/artists.json is missing or malformed; the message says what to fix."""


@dataclass(frozen=True)
class Artist:
    name: str
    aliases: tuple[str, ...] = ()
    spotify_ids: tuple[str, ...] = ()
    file_prefixes: tuple[str, ...] = ()
    tiktok_accounts: tuple[str, ...] = ()


def _key(text: str) -> str:
    """Spelling-insensitive: 'ZONE A0', 'Zone A0', 'zone.a0' and 'zone_a0' all give 'zonea0'."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


class ArtistDirectory:
    """Look artists up by any alias, Spotify id, file-name prefix or TikTok account."""

    def __init__(self, artists: list[Artist]) -> None:
        self.artists = artists
        self._by_alias = {_key(a.name): a for a in artists}
        for artist in artists:
            for alias in artist.aliases:
                self._by_alias.setdefault(_key(alias), artist)
        self._by_spotify = {i: a for a in artists for i in a.spotify_ids}
        self._by_account = {_key(t): a for a in artists for t in a.tiktok_accounts}

    @classmethod
    def load(cls, lake: Lake) -> ArtistDirectory:
        return cls.from_file(lake.config / ARTISTS_CONFIG)

    @classmethod
    def from_file(cls, path: Path) -> ArtistDirectory:
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
            artists = [
                Artist(
                    name=entry["name"],
                    aliases=tuple(entry.get("aliases", ())),
                    spotify_ids=tuple(entry.get("spotify_ids", ())),
                    file_prefixes=tuple(entry.get("file_prefixes", ())),
                    tiktok_accounts=tuple(entry.get("tiktok_accounts", ())),
                )
                for entry in document["artists"]
            ]
        except FileNotFoundError:
            raise ArtistConfigError(f"{path} is missing: it lists the label's artists.") from None
        except (ValueError, KeyError, TypeError) as error:
            raise ArtistConfigError(f"{path} is not a valid artist list: {error!r}") from None
        return cls(artists)

    def resolve(self, name: str) -> Artist | None:
        """The artist behind any spelling of its name or aliases."""
        return self._by_alias.get(_key(name))

    def credited(self, credit: str) -> list[str]:
        """The artists a credit names, as written, the primary first.

        A collaboration ("ZONE A0 & sadgirl", "PIG1987 feat. Guest Singer") is split when one of
        its parts is an artist of the config: the label's artist is credited (and paid its
        share), the others are its guests. A name none of whose parts is the label's ("Tøilette
        & Café", "Maxx x Mia") is one artist, never two made-up ones sharing its royalties.
        """
        credit = credit.strip()
        if not credit or self.resolve(credit) is not None:
            return [credit] if credit else []
        parts = [part.strip(_AROUND_PART) for part in _COLLABORATION.split(credit)]
        parts = [part for part in parts if part]
        if len(parts) > 1 and any(self.resolve(part) is not None for part in parts):
            return parts
        return [credit]

    def by_spotify_id(self, artist_id: str) -> Artist | None:
        return self._by_spotify.get(artist_id)

    def by_tiktok_account(self, account: str) -> Artist | None:
        return self._by_account.get(_key(account))

    def by_file_name(self, file_name: str) -> Artist | None:
        """The artist whose Spotify id or longest file-name prefix starts the name."""
        for artist_id, artist in self._by_spotify.items():
            if artist_id in file_name:
                return artist
        matches = [
            (len(prefix), artist)
            for artist in self.artists
            for prefix in artist.file_prefixes
            if file_name.casefold().startswith(prefix.casefold())
        ]
        return max(matches, key=lambda match: match[0])[1] if matches else None

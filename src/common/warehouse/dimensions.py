"""Get-or-create the dimension rows a load needs, in bulk: artists (through aliases), platforms,
releases, tracks, territories. Unknown stores and countries become rows of their own; nothing is
ever filed under Spotify or GLOBAL by default."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, Table, insert, select

from common.artists import ArtistDirectory
from common.warehouse.models import (
    Artist,
    ArtistAlias,
    Campaign,
    OriginFile,
    Platform,
    Release,
    Territory,
    Track,
    table,
)


def _key(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


class Dimensions:
    """Ids of dimension rows, created on first sight, cached for the connection's transaction."""

    def __init__(self, connection: Connection, artists: ArtistDirectory) -> None:
        self.connection = connection
        self.directory = artists
        self._alias_ids: dict[str, int] | None = None
        self._spellings: set[str] = set()

    def _ids(
        self, table: Table, column: str, values: Iterable[str], **defaults: object
    ) -> dict[str, int]:
        wanted = {value for value in values if value}
        if not wanted:
            return {}
        key = table.c[column]
        found = {
            row[0]: row[1]
            for row in self.connection.execute(select(key, table.c.id).where(key.in_(wanted)))
        }
        missing = sorted(wanted - set(found))
        if missing:
            self.connection.execute(
                insert(table), [{column: value, **defaults} for value in missing]
            )
            found.update(
                (row[0], row[1])
                for row in self.connection.execute(select(key, table.c.id).where(key.in_(missing)))
            )
        return found

    def platforms(self, names: Iterable[str], kind: str = "store") -> dict[str, int]:
        return self._ids(table(Platform), "name", names, kind=kind)

    def origin_files(self, paths: Iterable[str]) -> dict[str, int]:
        """Ids of raw exports (lineage of royalty lines and expenses)."""
        return self._ids(table(OriginFile), "path", paths)

    def territories(self, codes: Iterable[str]) -> dict[str, int]:
        return self._ids(table(Territory), "code", (code.upper() for code in codes if code))

    def releases(self, upcs: Iterable[str]) -> dict[str, int]:
        return self._ids(table(Release), "upc", upcs)

    def tracks(self, isrcs: Iterable[str]) -> dict[str, int]:
        return self._ids(table(Track), "isrc", isrcs)

    def campaigns(self, rows: list[dict[str, object]]) -> dict[str, int]:
        """Campaigns by external id; a known one keeps its row, a new one is added whole."""
        campaigns = table(Campaign)
        wanted = {str(row["external_id"]): row for row in rows}
        found = dict(
            self.connection.execute(
                select(campaigns.c.external_id, campaigns.c.id).where(
                    campaigns.c.external_id.in_(list(wanted))
                )
            ).all()
        )
        missing = [row for key, row in sorted(wanted.items()) if key not in found]
        if missing:
            self.connection.execute(insert(campaigns), missing)
            return self.campaigns(rows)
        return {str(key): int(value) for key, value in found.items()}

    def _aliases(self) -> dict[str, int]:
        if self._alias_ids is None:
            rows = list(self.connection.execute(select(ArtistAlias.alias, ArtistAlias.artist_id)))
            self._alias_ids = {_key(alias): artist_id for alias, artist_id in rows}
            self._spellings = {alias for alias, _ in rows}
        return self._alias_ids

    def artist(self, spelling: str) -> int:
        """The artist behind any spelling; a new name becomes a new artist. Each spelling seen is
        kept in artist_aliases."""
        spelling = spelling.strip()
        aliases = self._aliases()
        artist_id = aliases.get(_key(spelling))
        if artist_id is None:
            known = self.directory.resolve(spelling)
            name = known.name if known else spelling
            artist_id = aliases.get(_key(name)) or self._ids(table(Artist), "name", [name])[name]
            self._remember(name, artist_id)
        self._remember(spelling, artist_id)
        return artist_id

    def credited_artists(self, credit: str) -> list[int]:
        """Ids of the artists a credit names, the primary first: a collaboration of known
        artists is split, any other name is one artist (see ArtistDirectory.credited)."""
        return list(dict.fromkeys(self.artist(name) for name in self.directory.credited(credit)))

    def _remember(self, spelling: str, artist_id: int) -> None:
        if spelling in self._spellings:
            return
        self.connection.execute(insert(ArtistAlias), {"alias": spelling, "artist_id": artist_id})
        self._spellings.add(spelling)
        self._aliases()[_key(spelling)] = artist_id

    def seed_artists(self) -> int:
        """Every artist of config/artists.json with its aliases."""
        for artist in self.directory.artists:
            for spelling in (artist.name, *artist.aliases):
                self.artist(spelling)
        return len(self.directory.artists)

"""What statements read from the warehouse: royalty lines, artists by any spelling, and the
recoupable costs that rules find (an artist's Meta ad spend, matching card debits)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from sqlalchemy import Connection, func, select

from common.money.splits import CostRule
from common.warehouse.aggregates import money_groups
from common.warehouse.models import (
    AD_SPEND,
    Artist,
    ArtistAlias,
    Campaign,
    Expense,
    OriginFile,
    Platform,
    Release,
    RoyaltyLine,
    Territory,
    Track,
    TrackArtist,
    card_spending,
)
from common.warehouse.money_sql import exact_sum, exact_total

LineKey = tuple[str, int, Decimal]


@dataclass(frozen=True)
class RoyaltyItem:
    """A royalty line as a statement sees it. `earnings` is DistroKid's figure, already net of
    its Team Percentage: it is never multiplied by that percentage again."""

    origin_file: str
    origin_row: int
    reporting_date: date
    sale_month: str
    store: str
    territory: str
    isrc: str
    upc: str
    title: str
    artist_ids: frozenset[int]
    quantity: int
    earnings: Decimal
    note: str = ""
    lines: int = 1  # more than 1: identical lines read as one group (a draft's statements)

    @property
    def key(self) -> LineKey:
        """Which line this is across reloads (ids change when a file is loaded again)."""
        return (self.origin_file, self.origin_row, self.earnings)

    def reversed(self, note: str) -> RoyaltyItem:
        return replace(self, quantity=-self.quantity, earnings=-self.earnings, note=note)


def _key(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def artist_lookup(connection: Connection) -> dict[str, frozenset[int]]:
    """Artist ids by spelling-insensitive name or alias ('Zone A0' and 'zone.a0' alike)."""
    found: dict[str, set[int]] = defaultdict(set)
    for name, artist_id in connection.execute(select(Artist.name, Artist.id)):
        found[_key(name)].add(artist_id)
    for alias, artist_id in connection.execute(select(ArtistAlias.alias, ArtistAlias.artist_id)):
        found[_key(alias)].add(artist_id)
    return {key: frozenset(ids) for key, ids in found.items()}


def artist_ids(lookup: dict[str, frozenset[int]], name: str) -> frozenset[int]:
    return lookup.get(_key(name), frozenset())


def _credited(connection: Connection) -> dict[int, set[int]]:
    """The artists credited on each track (a collaboration names each)."""
    credited: dict[int, set[int]] = defaultdict(set)
    for track_id, artist_id in connection.execute(
        select(TrackArtist.track_id, TrackArtist.artist_id)
    ):
        credited[track_id].add(artist_id)
    return credited


def _artists_of(
    credited: dict[int, set[int]], track_id: int | None, artist_id: int | None
) -> frozenset[int]:
    artists = set(credited.get(track_id, ())) if track_id else set()
    if artist_id is not None:
        artists.add(artist_id)
    return frozenset(artists)


def read_royalty_items(connection: Connection, until: date) -> list[RoyaltyItem]:
    """Every royalty line reported on or before `until`, with the artists credited on its track
    (a collaboration names each), in a repeatable order."""
    credited = _credited(connection)
    query = (
        select(
            OriginFile.path.label("origin_file"),
            RoyaltyLine.origin_row,
            RoyaltyLine.reporting_date,
            RoyaltyLine.sale_month,
            Platform.name,
            Territory.code,
            Track.isrc,
            Release.upc,
            RoyaltyLine.title,
            RoyaltyLine.artist_id,
            RoyaltyLine.track_id,
            RoyaltyLine.quantity,
            RoyaltyLine.earnings_usd.label("earnings"),
        )
        .join(Platform, Platform.id == RoyaltyLine.platform_id)
        .outerjoin(Territory, Territory.id == RoyaltyLine.territory_id)
        .outerjoin(Track, Track.id == RoyaltyLine.track_id)
        # A song line whose UPC DistroKid left empty belongs to its track's release.
        .outerjoin(Release, Release.id == func.coalesce(RoyaltyLine.release_id, Track.release_id))
        .outerjoin(OriginFile, OriginFile.id == RoyaltyLine.origin_file_id)
        .where(RoyaltyLine.reporting_date <= until)
        .order_by(RoyaltyLine.reporting_date, OriginFile.path, RoyaltyLine.origin_row)
    )
    items = []
    for row in connection.execute(query):
        items.append(
            RoyaltyItem(
                origin_file=row.origin_file or "",
                origin_row=row.origin_row,
                reporting_date=row.reporting_date,
                sale_month=row.sale_month,
                store=row.name,
                territory=row.code or "",
                isrc=row.isrc or "",
                upc=row.upc or "",
                title=row.title or "",
                artist_ids=_artists_of(credited, row.track_id, row.artist_id),
                quantity=int(row.quantity),
                earnings=row.earnings,
            )
        )
    return items


def read_royalty_groups(
    connection: Connection, after: date | None, until: date
) -> list[RoyaltyItem]:
    """The royalty lines reported after `after` (None: from the start) up to `until`, lines
    identical in all a statement shows added up exactly (the warehouse's pre-aggregated
    groups): a statement shares and shows them as it would each line, without a year's
    millions of lines being read again one by one."""
    credited = _credited(connection)
    groups = money_groups(connection)
    parts = exact_sum(groups.c.earnings_picousd, connection.dialect.name)
    keys = (
        groups.c.reporting_date,
        groups.c.sale_month,
        Platform.name,
        Territory.code,
        Track.isrc,
        Release.upc,
        groups.c.title,
        groups.c.artist_id,
        groups.c.track_id,
    )
    query = (
        select(*keys, func.sum(groups.c.lines), func.sum(groups.c.quantity), *parts)
        .join(Platform, Platform.id == groups.c.platform_id)
        .outerjoin(Territory, Territory.id == groups.c.territory_id)
        .outerjoin(Track, Track.id == groups.c.track_id)
        .outerjoin(Release, Release.id == func.coalesce(groups.c.release_id, Track.release_id))
        .where(groups.c.reporting_date <= until)
        .group_by(*keys)
    )
    if after is not None:
        query = query.where(groups.c.reporting_date > after)
    items = []
    for (
        day,
        month,
        store,
        territory,
        isrc,
        upc,
        title,
        artist,
        track,
        lines,
        units,
        *sums,
    ) in connection.execute(query):
        items.append(
            RoyaltyItem(
                origin_file="",
                origin_row=0,
                reporting_date=day if isinstance(day, date) else date.fromisoformat(str(day)),
                sale_month=month,
                store=store,
                territory=territory or "",
                isrc=isrc or "",
                upc=upc or "",
                title=title or "",
                artist_ids=_artists_of(credited, track, artist),
                quantity=int(units),
                earnings=exact_total(sums),
                lines=int(lines),
            )
        )
    items.sort(key=lambda item: (item.reporting_date, item.sale_month, item.store, item.title))
    return items


def rule_cost(
    connection: Connection,
    rule: CostRule,
    lookup: dict[str, frozenset[int]],
    start: date | None,
    end: date,
) -> Decimal:
    """The cost a rule finds from `start` (None: the beginning) to `end`, exact. Ad spend counts
    each day once (v_ad_spend) and a range of days in the period its first day falls in."""
    dialect = connection.dialect.name
    if rule.campaign_artist is not None:
        ids = artist_ids(lookup, rule.campaign_artist)
        spend = select(*exact_sum(AD_SPEND.c.spend, dialect)).join_from(
            AD_SPEND, Campaign, Campaign.id == AD_SPEND.c.campaign_id
        )
        spend = spend.where(Campaign.artist_id.in_(ids), AD_SPEND.c.span_start <= end)
        if start is not None:
            spend = spend.where(AD_SPEND.c.span_start >= start)
        return exact_total(connection.execute(spend).one())
    needle = (rule.expense_contains or "").casefold()
    # A refund of a recoupable charge gives its money back: the cost is the debits less refunds.
    spent = select(*exact_sum(card_spending(), dialect)).where(
        func.lower(Expense.description).contains(needle), Expense.transaction_date <= end
    )
    if rule.category is not None:
        spent = spent.where(func.lower(Expense.category) == rule.category.casefold())
    if start is not None:
        spent = spent.where(Expense.transaction_date >= start)
    return exact_total(connection.execute(spent).one())

"""Deterministic DistroKid bank-details exports: the legacy TSV and the quoted CSV."""

from __future__ import annotations

import csv
import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import NamedTuple

from common.demodata.catalog import Track, tracks_of
from common.demodata.series import COUNTRIES, DEMO_YEAR_START

LEGACY_HEADER = (
    "Reporting Date\tSale Month\tStore\tArtist\tTitle\tISRC\tUPC\tQuantity\tTeam Percentage"
    "\tSong/Album\tCountry of Sale\tSongwriter Royalties Withheld\tEarnings (USD)"
)
EXPORT_HEADER = (
    "Date Inserted,Reporting Date,Sale Month,Store,Artist,Title,ISRC,UPC,Quantity,"
    "Team Percentage,Source Type,Country of Sale,Songwriter Royalties Withheld (USD),"
    "Earnings (USD),Recoup (USD)"
).split(",")
LEGACY_FIRST_REPORT = date(2025, 1, 25)
EXPORT_FIRST_REPORT = date(2025, 11, 25)
LEGACY_ROWS = 3000
EXPORT_ROWS = 1200

# store, weight among rows, largest quantity of one row, earnings per unit (USD)
STORES = (
    ("Spotify", 30, 800, "0.0031"),
    ("Apple Music", 14, 220, "0.0062"),
    ("YouTube (Ads)", 12, 300, "0.00071"),
    ("TikTok", 8, 5000, "0.000042"),
    ("Instagram/Facebook", 4, 2000, "0.000013"),
    ("Deezer", 6, 120, "0.0029"),
    ("Tidal", 4, 60, "0.0094"),
    ("Amazon Unlimited (Streaming)", 8, 150, "0.0041"),
    ("iTunes Songs", 2, 2, "0.693"),
    ("NetEase", 3, 80, "0.00052"),
    ("LUNA", 2, 40, "0.00037"),
)
ALBUM_STORES = frozenset({"Apple Music", "Amazon Unlimited (Streaming)"})
ZERO_PRONE_STORES = frozenset({"TikTok", "Instagram/Facebook", "LUNA"})
_STORE_WHEEL = tuple(store for store, weight, _, _ in STORES for _ in range(weight))
_COUNTRY_WHEEL = tuple(code for code, weight in COUNTRIES.items() for _ in range(weight))
_MOST = {store: most for store, _, most, _ in STORES}


@cache
def _rates(places: int) -> dict[str, int]:
    """Earnings per unit of each store, in units of 10**-places USD."""
    return {store: int(Decimal(rate).scaleb(places)) for store, _, _, rate in STORES}


class BankRow(NamedTuple):
    reporting_date: str
    sale_month: str
    store: str
    artist: str
    title: str
    isrc: str
    upc: str
    quantity: int
    team_percentage: int
    kind: str
    country: str
    earnings: Decimal


@dataclass(frozen=True)
class Statement:
    """One reporting date of a bank export and the tracks on sale in its sale month."""

    reporting_date: date
    sale_month: date
    tracks: tuple[Track, ...]


class Offer(NamedTuple):
    """The columns every row of one track in one statement repeats, worked out once."""

    reporting_date: str
    sale_month: str
    artist: str
    title: str
    isrc: str
    upc: str
    team_percentage: int
    release_title: str
    sold_as_album: bool
    adjustable: bool


def _month(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return first.replace(year=index // 12, month=index % 12 + 1)


def statements(first_report: date, count: int) -> list[Statement]:
    """Monthly reporting dates; each reports the sale month two months before it."""
    result = []
    for offset in range(count):
        reported = _month(first_report, offset)
        sold = _month(reported.replace(day=1), -2)
        on_sale = tuple(
            t for t in tracks_of("distrokid") if t.release.release_date < _month(sold, 1)
        )
        result.append(Statement(reported, sold, on_sale))
    return result


def offers(statement: Statement) -> list[Offer]:
    # Spotify's negative adjustments start with sale month 2025-01, as in the real exports.
    adjustable = statement.sale_month >= DEMO_YEAR_START
    return [
        Offer(
            statement.reporting_date.isoformat(),
            statement.sale_month.isoformat()[:7],
            track.credit,
            track.title,
            track.isrc,
            track.release.upc,
            track.team_percentage,
            track.release.title,
            track.release.kind != "single",
            adjustable,
        )
        for track in statement.tracks
    ]


def _amount(units: int, places: int) -> Decimal:
    return Decimal(units).scaleb(-places)


def _row_group(rng: random.Random, on_sale: Sequence[Offer], places: int) -> list[BankRow]:
    """One line item, or two that share every column but earnings (a twin or an adjustment)."""
    draw = rng.random
    store = _STORE_WHEEL[int(draw() * len(_STORE_WHEEL))]
    offer = on_sale[int(draw() * len(on_sale))]
    country = "OU"
    if store != "Instagram/Facebook":
        country = _COUNTRY_WHEEL[int(draw() * len(_COUNTRY_WHEEL))]
    quantity = 1 + int(draw() ** 2 * _MOST[store])
    title, isrc, kind = offer.title, offer.isrc, "Song"
    if offer.sold_as_album and store in ALBUM_STORES and draw() < 0.08:
        title, isrc, kind, quantity = offer.release_title, "", "Album", 1 + int(draw() * 3)
    units = quantity * _rates(places)[store] * (700_000 + int(draw() * 600_000)) // 1_000_000
    units = units * offer.team_percentage // 100
    if store in ZERO_PRONE_STORES and draw() < 0.1:
        units = 0
    row = BankRow(
        offer.reporting_date,
        offer.sale_month,
        store,
        offer.artist,
        title,
        isrc,
        offer.upc,
        quantity,
        offer.team_percentage,
        kind,
        country,
        _amount(units, places),
    )
    chance = draw()
    if store == "Spotify" and offer.adjustable and chance < 0.08:
        adjustment = -max(1, units * (10 + int(draw() * 50)) // 100)
        negative = row._replace(earnings=_amount(adjustment, places))
        return [row, negative] if chance < 0.012 else [negative]
    if chance > 0.97 and units > 0:
        twin = units * (95 + int(draw() * 10)) // 100
        return [row, row._replace(earnings=_amount(twin if twin != units else units + 1, places))]
    return [row]


def bank_rows(months: Sequence[Statement], rows: int, seed: int, places: int) -> Iterator[BankRow]:
    """Exactly `rows` rows over `months`, shared in proportion to the tracks on sale."""
    rng = random.Random(seed)
    weights = [len(statement.tracks) for statement in months]
    total = sum(weights)
    for index, statement in enumerate(months):
        wanted = rows * sum(weights[: index + 1]) // total - rows * sum(weights[:index]) // total
        on_sale = offers(statement)
        while wanted > 0:
            group = _row_group(rng, on_sale, places)[:wanted]
            wanted -= len(group)
            yield from group


def _legacy_line(row: BankRow) -> str:
    return (
        f"{row.reporting_date}\t{row.sale_month}\t{row.store}\t{row.artist}\t{row.title}"
        f"\t{row.isrc}\t{row.upc}\t{row.quantity}\t{row.team_percentage}\t{row.kind}"
        f"\t{row.country}\t0\t{row.earnings:f}\r"
    )


def iter_legacy_bank_lines(rows: int, seed: int = 7) -> Iterator[str]:
    """The legacy 13-column TSV, header first, every line ending in a bare CR."""
    yield LEGACY_HEADER + "\r"
    for row in bank_rows(statements(LEGACY_FIRST_REPORT, 12), rows, seed, places=8):
        yield _legacy_line(row)


def _batched(lines: Iterable[str], size: int = 20_000) -> Iterator[bytes]:
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) == size:
            yield "".join(batch).encode("ascii")
            batch = []
    if batch:
        yield "".join(batch).encode("ascii")


def write_legacy_bank_export(path: Path, rows: int) -> Path:
    with path.open("wb") as stream:
        for chunk in _batched(iter_legacy_bank_lines(rows)):
            stream.write(chunk)
    return path


def write_quoted_bank_export(path: Path, rows: int, seed: int = 11) -> Path:
    """The 15-column export: every field quoted, 12-decimal earnings, UTF-8."""
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerow(EXPORT_HEADER)
        for row in bank_rows(statements(EXPORT_FIRST_REPORT, 4), rows, seed, places=12):
            writer.writerow(
                [row.reporting_date, *row[:7], row.quantity, row.team_percentage, row.kind]
                + [row.country, "0.00000", f"{row.earnings:f}", ""]
            )
    return path

"""Deterministic demo exports of DistroKid, TooLost and Capital One for the fixed year 2025."""

from __future__ import annotations

import csv
import io
import json
import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import NamedTuple

from common.demodata.catalog import Track, releases_of, tracks_of

LEGACY_HEADER = (
    "Reporting Date\tSale Month\tStore\tArtist\tTitle\tISRC\tUPC\tQuantity\tTeam Percentage"
    "\tSong/Album\tCountry of Sale\tSongwriter Royalties Withheld\tEarnings (USD)"
)
EXPORT_HEADER = (
    "Date Inserted,Reporting Date,Sale Month,Store,Artist,Title,ISRC,UPC,Quantity,"
    "Team Percentage,Source Type,Country of Sale,Songwriter Royalties Withheld (USD),"
    "Earnings (USD),Recoup (USD)"
).split(",")
CAPITALONE_HEADER = ["Transaction Date", "Posted Date", "Card No.", "Description"]
CAPITALONE_HEADER += ["Category", "Debit", "Credit"]
DEMO_YEAR_START = date(2025, 1, 1)
LEGACY_FIRST_REPORT = date(2025, 1, 25)
EXPORT_FIRST_REPORT = date(2025, 11, 25)
LEGACY_ROWS = 3000
EXPORT_ROWS = 1200
SERIES_END = date(2026, 2, 28)
# Share of the true count a stats page shows for its last five days, oldest first.
RECENT_COMPLETENESS = (95, 85, 75, 60, 40)
# A day the newer DistroKid page shows as 0 although the older page had its count.
DK_GLITCH_DAY = date(2025, 6, 14)
TOOLOST_MISSING_APPLE_DAY = date(2025, 8, 17)

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
COUNTRIES = dict(US=30, GB=8, DE=8, CA=5, FR=5, BR=5, MX=4, AU=3, NL=3, IN=3, SE=2, JP=2, XK=1)
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


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def true_daily_counts(seed: int, level: int, release_dates: Iterable[date]) -> dict[date, int]:
    """A growing, weekly-seasonal daily count with a decaying bump after each release."""
    rng = random.Random(seed)
    days = _days(DEMO_YEAR_START, SERIES_END)
    bumps = [0] * len(days)
    for released in release_dates:
        bump = level * 2
        for index in range((released - DEMO_YEAR_START).days, len(days)):
            if index >= 0:
                bumps[index] += bump
            bump = bump * 93 // 100
    weekly = (100, 96, 98, 102, 115, 110, 104)
    counts = {}
    for index, day in enumerate(days):
        base = level + level * index // len(days) + bumps[index]
        counts[day] = base * weekly[day.weekday()] * (85 + int(rng.random() * 31)) // 10_000
    return counts


def page_counts(
    truth: dict[date, int], first: date, last: date, zero_days: Iterable[date] = ()
) -> list[tuple[date, int]]:
    """What a stats page shows for first…last: its last five days still incomplete."""
    points = [(day, truth[day]) for day in _days(first, last)]
    tail = len(points) - len(RECENT_COMPLETENESS)
    for offset, share in enumerate(RECENT_COMPLETENESS):
        day, count = points[tail + offset]
        points[tail + offset] = (day, count * share // 100)
    zeros = set(zero_days)
    return [(day, 0 if day in zeros else count) for day, count in points]


def _weekly(points: Sequence[tuple[date, int]]) -> list[tuple[date, int]]:
    weeks: dict[date, int] = {}
    for day, count in points:
        monday = day - timedelta(days=day.weekday())
        weeks[monday] = weeks.get(monday, 0) + count
    return sorted(weeks.items())


def _amchart(div: str, chart_id: str, points: Sequence[tuple[date, int]]) -> str:
    provider = "".join(f'{{"category": "{d.isoformat()}","column-1": {n}}},' for d, n in points)
    return (
        f'AmCharts.makeChart("{div}",{{"type":"serial","id":"{chart_id}",'
        f'"categoryField":"category","graphs":[{{"valueField":"column-1"}}],'
        f'"dataProvider":[{provider}]}});\n'
    )


def streams_stats_html(points: Sequence[tuple[date, int]]) -> str:
    charts = (
        _amchart("chartdivWeekly", "trendWeekly", _weekly(points)[-40:])
        + _amchart("chartdiv60", "trend60day", points[-59:])
        + _amchart("chartdiv365", "trend365day", points)
    )
    return (
        '<!DOCTYPE html><html><head><title>Stats</title></head><body>\n<div id="chartdiv"></div>'
        f"\n<script>\n{charts}</script></body></html>\n"
    )


def split(total: int, weights: Sequence[int]) -> list[int]:
    """Integer shares of `total` in proportion to `weights` that add up to `total` exactly."""
    whole = sum(weights)
    shares = [total * weight // whole for weight in weights]
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % whole), i))
    for index in by_remainder[: total - sum(shares)]:
        shares[index] += 1
    return shares


def _by_country(total: int, top: int) -> list[tuple[str, int]]:
    codes = list(COUNTRIES)[:top]
    return list(zip(codes, split(total, [COUNTRIES[code] for code in codes])))


def _series(points: Iterable[tuple[str, object]], **extra: object) -> dict[str, object]:
    provider = [{"field": field, "value": value} for field, value in points]
    return {"isEmpty": 0, **extra, "dataProvider": provider}


def _ranked(names: Sequence[str], total: int) -> list[dict[str, object]]:
    shares = split(total, [len(names) + 3 - rank for rank in range(len(names))])
    return [
        {"field": name, "id": str(rank + 1), "value": share}
        for rank, (name, share) in enumerate(zip(names, shares))
    ]


def applemusic_stats_html(points: Sequence[tuple[date, int]]) -> str:
    total, last = sum(count for _, count in points), points[-1][0]
    months: dict[str, int] = {}
    for day, count in points:
        months[day.strftime("%m-%y")] = months.get(day.strftime("%m-%y"), 0) + count
    on_sale = [t for t in tracks_of("distrokid") if t.release.release_date <= last]
    releases = [r for r in releases_of("distrokid") if r.release_date <= last]
    chart_data = {
        "byMonth": _series(months.items(), categoryField="field"),
        "byWeek": _series(
            ((d.strftime("%m/%d"), n) for d, n in _weekly(points)[-12:]), categoryField="field"
        ),
        "last365days": _series(((d.isoformat(), n) for d, n in points), categoryField="field"),
        "country1year": _series(_by_country(total, len(COUNTRIES)), categoryField="field"),
        "tracks1year": {"isEmpty": 0, "dataProvider": _ranked([t.title for t in on_sale], total)},
        "albums1year": {"isEmpty": 0, "dataProvider": _ranked([r.title for r in releases], total)},
    }
    script = json.dumps(chart_data, ensure_ascii=False, separators=(",", ":"))
    return (
        f"<!DOCTYPE html><html><body><script>\nvar chartData = {script};\n</script></body></html>\n"
    )


def write_distrokid(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    dk_releases = [r.release_date for r in releases_of("distrokid")]
    spotify = true_daily_counts(101, 420, dk_releases)
    apple = true_daily_counts(102, 55, dk_releases)
    files = [
        write_legacy_bank_export(folder / "dk_bank_details_20260105_090000.tsv", LEGACY_ROWS),
        write_quoted_bank_export(folder / "dk_bank_details_20260301_090000.csv", EXPORT_ROWS),
    ]
    for stamp, first, last, zeros in (
        ("20260105_090000", date(2025, 1, 1), date(2025, 12, 31), ()),
        ("20260301_090000", date(2025, 3, 1), SERIES_END, (DK_GLITCH_DAY,)),
    ):
        streams = folder / f"streams_stats_{stamp}.html"
        streams.write_text(
            streams_stats_html(page_counts(spotify, first, last, zeros)), encoding="utf-8"
        )
        applemusic = folder / f"applemusic_stats_{stamp}.html"
        applemusic.write_text(
            applemusic_stats_html(page_counts(apple, first, last)), encoding="utf-8"
        )
        files += [streams, applemusic]
    return files


def _fee(streams: int) -> str:
    return f"{(Decimal(streams) * Decimal('0.0009')).quantize(Decimal('0.01')):f}"


def toolost_spotify(rng: random.Random, points: Sequence[tuple[date, int]]) -> dict[str, object]:
    streams = [{"date": d.isoformat(), "streams": str(n)} for d, n in points]
    discovery = [
        {"date": d.isoformat(), "streams": str(found), "fees": _fee(found)}
        for d, n in points
        if d >= date(2025, 6, 1)
        for found in [n * (10 + int(rng.random() * 21)) // 100]
    ]
    rng.shuffle(streams)
    rng.shuffle(discovery)
    return {"streams": streams, "discovery": discovery}


def toolost_apple(rng: random.Random, points: Sequence[tuple[date, int]]) -> dict[str, object]:
    kept = [(d, n) for d, n in points if d != TOOLOST_MISSING_APPLE_DAY]
    total = sum(n for _, n in kept)
    streams = [{"date": d.isoformat(), "streams": n} for d, n in kept]
    shazam = [
        {"date": d.isoformat(), "streams": str(1 + int(rng.random() * 4))}
        for d, _ in kept
        if rng.random() < 0.2
    ]
    rng.shuffle(streams)
    rng.shuffle(shazam)
    tracks = tracks_of("toolost")
    tracks_total = [
        {
            "isrc": t.isrc,
            "streams": n,
            "track": t.title,
            "release": t.release.title,
            "cover": f"https://example.invalid/covers/{t.release.upc}.jpg",
        }
        for t, n in zip(tracks, split(total, [8, 5, 3, 2][: len(tracks)]))
    ]
    country_total = [{"country": code, "streams": n} for code, n in _by_country(total, 8)]
    return {
        "totalStreams": streams,
        "totalShazam": shazam,
        "tracksTotal": tracks_total,
        "countryTotal": country_total,
        "streamTotal": total,
    }


def write_toolost(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(202)
    tl_releases = [r.release_date for r in releases_of("toolost")]
    spotify = true_daily_counts(201, 60, tl_releases)
    apple = true_daily_counts(203, 7, tl_releases)
    files = []
    for stamp, first, last in (
        ("20260105_090000", date(2025, 1, 1), date(2025, 12, 31)),
        ("20260301_090000", date(2026, 1, 1), SERIES_END),
    ):
        for platform, payload in (
            ("spotify", toolost_spotify(rng, [(d, spotify[d]) for d in _days(first, last)])),
            ("apple", toolost_apple(rng, [(d, apple[d]) for d in _days(first, last)])),
        ):
            path = folder / f"toolost_{platform}_{stamp}.json"
            path.write_text(json.dumps(payload, indent=2), encoding="utf-8")
            files.append(path)
    return files


Purchase = tuple[date, str, str, Decimal]


def _monthly(day: int, description: str, category: str, amount: str) -> list[Purchase]:
    return [(date(2025, m, day), description, category, Decimal(amount)) for m in range(1, 13)]


def card_purchases(rng: random.Random) -> list[Purchase]:
    """A year of label spending: ads every few days, subscriptions, gear and the yearly fee."""
    purchases = _monthly(3, "ADOBE *CREATIVE CLOUD", "Internet", "59.99")
    purchases += _monthly(9, "SPLICE.COM", "Internet", "12.99")
    purchases += _monthly(17, "DROPBOX*PLUS", "Internet", "11.99")
    purchases += [
        (date(2025, 3, 4), "DISTROKID.COM", "Other Services", Decimal("89.99")),
        (date(2025, 2, 11), "SWEETWATER SOUND", "Merchandise", Decimal("349.00")),
        (date(2025, 5, 2), "GUITAR CENTER #412, HOLLYWOOD CA", "Merchandise", Decimal("129.00")),
        (date(2025, 8, 21), "SWEETWATER SOUND", "Merchandise", Decimal("1249.99")),
        (date(2025, 10, 7), "ABLETON AG", "Internet", Decimal("229.00")),
    ]
    day = date(2025, 1, 2)
    while day.year == 2025:
        code = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(10))
        cents = 2000 + int(rng.random() * 13000)
        purchases.append((day, f"FACEBK *{code}", "Other Services", Decimal(cents).scaleb(-2)))
        day += timedelta(days=3 + int(rng.random() * 2))
    return purchases


def write_capitalone(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(301)
    rows: list[tuple[date, date, str, str, str, str]] = []
    for spent, description, category, amount in card_purchases(rng):
        posted = spent + timedelta(days=1 + int(rng.random() * 3))
        rows.append((spent, posted, description, category, f"{amount:f}", ""))
    returned = ("SWEETWATER SOUND", "Merchandise", "", "1249.99")
    rows.append((date(2025, 9, 4), date(2025, 9, 5), *returned))
    for month in range(2, 13):
        paid = date(2025, month, 26)
        statement = sum(
            (Decimal(r[4]) for r in rows if r[4] and r[0].month == month - 1), Decimal("0.00")
        )
        payment = ("CAPITAL ONE MOBILE PYMT", "Payment/Credit", "", f"{statement:f}")
        rows.append((paid, paid, *payment))
    rows.sort(key=lambda row: (row[0], row[1], row[2]), reverse=True)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CAPITALONE_HEADER)
    for spent, posted, *rest in rows:
        writer.writerow([spent.isoformat(), posted.isoformat(), "4821", *rest])
    path = folder / "capitalone_transactions_20260110_090000.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return [path]

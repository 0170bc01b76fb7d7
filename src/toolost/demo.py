"""Deterministic TooLost demo exports: the Spotify and Apple Music analytics JSON."""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

from common.demodata.catalog import releases_of, tracks_of
from common.demodata.series import SERIES_END, by_country, days_between, split, true_daily_counts

TOOLOST_MISSING_APPLE_DAY = date(2025, 8, 17)


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
    country_total = [{"country": code, "streams": n} for code, n in by_country(total, 8)]
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
            ("spotify", toolost_spotify(rng, [(d, spotify[d]) for d in days_between(first, last)])),
            ("apple", toolost_apple(rng, [(d, apple[d]) for d in days_between(first, last)])),
        ):
            path = folder / f"toolost_{platform}_{stamp}.json"
            path.write_text(json.dumps(payload, indent=2), encoding="utf-8")
            files.append(path)
    return files

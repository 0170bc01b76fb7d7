"""Deterministic TikTok Studio demo exports for both accounts: Overview and Followers zips.

The 365-day window runs from 2025-03-01 to 2026-02-28, so its year-less dates cross into 2026;
zone.a0's Studio is in English ("March 1"), pig1987's in French ("1 mars").
"""

from __future__ import annotations

import csv
import io
import random
import zipfile
from collections.abc import Sequence
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from common.demodata.catalog import PIG1987, RELEASES, ZONE_A0, Artist
from common.demodata.series import days_between, true_daily_counts

TIKTOK_WINDOW_START = date(2025, 3, 1)
TIKTOK_WINDOW_END = date(2026, 2, 28)
TIKTOK_EXPORTED_AT = datetime(2026, 3, 1, 10, 0, tzinfo=timezone.utc)
TIKTOK_EPOCH = int(TIKTOK_EXPORTED_AT.timestamp())
ZIP_TIME = (2026, 3, 1, 10, 0, 0)
ENGLISH_MONTHS = "January February March April May June July August September October November "
ENGLISH_MONTHS += "December"
FRENCH_MONTHS = "janvier février mars avril mai juin juillet août septembre octobre novembre "
FRENCH_MONTHS += "décembre"
# (account, artist, Studio language, seed, daily view level, followers at the window start)
ACCOUNTS = (
    ("zone.a0", ZONE_A0, "en", 401, 900, 5200),
    ("pig1987", PIG1987, "fr", 411, 600, 3100),
)


def studio_day(day: date, language: str) -> str:
    """A day as Studio writes it: no year, in the interface language."""
    if language == "fr":
        return f"{day.day} {FRENCH_MONTHS.split()[day.month - 1]}"
    return f"{ENGLISH_MONTHS.split()[day.month - 1]} {day.day}"


def studio_csv(header: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    """UTF-8 with a BOM, LF line ends, every field quoted."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def overview_rows(
    rng: random.Random, artist: Artist, seed: int, level: int, language: str
) -> list[list[object]]:
    released = [r.release_date for r in RELEASES if artist in r.artists]
    views = true_daily_counts(seed, level, released)
    rows: list[list[object]] = []
    for day in days_between(TIKTOK_WINDOW_START, TIKTOK_WINDOW_END):
        count = 0 if day.day == 1 and day.month == 6 else views[day]  # a day nobody watched
        likes = count * (6 + int(rng.random() * 5)) // 100
        comments = count * int(rng.random() * 8) // 1000
        if day == date(2025, 9, 14):
            comments = -1  # a deleted comment taken back after the day closed
        shares = count * int(rng.random() * 4) // 1000
        profile = count * (2 + int(rng.random() * 3)) // 100
        rows.append([studio_day(day, language), count, profile, likes, comments, shares])
    return rows


def follower_history_rows(rng: random.Random, start: int, language: str) -> list[list[object]]:
    """Daily followers; the first is 'undefined' and the difference column is a day early."""
    days = days_between(TIKTOK_WINDOW_START, TIKTOK_WINDOW_END)
    followers = [start]
    for _ in days[1:]:
        followers.append(followers[-1] + int(rng.random() * 14) - 3)
    rows: list[list[object]] = []
    for index, day in enumerate(days):
        following = followers[index + 1] if index + 1 < len(days) else followers[index]
        shown: object = "undefined" if index == 0 else followers[index]
        rows.append([studio_day(day, language), shown, following - followers[index]])
    return rows


def follower_activity_rows(rng: random.Random, language: str) -> list[list[object]]:
    """Seven days of hourly active followers; the export day is 0 after the export hour."""
    rows: list[list[object]] = []
    export_day = TIKTOK_EXPORTED_AT.date()
    for day in days_between(export_day - timedelta(days=6), export_day):
        for hour in range(24):
            active = 40 + 30 * (hour in range(17, 23)) + int(rng.random() * 25)
            if day == export_day and hour > TIKTOK_EXPORTED_AT.hour:
                active = 0
            rows.append([studio_day(day, language), hour, active])
    return rows


def write_zip(path: Path, members: dict[str, bytes]) -> Path:
    """A zip with fixed member times, so the bytes are the same on every run."""
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in members.items():
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return path


def write_tiktok(folder: Path) -> list[Path]:
    """An Overview zip and a Followers zip for each of the two accounts."""
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for account, artist, language, seed, level, start in ACCOUNTS:
        rng = random.Random(seed)
        stem = f"{TIKTOK_WINDOW_START.isoformat()}_{TIKTOK_EPOCH}_{account}"
        overview = studio_csv(
            ["Date", "Video Views", "Profile Views", "Likes", "Comments", "Shares"],
            overview_rows(rng, artist, seed, level, language),
        )
        files.append(write_zip(folder / f"Overview_{stem}.zip", {"Overview.csv": overview}))
        followers = {
            "FollowerHistory.csv": studio_csv(
                ["Date", "Followers", "Difference in followers from previous day"],
                follower_history_rows(rng, start, language),
            ),
            "FollowerActivity.csv": studio_csv(
                ["Date", "Hour", "Active followers"], follower_activity_rows(rng, language)
            ),
            "FollowerGender.csv": studio_csv(
                ["Gender", "Distribution"],
                [["Male", "0.55"], ["Female", "0.42"], ["Other", "0.03"]],
            ),
            "FollowerTopTerritories.csv": studio_csv(
                ["Top territories", "Distribution"],
                [
                    ["US", "0.41"],
                    ["FR", "0.17"],
                    ["DE", "0.09"],
                    ["GB", "0.08"],
                    ["Others", "0.25"],
                ],
            ),
        }
        files.append(write_zip(folder / f"Followers_{stem}.zip", followers))
    return files

"""Deterministic YouTube demo files: a first pull (channel days, video days, channel statistics),
a second pull that revises the last days the API had not settled, and Studio's "Table data.csv"
with its leading Total row and the videos' titles."""

from __future__ import annotations

import csv
import io
import json
import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from youtube.settings import DAILY_METRICS

FIRST_DAY, LAST_DAY = date(2025, 5, 1), date(2025, 5, 28)
REVISED_FROM = date(2025, 5, 26)
FIRST_PULL, REPULL = "20250530_080000", "20250531_080000"
CHANNEL_ID = "UCbedrotDemoChannel000001"
VIDEOS = (
    ("pIg1987NiGh", "PIG1987 - NIGHT SHIFT (Official Video)", "Apr 18, 2025", 212),
    ("z0NEa0PaRaL", "ZONE A0 - PARALLAX (Visualizer)", "Mar 7, 2025", 245),
)
TABLE_HEADER = (
    "Content,Video title,Video publish time,Duration,Views,Average view duration,"
    "Average percentage viewed (%),Subscribers,Likes"
).split(",")


def _table(dimensions: tuple[str, ...], rows: list[list[Any]]) -> dict[str, Any]:
    headers = [{"name": d, "columnType": "DIMENSION", "dataType": "STRING"} for d in dimensions]
    headers += [{"name": m, "columnType": "METRIC", "dataType": "INTEGER"} for m in DAILY_METRICS]
    return {"kind": "youtubeAnalytics#resultTable", "columnHeaders": headers, "rows": rows}


def _video_day(rng: random.Random, day: date, index: int) -> list[int]:
    views = rng.randint(40, 160) // (index + 1)
    minutes = views * rng.randint(18, 30) // 10
    return [views, minutes, minutes * 60 // max(views, 1), views // 12, views // 40,
            rng.randint(0, 3), rng.randint(0, 1)]  # fmt: skip


def _channel_rows(video_days: dict[date, list[list[int]]]) -> list[list[Any]]:
    rows = []
    for day, per_video in sorted(video_days.items()):
        summed = [sum(values) for values in zip(*per_video)]
        summed[2] = summed[1] * 60 // max(summed[0], 1)
        rows.append([day.isoformat(), *summed])
    return rows


def _write(folder: Path, name: str, content: str) -> Path:
    path = folder / name
    path.write_text(content, encoding="utf-8")
    return path


def _json(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2) + "\n"


def _studio_table(totals: list[list[int]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(TABLE_HEADER)
    writer.writerow(["Total", "", "", "", sum(t[0] for t in totals), "", "", "", ""])
    for (video, title, published, duration), total in zip(VIDEOS, totals):
        views, minutes = total[0], total[1]
        average = minutes * 60 // max(views, 1)
        clock = f"0:{average // 60:02d}:{average % 60:02d}"
        viewed = f"{average * 100 / duration:.1f}"
        net = total[5] - total[6]
        writer.writerow([video, title, published, duration, views, clock, viewed, net, total[3]])
    return buffer.getvalue()


def write_youtube(folder: Path) -> list[Path]:
    """The demo files in `folder`; the same bytes on every run (fixed seed, the 2025 demo year)."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(2025)
    days = [FIRST_DAY + timedelta(days=n) for n in range((LAST_DAY - FIRST_DAY).days + 1)]
    first = {day: [_video_day(rng, day, i) for i in range(len(VIDEOS))] for day in days}
    revised = {
        day: [[v + rng.randint(1, 9) if n == 0 else v for n, v in enumerate(figures)]
              for figures in first[day]]
        for day in days if day >= REVISED_FROM
    }  # fmt: skip
    video_rows = [
        [day.isoformat(), VIDEOS[i][0], *figures]
        for day, per_video in first.items()
        for i, figures in enumerate(per_video)
    ]
    stats = {
        "kind": "youtube#channelListResponse",
        "items": [
            {
                "kind": "youtube#channel",
                "id": CHANNEL_ID,
                "snippet": {"title": "BEDROT"},
                "statistics": {"viewCount": "48213", "subscriberCount": "1187",
                               "hiddenSubscriberCount": False, "videoCount": "2"},
            }  # fmt: skip
        ],
    }
    totals = [[sum(first[d][i][m] for d in days) for m in range(7)] for i in range(len(VIDEOS))]
    return [
        _write(folder, f"youtube_channel_daily_{FIRST_PULL}.json",
               _json(_table(("day",), _channel_rows(first)))),
        _write(folder, f"youtube_video_daily_{FIRST_PULL}.json",
               _json(_table(("day", "video"), video_rows))),
        _write(folder, f"youtube_channel_stats_{FIRST_PULL}.json", _json(stats)),
        _write(folder, f"youtube_channel_daily_{REPULL}.json",
               _json(_table(("day",), _channel_rows(revised)))),
        _write(folder, "Table data.csv", _studio_table(totals)),
    ]  # fmt: skip

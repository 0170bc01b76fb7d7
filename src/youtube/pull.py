"""One YouTube pull: its settings (config/extractors/youtube.json), its window, its documents.

The Analytics API answers up to the last day on which every metric is final, typically 2–3
days behind, and revises those days later. So each pull asks again from `lookback_days` before
the newest day already landed (or `history_days` back on a first pull) to today; the cleaners
keep the newest value of each day. What is landed is the only bookmark.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from common.extract.landed import newest_landed_day as newest_in_landing
from common.extract.retrying import RetryPolicy, SettingsReader
from common.extractor_config import ExtractorConfig, ExtractorConfigError
from youtube.settings import API_SUFFIXES

DEFAULTS: dict[str, Any] = {
    "history_days": 90,
    "lookback_days": 3,
    "page_size": 200,
    "max_retries": 3,
    "backoff_seconds": 10.0,
    "max_wait_seconds": 120.0,
    "consent_url": "",
}


@dataclass(frozen=True)
class PullSettings:
    history_days: int
    lookback_days: int
    page_size: int
    retry: RetryPolicy
    consent_url: str


@dataclass(frozen=True)
class PullWindow:
    start: date
    end: date


def load_pull_settings(config: ExtractorConfig) -> PullSettings:
    read = SettingsReader(config, DEFAULTS)
    consent = read.value("consent_url")
    if not isinstance(consent, str):
        raise ExtractorConfigError(f"{config.file}: settings.consent_url must be a web address.")
    return PullSettings(
        history_days=read.whole("history_days", 1),
        lookback_days=read.whole("lookback_days", 0),
        page_size=read.whole("page_size", 1),
        retry=read.retry_policy(),
        consent_url=consent,
    )


def _newest_day_in(path: Path) -> date | None:
    """The newest `day` of a landed Analytics report; None for anything else."""
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
        headers = [h["name"] for h in document["columnHeaders"]]
        position = headers.index("day")
        return max((date.fromisoformat(row[position]) for row in document["rows"]), default=None)
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None  # not a report, or a broken one the cleaners quarantine


def newest_landed_day(landing: Path) -> date | None:
    """The newest day any landed report covers."""
    return newest_in_landing(landing, API_SUFFIXES, _newest_day_in)


def pull_window(newest: date | None, today: date, settings: PullSettings) -> PullWindow:
    if newest is None:
        start = today - timedelta(days=settings.history_days)
    else:
        start = min(newest, today) - timedelta(days=settings.lookback_days)
    return PullWindow(start, today)


def report_params(window: PullWindow, dimensions: str, metrics: Sequence[str]) -> dict[str, str]:
    """An Analytics API v2 query of the channel (`ids=channel==MINE`), sorted by day."""
    return {
        "ids": "channel==MINE",
        "startDate": window.start.isoformat(),
        "endDate": window.end.isoformat(),
        "metrics": ",".join(metrics),
        "dimensions": dimensions,
        "sort": "day" if dimensions == "day" else "day,video",
    }


def merged_table(pages: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Pages of one report as one result table (the headers of the first, every row)."""
    if not pages:
        return {"kind": "youtubeAnalytics#resultTable", "columnHeaders": [], "rows": []}
    rows = [row for page in pages for row in page.get("rows") or []]
    return {
        "kind": pages[0].get("kind", "youtubeAnalytics#resultTable"),
        "columnHeaders": pages[0].get("columnHeaders", []),
        "rows": rows,
    }

"""One insights pull: its settings (config/extractors/metaads.json), window and landing file.

Meta keeps revising recent days while attribution settles, so every pull re-requests a trailing
window: from the newest day already landed minus `lookback_days` (or `first_pull_days` back on
the first pull) to today. What is landed is the only bookmark: no state file can drift from it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from common.extract.errors import ExtractionFailed
from common.extract.landed import newest_landed_day
from common.extract.retrying import RetryPolicy, SettingsReader
from common.extractor_config import ExtractorConfig, ExtractorConfigError
from metaads.settings import API_SUFFIXES, LEVELS

ACCOUNT_ENV = "META_AD_ACCOUNT_ID"
INSIGHTS_URL = "insights"
# Meta answers insights for at most 37 months back; a few days' margin keeps clear of the edge.
MAX_HISTORY_DAYS = 1120
_API_VERSION = re.compile(r"^v\d+\.\d+$")
_ACCOUNT_ID = re.compile(r"^(?:act_)?(\d+)$")
DEFAULTS: dict[str, Any] = {
    "level": "campaign",
    "time_increment": 1,
    "use_unified_attribution_setting": True,
    "lookback_days": 28,
    "first_pull_days": 365,
    "page_limit": 500,
    "max_retries": 4,
    "backoff_seconds": 20.0,
    "max_wait_seconds": 300.0,
}


@dataclass(frozen=True)
class PullSettings:
    """How the insights are asked for, how far back, and how patiently throttling is met."""

    api_version: str
    fields: tuple[str, ...]
    level: str
    time_increment: int
    use_unified_attribution_setting: bool
    lookback_days: int
    first_pull_days: int
    page_limit: int
    retry: RetryPolicy


@dataclass(frozen=True)
class PullWindow:
    since: date
    until: date

    def time_range(self) -> str:
        """Meta's `time_range` parameter: `{"since":"YYYY-MM-DD","until":"YYYY-MM-DD"}`."""
        span = {"since": self.since.isoformat(), "until": self.until.isoformat()}
        return json.dumps(span, separators=(",", ":"))


def _fields(read: SettingsReader) -> tuple[str, ...]:
    value = read.value("fields")
    names = value.split(",") if isinstance(value, str) else value
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise ExtractorConfigError(
            f"{read.config.file}: settings.fields must list insights fields."
        )
    return tuple(name.strip() for name in names if name.strip())


def _text_choice(read: SettingsReader, name: str, allowed: Iterable[str], what: str) -> str:
    value = read.value(name)
    if not isinstance(value, str) or value not in allowed:
        raise ExtractorConfigError(f"{read.config.file}: settings.{name} must be {what}.")
    return value


def load_pull_settings(config: ExtractorConfig) -> PullSettings:
    """The pull settings of the extractor config, each checked, with a sentence when wrong."""
    read = SettingsReader(config, DEFAULTS)
    version = read.value("api_version")
    if not isinstance(version, str) or not _API_VERSION.match(version):
        raise ExtractorConfigError(
            f'{config.file}: settings.api_version must look like "v25.0", not {version!r}.'
        )
    return PullSettings(
        api_version=version,
        fields=_fields(read),
        level=_text_choice(read, "level", LEVELS, f"one of {', '.join(LEVELS)}"),
        time_increment=read.whole("time_increment", 1),
        use_unified_attribution_setting=read.flag("use_unified_attribution_setting"),
        lookback_days=read.whole("lookback_days", 0),
        first_pull_days=read.whole("first_pull_days", 0),
        page_limit=read.whole("page_limit", 1),
        retry=read.retry_policy(),
    )


def ad_account_id(environ: Mapping[str, str]) -> str:
    """The ad account's digits from META_AD_ACCOUNT_ID (`act_123` or `123`)."""
    value = environ.get(ACCOUNT_ENV, "").strip()
    match = _ACCOUNT_ID.match(value)
    if match is None:
        state = "is not set" if not value else "is not an ad account id"
        raise ExtractionFailed(
            f"{ACCOUNT_ENV} {state} in the environment or .env: put the ad account's id there "
            "(the digits after act_ in Ads Manager's address)."
        )
    return match[1]


def _newest_day_in(path: Path) -> date | None:
    """The newest `date_stop` of a landed response; None when it holds none or is unreadable."""
    try:
        payload = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError):
        return None  # the cleaners quarantine it and say why; it simply pulled nothing usable
    pages = payload if isinstance(payload, list) else [payload]
    days: list[date] = []
    for page in pages:
        entries = page.get("data") if isinstance(page, dict) else None
        for entry in entries if isinstance(entries, list) else []:
            stop = entry.get("date_stop") if isinstance(entry, dict) else None
            try:
                days.append(date.fromisoformat(str(stop)))
            except ValueError:
                continue
    return max(days, default=None)


def newest_pulled_day(landing: Path) -> date | None:
    """The newest day any landed API response covers."""
    return newest_landed_day(landing, API_SUFFIXES, _newest_day_in)


def pull_window(newest: date | None, today: date, settings: PullSettings) -> PullWindow:
    """From `lookback_days` before the newest pulled day (first pull: `first_pull_days` before
    today) to today, never further back than Meta answers."""
    if newest is None:
        since = today - timedelta(days=settings.first_pull_days)
    else:
        since = min(newest, today) - timedelta(days=settings.lookback_days)
    return PullWindow(max(since, today - timedelta(days=MAX_HISTORY_DAYS)), today)


def landing_document(pages: Iterable[Mapping[str, Any]]) -> bytes:
    """The pages as one JSON list, the form the cleaners read. `paging.next`/`previous` are
    left out: Meta puts the access token in those links."""
    kept = []
    for page in pages:
        paging = page.get("paging")
        cursors = paging.get("cursors") if isinstance(paging, dict) else None
        kept.append({"data": page.get("data", []), "paging": {"cursors": cursors or {}}})
    return json.dumps(kept, ensure_ascii=False, indent=2).encode("utf-8")

"""The pull settings of config/extractors/instagram.json, each checked with a sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from common.extract.retrying import RetryPolicy, SettingsReader
from common.extractor_config import ExtractorConfig, ExtractorConfigError

_API_VERSION = re.compile(r"^v\d+\.\d+$")
DEFAULTS: dict[str, Any] = {
    "daily_metrics": ["reach", "follower_count"],
    "total_metrics": ["views", "profile_views", "website_clicks", "accounts_engaged"],
    "breakdowns": {},
    "media_metrics": ["reach", "views", "likes", "comments", "saved", "shares"],
    "media_fields": ["id", "caption", "media_type", "media_product_type", "timestamp"],
    "history_days": 30,
    "lookback_days": 3,
    "max_media": 50,
    "page_limit": 25,
    "refresh_tokens": True,
    "refresh_within_days": 10,
    "max_retries": 4,
    "backoff_seconds": 20.0,
    "max_wait_seconds": 300.0,
}
# Instagram answers user insights for at most two years back, 30 days per request.
MAX_HISTORY_DAYS = 720
MAX_WINDOW_DAYS = 30


@dataclass(frozen=True)
class PullSettings:
    api_version: str
    daily_metrics: tuple[str, ...]
    total_metrics: tuple[str, ...]
    breakdowns: dict[str, str]
    media_metrics: tuple[str, ...]
    media_fields: tuple[str, ...]
    history_days: int
    lookback_days: int
    max_media: int
    page_limit: int
    refresh_tokens: bool
    refresh_within_days: int
    retry: RetryPolicy


def _names(read: SettingsReader, name: str) -> tuple[str, ...]:
    value = read.value(name)
    if not isinstance(value, list) or not all(isinstance(n, str) and n.strip() for n in value):
        raise ExtractorConfigError(f"{read.config.file}: settings.{name} must list metric names.")
    return tuple(n.strip() for n in value)


def _breakdowns(read: SettingsReader) -> dict[str, str]:
    value = read.value("breakdowns")
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise ExtractorConfigError(
            f"{read.config.file}: settings.breakdowns must map a metric to a breakdown, such as "
            '{"views": "follower_type"}.'
        )
    return {str(k): v for k, v in value.items()}


def load_pull_settings(config: ExtractorConfig) -> PullSettings:
    read = SettingsReader(config, DEFAULTS)
    version = read.value("api_version")
    if not isinstance(version, str) or not _API_VERSION.match(version):
        raise ExtractorConfigError(
            f'{config.file}: settings.api_version must look like "v23.0", not {version!r}.'
        )
    return PullSettings(
        api_version=version,
        daily_metrics=_names(read, "daily_metrics"),
        total_metrics=_names(read, "total_metrics"),
        breakdowns=_breakdowns(read),
        media_metrics=_names(read, "media_metrics"),
        media_fields=_names(read, "media_fields"),
        history_days=read.whole("history_days", 1, MAX_HISTORY_DAYS),
        lookback_days=read.whole("lookback_days", 0),
        max_media=read.whole("max_media", 0),
        page_limit=read.whole("page_limit", 1),
        refresh_tokens=read.flag("refresh_tokens"),
        refresh_within_days=read.whole("refresh_within_days", 0),
        retry=read.retry_policy(),
    )

"""The pull settings of config/extractors/instagram.json, each checked with a sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

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
    max_retries: int
    backoff_seconds: float
    max_wait_seconds: float


def _setting(config: ExtractorConfig, name: str) -> Any:
    value = config.setting(name, DEFAULTS.get(name))
    if value is None:
        raise ExtractorConfigError(f"{config.file}: settings.{name} is missing.")
    return value


def _whole(config: ExtractorConfig, name: str, minimum: int, maximum: int | None = None) -> int:
    value = _setting(config, name)
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ExtractorConfigError(
            f"{config.file}: settings.{name} must be a whole number of at least {minimum}."
        )
    if maximum is not None and value > maximum:
        raise ExtractorConfigError(
            f"{config.file}: settings.{name} must be at most {maximum} (Instagram's limit)."
        )
    return value


def _seconds(config: ExtractorConfig, name: str) -> float:
    value = _setting(config, name)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ExtractorConfigError(f"{config.file}: settings.{name} must be seconds (0 or more).")
    return float(value)


def _names(config: ExtractorConfig, name: str) -> tuple[str, ...]:
    value = _setting(config, name)
    if not isinstance(value, list) or not all(isinstance(n, str) and n.strip() for n in value):
        raise ExtractorConfigError(f"{config.file}: settings.{name} must list metric names.")
    return tuple(n.strip() for n in value)


def _flag(config: ExtractorConfig, name: str) -> bool:
    value = _setting(config, name)
    if not isinstance(value, bool):
        raise ExtractorConfigError(f"{config.file}: settings.{name} must be true or false.")
    return value


def load_pull_settings(config: ExtractorConfig) -> PullSettings:
    version = _setting(config, "api_version")
    if not isinstance(version, str) or not _API_VERSION.match(version):
        raise ExtractorConfigError(
            f'{config.file}: settings.api_version must look like "v23.0", not {version!r}.'
        )
    breakdowns = _setting(config, "breakdowns")
    if not isinstance(breakdowns, dict) or not all(isinstance(v, str) for v in breakdowns.values()):
        raise ExtractorConfigError(
            f"{config.file}: settings.breakdowns must map a metric to a breakdown, such as "
            '{"views": "follower_type"}.'
        )
    return PullSettings(
        api_version=version,
        daily_metrics=_names(config, "daily_metrics"),
        total_metrics=_names(config, "total_metrics"),
        breakdowns={str(k): v for k, v in breakdowns.items()},
        media_metrics=_names(config, "media_metrics"),
        media_fields=_names(config, "media_fields"),
        history_days=_whole(config, "history_days", 1, MAX_HISTORY_DAYS),
        lookback_days=_whole(config, "lookback_days", 0),
        max_media=_whole(config, "max_media", 0),
        page_limit=_whole(config, "page_limit", 1),
        refresh_tokens=_flag(config, "refresh_tokens"),
        refresh_within_days=_whole(config, "refresh_within_days", 0),
        max_retries=_whole(config, "max_retries", 0),
        backoff_seconds=_seconds(config, "backoff_seconds"),
        max_wait_seconds=_seconds(config, "max_wait_seconds"),
    )

"""Mailchimp names and settings: zone file names, the API key's variable and the pull settings
(`settings` of config/extractors/mailchimp.json)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from common.extract.retrying import RetryPolicy, SettingsReader
from common.extractor_config import ExtractorConfig, ExtractorConfigError

SERVICE = "mailchimp"
KEY_ENV = "MAILCHIMP_API_KEY"

API_SUFFIXES = (".json",)
RAW_SUFFIX = ".json"

STAGING_CAMPAIGNS = "mailchimp_campaigns.csv"
STAGING_GROWTH = "mailchimp_list_growth.csv"
STAGING_AUDIENCE = "mailchimp_audience.csv"
CURATED_CAMPAIGNS = "mailchimp_campaigns_curated.csv"
CURATED_GROWTH = "mailchimp_list_growth_curated.csv"
CURATED_AUDIENCE = "mailchimp_audience_curated.csv"

# Mailchimp pages at most 1000 items; campaigns keep gaining opens and clicks for weeks, so
# each pull asks again for the campaigns sent in the last `lookback_days` before the newest.
DEFAULTS: dict[str, Any] = {
    "page_size": 1000,
    "history_days": 730,
    "lookback_days": 30,
    "list_ids": [],
    "max_retries": 4,
    "backoff_seconds": 10.0,
    "max_wait_seconds": 120.0,
}


@dataclass(frozen=True)
class PullSettings:
    """How much to ask for per page, how far back, which audiences, how patiently."""

    page_size: int
    history_days: int
    lookback_days: int
    list_ids: tuple[str, ...]
    retry: RetryPolicy


def _list_ids(read: SettingsReader) -> tuple[str, ...]:
    value = read.value("list_ids")
    if not isinstance(value, list) or not all(isinstance(i, str) and i for i in value):
        raise ExtractorConfigError(
            f"{read.config.file}: settings.list_ids must list audience ids (empty: every "
            "audience)."
        )
    return tuple(value)


def load_pull_settings(config: ExtractorConfig) -> PullSettings:
    """The pull settings, each checked, with a sentence naming the key when one is wrong."""
    read = SettingsReader(config, DEFAULTS)
    return PullSettings(
        page_size=read.whole("page_size", 1, 1000),
        history_days=read.whole("history_days", 0),
        lookback_days=read.whole("lookback_days", 0),
        list_ids=_list_ids(read),
        retry=read.retry_policy(),
    )

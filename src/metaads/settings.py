"""Meta Ads names and settings: zone file names, number formats and `config/metaads.json`."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from common.lake import Lake

SERVICE = "metaads"
CONFIG_FILE = "metaads.json"

STAGING_PERFORMANCE = "metaads_performance.csv"
STAGING_ACTIONS = "metaads_actions.csv"
CURATED_DAILY = "metaads_daily_performance.csv"
CURATED_ACTIONS = "metaads_actions.csv"
CURATED_SUMMARY = "metaads_campaign_summary.csv"
CURATED_PERIODS = "metaads_period_performance.csv"

API_SUFFIXES = (".json",)
EXPORT_SUFFIXES = (".csv",)
RAW_SUFFIX = ".ndjson"

# Spend is kept exactly with at most this many decimals (Meta reports cents); more is refused.
SPEND_SCALE = 2
# Rates Meta computes (cpc, cpm, ctr) and those we compute from totals are rounded to this.
RATE_DECIMALS = 6
CURRENCY_TEXT = r"^[A-Z]{3}$"

API = "api"
MANUAL_EXPORT = "manual_export"
# Coarsest first: sums of additive metrics are taken at the coarsest level reported.
LEVELS = ("campaign", "adset", "ad")

# Graph API error codes that mean "too many calls, back off" and "log in again".
RATE_LIMIT_CODES = frozenset({4, 17, 32, 613, 80000, 80003, 80004})
EXPIRED_TOKEN_CODES = frozenset({102, 190})


class MetaAdsConfigError(Exception):
    """config/metaads.json cannot be used; the message says what to fix."""


@dataclass(frozen=True)
class MetaAdsSettings:
    """`default_currency`: the ad account's currency, for API responses that do not name it."""

    default_currency: str | None = None


def load_settings(lake: Lake) -> MetaAdsSettings:
    """The settings in config/metaads.json; without that file the currency stays unknown."""
    path = lake.config / CONFIG_FILE
    if not path.is_file():
        return MetaAdsSettings()
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise MetaAdsConfigError(f"{path} is not valid JSON: {error}") from None
    if not isinstance(document, dict):
        raise MetaAdsConfigError(
            f'{path} must hold a JSON object such as {{"default_currency": "USD"}}.'
        )
    currency = document.get("default_currency")
    if currency is not None and not (
        isinstance(currency, str) and re.match(CURRENCY_TEXT, currency)
    ):
        raise MetaAdsConfigError(
            f'default_currency in {path} must be a 3-letter currency code such as "USD" or null, '
            f"not {currency!r}."
        )
    return MetaAdsSettings(default_currency=currency)

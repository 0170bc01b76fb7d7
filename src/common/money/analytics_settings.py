"""The label's rules for rates, reconciliation and ad charges (config/money.json).

Every key is optional: a missing file or key is the default below, so a new lake reconciles and
attributes without any setup. A wrong value stops with one sentence naming the key, what is
wrong and what to write instead, because a silently ignored rule would move money figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from common.config_files import read_config_object
from common.lake import Lake

MONEY_CONFIG = "money.json"

# Stores whose lines count downloads, not streams (DistroKid's help lists these download stores).
DEFAULT_DOWNLOAD_STORES = (
    "iTunes Songs",
    "iTunes Albums",
    "iTunes",
    "Beatport",
    "Amazon (Downloads)",
    "Amazon Music (Downloads)",
    "MediaNet",
    "TIDAL (Downloads)",
)
# The distributors' daily-stream platforms → the store their bank details name (keys compared
# case-insensitively, letters and digits only: "Apple Music", "apple" and "applemusic" match).
DEFAULT_STREAM_PLATFORMS = {
    "spotify": "Spotify",
    "apple": "Apple Music",
    "applemusic": "Apple Music",
}


class MoneyConfigError(Exception):
    """config/money.json cannot be used; the message says which key and what to write."""


@dataclass(frozen=True)
class AdChargeRule:
    """Which card charges are Meta billing the ad spend the warehouse already holds."""

    pattern: str = "FACEBK"
    window_days: int = 31
    tolerance_usd: Decimal = Decimal("1.00")

    def matches(self, description: str) -> bool:
        return re.search(self.pattern, description, flags=re.IGNORECASE) is not None


@dataclass(frozen=True)
class MoneyRules:
    """What config/money.json says, defaults filled in."""

    trailing_months: int = 3
    minimum_streams: int = 1000
    download_stores: tuple[str, ...] = DEFAULT_DOWNLOAD_STORES
    lag_quantile_percent: int = 90
    default_lag_months: int = 3
    tolerance_percent: Decimal = Decimal(20)
    stream_platforms: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_STREAM_PLATFORMS))
    ad_charges: AdChargeRule = AdChargeRule()

    def store_for_platform(self, platform: str) -> str:
        """The royalty store a distributor's daily-stream platform is paid under."""
        return self.stream_platforms.get(platform_key(platform), platform)


def platform_key(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", name.lower())


def _whole(document: dict[str, Any], key: str, default: int, lowest: int, shown: str) -> int:
    value = document.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < lowest:
        raise MoneyConfigError(
            f'{shown}: "{key}" is {value!r}; write a whole number of at least {lowest} '
            f'(for example "{key}": {default}).'
        )
    return value


def _amount(document: dict[str, Any], key: str, default: Decimal, shown: str) -> Decimal:
    value = document.get(key, default)
    try:
        if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
            raise InvalidOperation
        amount = Decimal(str(value))
    except InvalidOperation:
        amount = Decimal(-1)
    if not amount.is_finite() or amount < 0:
        raise MoneyConfigError(
            f'{shown}: "{key}" is {value!r}; write a number of 0 or more, for example '
            f'"{key}": "{default}".'
        )
    return amount


def _texts(
    document: dict[str, Any], key: str, default: tuple[str, ...], shown: str
) -> tuple[str, ...]:
    value = document.get(key, list(default))
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise MoneyConfigError(
            f'{shown}: "{key}" must be a list of store names as the bank details spell them, '
            f'for example "{key}": ["iTunes Songs", "Beatport"].'
        )
    return tuple(value)


def _platforms(document: dict[str, Any], shown: str) -> dict[str, str]:
    value = document.get("stream_platforms", {})
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in value.items()
    ):
        raise MoneyConfigError(
            f'{shown}: "stream_platforms" must map a daily-stream platform to the store its '
            'royalties come under, for example "stream_platforms": {"apple": "Apple Music"}.'
        )
    return {**DEFAULT_STREAM_PLATFORMS, **{platform_key(k): v for k, v in value.items()}}


def _ad_charges(document: dict[str, Any], shown: str) -> AdChargeRule:
    value = document.get("ad_charges", {})
    if not isinstance(value, dict):
        raise MoneyConfigError(
            f'{shown}: "ad_charges" must be an object, for example '
            '"ad_charges": {"pattern": "FACEBK", "window_days": 31, "tolerance_usd": "1.00"}.'
        )
    where = f"{shown} (ad_charges)"
    pattern = value.get("pattern", AdChargeRule.pattern)
    try:
        if not isinstance(pattern, str) or not pattern.strip():
            raise re.error("empty")
        re.compile(pattern)
    except re.error:
        raise MoneyConfigError(
            f'{where}: "pattern" is {pattern!r}; write the text that card descriptions of Meta '
            'charges contain, for example "pattern": "FACEBK".'
        ) from None
    return AdChargeRule(
        pattern=pattern,
        window_days=_whole(value, "window_days", AdChargeRule.window_days, 0, where),
        tolerance_usd=_amount(value, "tolerance_usd", AdChargeRule.tolerance_usd, where),
    )


def rules_from(document: dict[str, Any], shown: str = MONEY_CONFIG) -> MoneyRules:
    """Validate one config object; unknown keys are refused so a typo never goes unnoticed."""
    known = {
        "trailing_months", "minimum_streams", "download_stores", "lag_quantile_percent",
        "default_lag_months", "tolerance_percent", "stream_platforms", "ad_charges",
    }  # fmt: skip
    for key in document:
        if key not in known and not key.startswith("_"):
            raise MoneyConfigError(
                f'{shown}: "{key}" is not a money setting; the settings are '
                f'{", ".join(sorted(known))}.'
            )
    quantile = _whole(document, "lag_quantile_percent", 90, 1, shown)
    if quantile > 100:
        raise MoneyConfigError(
            f'{shown}: "lag_quantile_percent" is {quantile}; write a percentage from 1 to 100 '
            "(for example 90: nine stores' reports in ten arrive within the lag)."
        )
    return MoneyRules(
        trailing_months=_whole(document, "trailing_months", 3, 1, shown),
        minimum_streams=_whole(document, "minimum_streams", 1000, 0, shown),
        download_stores=_texts(document, "download_stores", DEFAULT_DOWNLOAD_STORES, shown),
        lag_quantile_percent=quantile,
        default_lag_months=_whole(document, "default_lag_months", 3, 0, shown),
        tolerance_percent=_amount(document, "tolerance_percent", Decimal(20), shown),
        stream_platforms=_platforms(document, shown),
        ad_charges=_ad_charges(document, shown),
    )


def load_money_rules(lake: Lake) -> MoneyRules:
    """The lake's config/money.json, or every default when the file does not exist."""
    path: Path = lake.config / MONEY_CONFIG
    document = read_config_object(path, MoneyConfigError, f"config/{MONEY_CONFIG}")
    return MoneyRules() if document is None else rules_from(document, f"config/{MONEY_CONFIG}")

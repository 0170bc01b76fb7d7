"""Instagram names and settings: zone file names, metric names, API codes, config/instagram.json."""

from __future__ import annotations

from dataclasses import dataclass

from common.config_files import read_config_object
from common.lake import Lake

SERVICE = "instagram"
CONFIG_FILE = "instagram.json"
TOKEN_ENV = "INSTAGRAM_ACCESS_TOKEN"
USER_ENV = "INSTAGRAM_USER_ID"

CURATED_DAILY = "instagram_daily_curated.csv"
CURATED_MEDIA = "instagram_media_curated.csv"
CURATED_MEDIA_DAILY = "instagram_media_daily_curated.csv"
STAGING_DAILY = "instagram_daily_metrics.csv"
STAGING_MEDIA = "instagram_media_snapshots.csv"

API_SUFFIXES = (".json",)
EXPORT_SUFFIXES = (".csv",)
RAW_SUFFIX = ".ndjson"
# Insights days are the account's reporting days: Pacific calendar days (FORMATS.md §2.9).
PACIFIC = "America/Los_Angeles"
PULL_DOCUMENT = "instagram_graph_api_pull"

# The API's metric names that land under another column name.
METRIC_COLUMNS = {"follower_count": "new_followers"}
# The daily columns of instagram_daily_curated.csv, in order; a metric the API no longer serves
# stays an empty column. `followers` is the account's follower total, seen on the pull day.
DAILY_COLUMNS = (
    "views",
    "views_follower",
    "views_non_follower",
    "reach",
    "profile_views",
    "website_clicks",
    "profile_links_taps",
    "accounts_engaged",
    "total_interactions",
    "likes",
    "comments",
    "shares",
    "saves",
    "new_followers",
    "followers",
)
FOLLOWERS = "followers"
MEDIA_METRICS = ("reach", "views", "likes", "comments", "saved", "shares")
MEDIA_FIELDS = (
    "media_id",
    "media_type",
    "media_product_type",
    "caption_excerpt",
    "posted_at",
    "posted_date",
    "permalink",
)
CAPTION_EXCERPT = 100

# Meta Business Suite export titles (lower case, without an "Instagram " prefix) -> column.
BUSINESS_SUITE_TITLES = {
    "views": "views",
    "reach": "reach",
    "visits": "profile_views",
    "profile visits": "profile_views",
    "follows": "new_followers",
    "new follows": "new_followers",
    "interactions": "total_interactions",
    "content interactions": "total_interactions",
    "link clicks": "website_clicks",
    "external link taps": "profile_links_taps",
    "accounts engaged": "accounts_engaged",
}
BUSINESS_SUITE_HEADER = ("Date", "Primary")

# Graph API error codes: "too many calls, back off", "log in again", "no such metric (any more)".
RATE_LIMIT_CODES = frozenset({4, 17, 32, 613, 80001, 80002})
EXPIRED_TOKEN_CODES = frozenset({102, 190})
UNSUPPORTED_METRIC_CODE = 100
# The account of an export's rows when neither config nor the pulls say which account it is.
DEFAULT_ACCOUNT = "instagram"


class InstagramConfigError(Exception):
    """config/instagram.json cannot be used; the message says what to fix."""


@dataclass(frozen=True)
class InstagramSettings:
    """`account`: the username a Business Suite export's rows are filed under (the export does
    not say which account it is); None when config/instagram.json does not say, and the lake
    then takes the account its API pulls name (instagram.accounts)."""

    account: str | None = None


def load_settings(lake: Lake) -> InstagramSettings:
    """config/instagram.json, optional: `{"account": "zone.a0"}`."""
    path = lake.config / CONFIG_FILE
    document = read_config_object(path, InstagramConfigError, f"config/{CONFIG_FILE}")
    if document is None or "account" not in document:
        return InstagramSettings()
    account = document["account"]
    if not isinstance(account, str) or not account.strip():
        raise InstagramConfigError(
            f'config/{CONFIG_FILE}: account must be the Instagram username, such as "zone.a0".'
        )
    return InstagramSettings(account.strip())

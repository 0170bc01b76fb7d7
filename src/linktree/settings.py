"""Linktree constants: GraphQL root fields and sections, zone file names, curated columns."""

from __future__ import annotations

import re

SERVICE = "linktree"
CAPTURE_SUFFIX = ".json"

# The analytics query answers under this root field; each section is one part of the dashboard.
ANALYTICS_ROOT = "getAccountAnalytics"
ANALYTICS_SECTIONS = (
    "overview",
    "links",
    "socials",
    "referrers",
    "locations",
    "devices",
    "lifetime",
    "subscribers",
)
# Link titles come from a separate query whose root fields are aliases `link<ID>`.
LINK_ALIAS = re.compile(r"link(\d+)")
# Keys that mark a captured operation record (`{operationName, query, variables, response}`).
RECORD_KEYS = frozenset({"operationName", "query", "variables", "response"})
# Keys of a bare GraphQL response body, as the earlier extractor saved them.
RESPONSE_KEYS = frozenset({"data", "errors"})

PAYLOAD_ANALYTICS = "analytics"
PAYLOAD_LINK_TITLES = "link_titles"

RAW_SUFFIX = ".ndjson"

# Staging tables (3_staging/linktree/<name>.csv) and their natural keys.
DAILY = "daily"
LINKS = "links"
LINK_TITLES = "link_titles"
SOCIALS = "socials"
REFERRERS = "referrers"
LOCATIONS = "locations"
STAGING_TABLES = (DAILY, LINKS, LINK_TITLES, SOCIALS, REFERRERS, LOCATIONS)
# Daily series: one row per key, the newest extraction winning.
DAILY_KEYS = {DAILY: ("date",), SOCIALS: ("date", "social"), LINK_TITLES: ("link_id",)}
# Window totals: one snapshot per capture day and query; the newest capture owns it whole.
SNAPSHOT = ("captured_on", "query_variables")
SNAPSHOT_KEYS = {
    LINKS: ("link_id",),
    REFERRERS: ("referrer",),
    LOCATIONS: ("level", "country_code", "name", "latitude", "longitude"),
}

CURATED_NAMES = {
    DAILY: "linktree_analytics_curated.csv",
    LINKS: "linktree_links_curated.csv",
    SOCIALS: "linktree_socials_curated.csv",
    REFERRERS: "linktree_referrers_curated.csv",
    LOCATIONS: "linktree_locations_curated.csv",
}
PROVENANCE = ("extracted_at", "source_file")
CURATED_COLUMNS = {
    DAILY: (
        "date",
        "total_views",
        "unique_views",
        "total_clicks",
        "unique_clicks",
        "ctr",
        "ctr_is_computed",
        "is_partial_day",
        *PROVENANCE,
    ),
    LINKS: (
        "captured_on",
        "link_id",
        "title",
        "active",
        "clicks",
        "query_variables",
        *PROVENANCE,
    ),
    SOCIALS: ("date", "social", "views", "clicks", "is_partial_day", *PROVENANCE),
    REFERRERS: (
        "captured_on",
        "referrer",
        "views",
        "clicks",
        "ctr",
        "ctr_is_computed",
        "query_variables",
        *PROVENANCE,
    ),
    LOCATIONS: (
        "captured_on",
        "level",
        "country_code",
        "name",
        "latitude",
        "longitude",
        "views",
        "clicks",
        "ctr",
        "ctr_is_computed",
        "query_variables",
        *PROVENANCE,
    ),
}
# Linktree reports CTR with 4 decimals; a filled-in CTR is rounded the same way.
CTR_DECIMALS = 4

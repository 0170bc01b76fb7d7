"""Linktree declares itself: its curated datasets, login, freshness windows and demo."""

from __future__ import annotations

from common.declarations import Dataset, HealthWindow, LoginDeclaration, ServiceDeclaration
from linktree.settings import (
    CURATED_NAMES,
    DAILY,
    DAILY_KEYS,
    LINKS,
    LOCATIONS,
    REFERRERS,
)
from linktree.settings import SERVICE as NAME
from linktree.settings import SNAPSHOT, SNAPSHOT_KEYS, SOCIALS

SERVICE = ServiceDeclaration(
    NAME,
    datasets=(
        Dataset(DAILY, CURATED_NAMES[DAILY], keys=DAILY_KEYS[DAILY], loader="link_analytics"),
        Dataset(SOCIALS, CURATED_NAMES[SOCIALS], keys=DAILY_KEYS[SOCIALS]),
        # Window totals: one snapshot per capture day and query.
        *(
            Dataset(table, CURATED_NAMES[table], keys=(*SNAPSHOT, *SNAPSHOT_KEYS[table]))
            for table in (LINKS, REFERRERS, LOCATIONS)
        ),
    ),
    login=LoginDeclaration(
        "playwright", max_age_days=30, refresh_interval_days=14, priority="MEDIUM"
    ),
    health=HealthWindow(warn_days=2, fail_days=5),
    priority="MEDIUM",
    demo_writer="linktree.demo:write_linktree",
    description="Daily views and clicks, link clicks, socials, referrers and locations.",
)

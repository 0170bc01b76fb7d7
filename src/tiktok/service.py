"""TikTok declares itself: its curated datasets, one login per account, freshness windows, demo."""

from __future__ import annotations

from common.declarations import Dataset, HealthWindow, LoginDeclaration, ServiceDeclaration
from tiktok.settings import CURATED_NAMES, DAILY_CURATED
from tiktok.settings import SERVICE as NAME

# Snapshots (gender, territories) are keyed by the day they were exported.
_KEYS = {
    "follower_activity": ("account", "date", "hour"),
    "viewers": ("account", "date"),
    "content": ("account", "date", "video_id"),
    "follower_gender": ("account", "export_date", "gender"),
    "follower_territories": ("account", "export_date", "territory"),
}

SERVICE = ServiceDeclaration(
    NAME,
    datasets=(
        Dataset("daily", DAILY_CURATED, keys=("account", "date"), loader="tiktok_daily"),
        *(Dataset(name, CURATED_NAMES[name], keys=keys) for name, keys in _KEYS.items()),
    ),
    # Each account keeps its own browser session.
    login=LoginDeclaration(
        "playwright",
        max_age_days=30,
        refresh_interval_days=7,
        priority="HIGH",
        accounts=("zone.a0", "pig1987"),
    ),
    health=HealthWindow(warn_days=2, fail_days=5),
    priority="HIGH",
    demo_writer="tiktok.demo:write_tiktok",
    description="TikTok Studio analytics exports of the label's accounts.",
)

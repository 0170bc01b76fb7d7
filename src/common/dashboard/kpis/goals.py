"""The label's goals from config/dashboard.json, and how far the figures are toward them.

    {"goals": {"monthly_revenue_usd": "500.00", "monthly_streams": 100000, "followers": 10000}}

Every key is optional; a goal not set shows "no goal set".
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from common.lake import Lake

DASHBOARD_CONFIG = "dashboard.json"
GOAL_KEYS = ("monthly_revenue_usd", "monthly_streams", "followers")


class GoalsError(ValueError):
    """config/dashboard.json's goals cannot be read; the message names the entry."""


@dataclass(frozen=True)
class Goals:
    monthly_revenue_usd: Decimal | None = None
    monthly_streams: int | None = None
    followers: int | None = None


def _number(key: str, value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, str, float)):
        raise GoalsError(f"config/{DASHBOARD_CONFIG}: goals.{key} must be a number.")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise GoalsError(f"config/{DASHBOARD_CONFIG}: goals.{key} must be a number.") from None
    if not number.is_finite() or number <= 0:
        raise GoalsError(f"config/{DASHBOARD_CONFIG}: goals.{key} must be above 0.")
    return number


def goals_version(lake: Lake) -> tuple[int, int]:
    """What changes when config/dashboard.json is edited (its time and size; 0s when absent):
    part of the cache key of every answer that shows the goals, so an edit shows at once."""
    try:
        status = (lake.config / DASHBOARD_CONFIG).stat()
    except OSError:
        return (0, 0)
    return (status.st_mtime_ns, status.st_size)


def load_goals(lake: Lake) -> Goals:
    path = lake.config / DASHBOARD_CONFIG
    if not path.is_file():
        return Goals()
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise GoalsError(f"config/{DASHBOARD_CONFIG} is not valid JSON ({error}).") from None
    raw = document.get("goals", {}) if isinstance(document, dict) else None
    if not isinstance(raw, dict):
        raise GoalsError(f"config/{DASHBOARD_CONFIG}: goals must be an object.")
    unknown = sorted(set(raw) - set(GOAL_KEYS))
    if unknown:
        raise GoalsError(
            f"config/{DASHBOARD_CONFIG}: unknown goal {', '.join(unknown)}; "
            f"the goals are {', '.join(GOAL_KEYS)}."
        )
    revenue = raw.get("monthly_revenue_usd")
    streams = raw.get("monthly_streams")
    followers = raw.get("followers")
    return Goals(
        None if revenue is None else _number("monthly_revenue_usd", revenue),
        None if streams is None else int(_number("monthly_streams", streams)),
        None if followers is None else int(_number("followers", followers)),
    )


def progress_text(actual: Decimal | int | None, goal: Decimal | int | None, shown: str) -> str:
    """'412 of 500 (82 %)' style text; the caller formats the figures."""
    if goal is None:
        return "no goal set"
    if actual is None:
        return "no data yet"
    share = Decimal(actual) * 100 / Decimal(goal)
    return f"{shown} ({share:.0f} %)"

"""A service's saved-login state, as the health report shows it.

Until the cookie checker exists this only reports the age of whatever `src/<service>/cookies/`
holds; the checker replaces `cookie_status` and may return "expiring" or "expired", which the
scoring already counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from common.health.zone_data import age_in_days
from common.lake import Lake

CookieState = Literal["n/a", "saved", "expiring", "expired"]


@dataclass(frozen=True)
class CookieStatus:
    state: CookieState
    age_days: int | None = None

    def describe(self) -> str:
        if self.age_days is None:
            return self.state
        return f"{self.state} {self.age_days}d"


def cookie_status(lake: Lake, service: str, now: datetime) -> CookieStatus:
    folder = lake.src / service / "cookies"
    try:
        saved = [p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")]
        newest = max((datetime.fromtimestamp(p.stat().st_mtime) for p in saved), default=None)
    except OSError:  # a folder only its owner may read: nothing to report, not a failure
        return CookieStatus("n/a")
    if newest is None:
        return CookieStatus("n/a")
    return CookieStatus("saved", age_in_days(newest, now))

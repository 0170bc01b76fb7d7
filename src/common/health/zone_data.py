"""Which files of a zone belong to a service, how old its newest data is, and its registries.

A file's data time is the `YYYYMMDD_HHMMSS` its name carries, else its modification time. Curated
files may sit at the top of 4_curated (shared datasets such as tidy_daily_streams.csv): a service
owns the files in `4_curated/<service>/` plus the outputs its staging2curated step recorded in
`4_curated/<service>/_hashes.json`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from common.hashing import HashRegistry
from common.health.config import FreshnessWindow
from common.lake import Lake
from common.zones import CURATED, data_files, file_timestamp, is_zone_data_file, service_zone

FreshnessState = Literal["ok", "warn", "fail", "empty"]
SECONDS_PER_DAY = 86400


def data_time(path: Path) -> datetime:
    return file_timestamp(path)


def age_in_days(when: datetime, now: datetime) -> int:
    """Whole days from `when` to `now`; data stamped in the future is 0 days old."""
    return max(0, math.floor((now - when).total_seconds() / SECONDS_PER_DAY))


def read_registry(folder: Path) -> HashRegistry | None:
    """The `_hashes.json` of a step's output folder, or None when it cannot be read."""
    try:
        return HashRegistry(folder)
    except (OSError, ValueError, TypeError):
        return None


def curated_files(lake: Lake, service: str) -> list[Path]:
    folder = service_zone(lake, CURATED, service)
    found = set(data_files(folder))
    registry = read_registry(folder)
    for entry in registry.entries.values() if registry else []:
        for output in entry.outputs:
            path = lake.root / output
            if is_zone_data_file(path):
                found.add(path)
    return sorted(found)


def service_files(lake: Lake, zone: str, service: str) -> list[Path]:
    """The data files of `service` in `zone` (for 4_curated, see the module's rule)."""
    if zone == CURATED:
        return curated_files(lake, service)
    return data_files(service_zone(lake, zone, service))


def judge(age_days: int | None, window: FreshnessWindow) -> FreshnessState:
    if age_days is None:
        return "empty"
    if age_days >= window.fail_days:
        return "fail"
    if age_days >= window.warn_days:
        return "warn"
    return "ok"


@dataclass(frozen=True)
class ZoneFreshness:
    """The newest data of one service in one zone, judged against the service's window."""

    zone: str
    files: int
    newest: datetime | None
    age_days: int | None
    state: FreshnessState


def zone_freshness(
    lake: Lake, zone: str, service: str, window: FreshnessWindow, now: datetime
) -> ZoneFreshness:
    files = service_files(lake, zone, service)
    if not files:
        return ZoneFreshness(zone, 0, None, None, "empty")
    newest = max(data_time(path) for path in files)
    age = age_in_days(newest, now)
    return ZoneFreshness(zone, len(files), newest, age, judge(age, window))

"""What the runner's tests share: a one-row export for a scaffolded service, and whether a process
the runner started is still alive."""

from __future__ import annotations

import os
from pathlib import Path

from common.lake import Lake


def drop_daily(lake: Lake, service: str) -> None:
    """A one-row export of a service made by `bedrot new-service`, dropped in its landing zone."""
    landing = lake.zone("1_landing") / service / f"{service}_daily_20261101_060000.csv"
    landing.write_text("date,plays\n2026-10-31,7\n", encoding="utf-8")


def process_alive(pid: int) -> bool:
    """Whether `pid` runs (a zombie waiting for its parent to collect it does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    return not (status.exists() and "State:\tZ" in status.read_text())

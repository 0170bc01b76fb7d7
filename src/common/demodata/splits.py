"""The demo label's deals (config/splits.json): two payees, a share that changes inside 2025-Q3,
a collaboration shared by ISRC, and an advance that takes two quarters to recoup."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from common.demodata.catalog import PIG1987, SIGNAL_FIRE, TRACKS, ZONE_A0

_SIGNAL_FIRE_ISRC = next(track.isrc for track in TRACKS if track.release is SIGNAL_FIRE)

DEMO_SPLITS: dict[str, Any] = {
    "minimum_payout_usd": "25.00",
    "payees": [
        {"name": PIG1987.name, "email": "pig1987@example.com"},
        {"name": ZONE_A0.name, "email": "zone.a0@example.com"},
    ],
    "shares": [
        {"payee": PIG1987.name, "artist": PIG1987.name, "percent": "60"},
        {"payee": ZONE_A0.name, "artist": "zone.a0", "percent": "50"},
        {"payee": ZONE_A0.name, "artist": "zone.a0", "percent": "70", "from": "2025-08-01"},
        {"payee": PIG1987.name, "isrc": _SIGNAL_FIRE_ISRC, "percent": "40"},
        {"payee": ZONE_A0.name, "isrc": _SIGNAL_FIRE_ISRC, "percent": "40"},
    ],
    "advances": [
        {"payee": ZONE_A0.name, "amount_usd": "60.00", "date": "2025-03-01", "note": "mastering"}
    ],
}


def write_demo_splits(path: Path) -> Path:
    """config/splits.json of the demo lake."""
    path.write_text(json.dumps(DEMO_SPLITS, indent=2) + "\n", encoding="utf-8")
    return path

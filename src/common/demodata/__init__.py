"""Deterministic demo landing files for every service of the BEDROT label, year 2025."""

from __future__ import annotations

from pathlib import Path

from common.demodata.capitalone import write_capitalone
from common.demodata.distrokid import write_distrokid
from common.demodata.toolost import write_toolost


def write_all(landing_root: Path) -> list[Path]:
    """Write each service's demo exports into `landing_root/<service>/` and return them."""
    return [
        *write_distrokid(landing_root / "distrokid"),
        *write_toolost(landing_root / "toolost"),
        *write_capitalone(landing_root / "capitalone"),
    ]

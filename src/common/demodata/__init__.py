"""Deterministic demo landing files for every service of the BEDROT label, year 2025."""

from __future__ import annotations

from pathlib import Path

from common.demodata.capitalone import write_capitalone
from common.demodata.distrokid import write_distrokid
from common.demodata.linktree import write_linktree
from common.demodata.metaads import write_metaads
from common.demodata.spotify import write_spotify
from common.demodata.tiktok import write_tiktok
from common.demodata.toolost import write_toolost

WRITERS = {
    "distrokid": write_distrokid,
    "toolost": write_toolost,
    "capitalone": write_capitalone,
    "spotify": write_spotify,
    "tiktok": write_tiktok,
    "linktree": write_linktree,
    "metaads": write_metaads,
}


def write_all(landing_root: Path) -> list[Path]:
    """Write each service's demo exports into `landing_root/<service>/` and return them."""
    return [path for service, write in WRITERS.items() for path in write(landing_root / service)]

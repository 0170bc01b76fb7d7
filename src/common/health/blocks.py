"""Stuck data: files in a zone that the service's next cleaner has not processed or quarantined.

A cleaner's `_hashes.json` lives in its output zone and records every input it handled, so a file
of the input zone with no entry there is waiting. Files the cleaner quarantined are recorded too,
so they are never blocks. Backlog is the part of the blocks that a previous run left behind: files
that were already there when the service's last recorded run ended.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from common.discovery import Service
from common.hashing import HashRegistry, RegistryEntry, stat_identity
from common.health.zone_data import data_time, read_registry
from common.lake import Lake
from common.pipeline.freshness import cleaner_zones
from common.zones import LANDING, data_files, service_zone


@dataclass(frozen=True)
class Block:
    """Files of `zone` that the cleaner into `next_zone` has not handled yet."""

    zone: str
    next_zone: str
    cleaner: Path
    files: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"{self.zone}->{self.next_zone}"


def _entry(
    registry: HashRegistry | None, path: Path, source: str, zone: str
) -> RegistryEntry | None:
    """The same identity the cleaners use: content hash in landing, path+size+mtime later."""
    if registry is None:
        return None
    digest = registry.digest_of(path, source) if zone == LANDING else stat_identity(path, source)
    return registry.get(digest)


def pending_files(lake: Lake, service: str, zone: str, next_zone: str) -> tuple[str, ...]:
    registry = read_registry(service_zone(lake, next_zone, service))
    pending = []
    for path in data_files(service_zone(lake, zone, service)):
        source = lake.relative(path)
        if _entry(registry, path, source, zone) is None:
            pending.append(source)
    return tuple(pending)


def newest_quarantined(lake: Lake, service: str, zone: str, next_zone: str) -> str | None:
    """A file among the newest of `zone` that the next step quarantined: newer data stopped."""
    files = data_files(service_zone(lake, zone, service))
    if not files:
        return None
    times = {path: data_time(path) for path in files}
    newest = max(times.values())
    registry = read_registry(service_zone(lake, next_zone, service))
    for path in (p for p, when in times.items() if when == newest):
        entry = _entry(registry, path, lake.relative(path), zone)
        if entry is not None and entry.status == "quarantined":
            return path.name
    return None


def find_blocks(lake: Lake, service: Service) -> list[Block]:
    """The service's blocked steps, in zone order; a zone with no cleaner after it is skipped."""
    blocks = []
    for cleaner in service.cleaners:
        zones = cleaner_zones(cleaner)
        if zones is None:
            continue
        files = pending_files(lake, service.name, *zones)
        if files:
            blocks.append(Block(zones[0], zones[1], cleaner, files))
    return blocks


def cleaners_to_drain(service: Service, blocks: list[Block]) -> list[Path]:
    """The service's cleaners from the first blocked zone onward, in run order."""
    if not blocks:
        return []
    first = service.cleaners.index(blocks[0].cleaner)
    return list(service.cleaners[first:])


def arrival_time(path: Path) -> float:
    """When a file came into its folder: its modification time, or its status-change time when
    later (on Windows its creation time), since a copy that keeps the original's modification
    time still arrives when it is copied."""
    stat = path.stat()
    return max(stat.st_mtime, stat.st_ctime)


def backlog(lake: Lake, blocks: list[Block], last_run_ended: float | None) -> list[Block]:
    """The blocks' files that arrived before the service's last recorded run ended (epoch
    seconds): that run left them unpromoted. None means no run has seen the service yet."""
    if last_run_ended is None:
        return []
    found = []
    for block in blocks:
        files = tuple(f for f in block.files if arrival_time(lake.root / f) < last_run_ended)
        if files:
            found.append(replace(block, files=files))
    return found

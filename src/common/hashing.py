"""Streaming SHA-256 and the `_hashes.json` registry: a re-dropped identical file is a no-op."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

from common.zones import atomic_write_text

REGISTRY_NAME = "_hashes.json"
CHUNK_SIZE = 1 << 20
Status = Literal["processed", "quarantined"]


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file, read in 1 MiB chunks so large exports never sit in memory."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK_SIZE):
            digest.update(chunk)
    return digest.hexdigest()


def stat_identity(path: Path, source: str) -> str:
    """A key for a file the pipeline wrote itself: its path, size and modification time."""
    stat = path.stat()
    return f"stat:{source}:{stat.st_size}:{stat.st_mtime_ns}"


@dataclass
class RegistryEntry:
    """What became of one input file, identified by its content hash."""

    source: str
    status: Status
    size: int
    mtime_ns: int
    recorded_at: str
    outputs: list[str] = field(default_factory=list)
    reason: str = ""
    aliases: dict[str, list[int]] = field(default_factory=dict)
    # For a file refused for want of configuration: the state of config/ when it was refused.
    config_state: str = ""

    @property
    def also_seen(self) -> list[str]:
        """Other paths that held the same content (identical re-drops)."""
        return list(self.aliases)


class HashRegistry:
    """`_hashes.json` in a service's output zone folder: sha256 → what became of that input.

    The file's size and modification time are kept too, so an unchanged file is recognised
    without reading it again; a changed one is hashed.
    """

    def __init__(self, folder: Path) -> None:
        self.path = folder / REGISTRY_NAME
        self.entries: dict[str, RegistryEntry] = {}
        self.dirty = False
        self._by_stat: dict[tuple[str, int, int], str] = {}
        if self.path.exists():
            self._load()

    def _load(self) -> None:
        document: dict[str, Any] = json.loads(self.path.read_text(encoding="utf-8"))
        for digest, raw in document.get("files", {}).items():
            entry = RegistryEntry(**raw)
            self.entries[digest] = entry
            self._by_stat[(entry.source, entry.size, entry.mtime_ns)] = digest
            for alias, (size, mtime_ns) in entry.aliases.items():
                self._by_stat[(alias, size, mtime_ns)] = digest

    def digest_of(self, path: Path, source: str) -> str:
        """The file's SHA-256, from the registry when path, size and mtime are unchanged."""
        stat = path.stat()
        known = self._by_stat.get((source, stat.st_size, stat.st_mtime_ns))
        return known if known is not None else sha256_file(path)

    def get(self, digest: str) -> RegistryEntry | None:
        return self.entries.get(digest)

    def record(
        self,
        digest: str,
        path: Path,
        source: str,
        status: Status,
        outputs: list[str] | None = None,
        reason: str = "",
        config_state: str = "",
    ) -> None:
        stat = path.stat()
        previous = self.entries.get(digest)
        entry = RegistryEntry(
            source=source,
            status=status,
            size=stat.st_size,
            mtime_ns=stat.st_mtime_ns,
            recorded_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
            outputs=outputs or [],
            reason=reason,
            aliases=previous.aliases if previous else {},
            config_state=config_state,
        )
        self.entries[digest] = entry
        self._by_stat[(source, entry.size, entry.mtime_ns)] = digest
        self.dirty = True

    def remember_alias(self, digest: str, path: Path, source: str) -> None:
        """Note that `source` holds the same content as the entry, so later runs skip it quietly."""
        stat = path.stat()
        self.entries[digest].aliases[source] = [stat.st_size, stat.st_mtime_ns]
        self._by_stat[(source, stat.st_size, stat.st_mtime_ns)] = digest
        self.dirty = True

    def save(self) -> None:
        """Write the registry atomically, when anything was recorded since it was read."""
        if not self.dirty:
            return
        document = {
            "version": 1,
            "files": {digest: asdict(entry) for digest, entry in sorted(self.entries.items())},
        }
        atomic_write_text(self.path, json.dumps(document, indent=2, sort_keys=True) + "\n")
        self.dirty = False

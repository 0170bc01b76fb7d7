"""Streaming SHA-256 and the `_hashes.json` registry: a re-dropped identical file is a no-op."""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

from common.lake import ZONE_NAMES
from common.logs import LOGGER_NAME
from common.zones import LANDING, QUARANTINE_FOLDER, atomic_copy, atomic_write_text

REGISTRY_NAME = "_hashes.json"
REASON_SUFFIX = ".reason.json"
# Where a registry that cannot be read is kept, for whoever wants to see what it held.
DAMAGED_SUFFIX = ".damaged"
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


def _quarantined_input(root: Path, reason_file: Path) -> tuple[Path, str, str] | None:
    """(the input, its lake-relative name, why) a quarantine reason file names, when the input
    and its quarantined copy are both still there."""
    try:
        reason = json.loads(reason_file.read_text(encoding="utf-8"))
        source, why = str(reason["file"]), str(reason.get("what_failed", ""))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    original = root / source
    copy = reason_file.with_name(reason_file.name[: -len(REASON_SUFFIX)])
    if not original.is_file() or not copy.is_file():
        return None
    return original, source, why


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
            try:
                self._load()
            except (OSError, ValueError, TypeError, AttributeError) as error:
                self._start_over(error)

    def _load(self) -> None:
        document: dict[str, Any] = json.loads(self.path.read_text(encoding="utf-8"))
        for digest, raw in document.get("files", {}).items():
            entry = RegistryEntry(**raw)
            if not isinstance(entry.aliases, dict) or not isinstance(entry.outputs, list):
                raise TypeError(f"the entry of {entry.source} is not a registry entry")
            self.entries[digest] = entry
            self._by_stat[(entry.source, entry.size, entry.mtime_ns)] = digest
            for alias, (size, mtime_ns) in entry.aliases.items():
                self._by_stat[(alias, size, mtime_ns)] = digest

    def _start_over(self, error: Exception) -> None:
        """A registry cut short (a full disk, a copy interrupted by hand) or edited into
        something else: set it aside and rebuild it from the zone. What was quarantined stays
        quarantined (its reason file says which input it was); every other input is processed
        once more, and its outputs, named from their input, are rewritten in place, never
        doubled. Said once: the rebuilt registry is saved at once (the damaged one copied aside),
        so the next reader finds it whole."""
        self.entries.clear()
        self._by_stat.clear()
        aside = self.path.with_name(self.path.name + DAMAGED_SUFFIX)
        recovered = self._recover_quarantined()
        self.dirty = True
        try:
            atomic_copy(self.path, aside)
            self.save()  # a reader (health) rebuilds it too, so the next cleaner finds it whole
        except OSError:
            aside = self.path  # left where it is: the next reader tries again
        logging.getLogger(LOGGER_NAME).warning(
            "%s could not be read (%s): it is rebuilt from the files of %s (%d quarantined "
            "file(s) recognised); the damaged copy is kept as %s.",
            self.path,
            type(error).__name__,
            self.path.parent,
            recovered,
            aside.name,
        )

    def _recover_quarantined(self) -> int:
        """Entries for the inputs this registry's step quarantined, from the reason files beside
        the copies in `<input zone>/_quarantine/<service>/`: an input whose content is still
        that of its copy is quarantined already, and is not quarantined a second time."""
        service_folder = self.path.parent
        zone_folder = service_folder.parent
        zones = list(ZONE_NAMES)
        if zone_folder.name not in zones[1:]:
            return 0
        input_zone = zones[zones.index(zone_folder.name) - 1]
        root = zone_folder.parent
        held = root / input_zone / QUARANTINE_FOLDER / service_folder.name
        recovered = 0
        for reason_file in sorted(held.glob(f"*{REASON_SUFFIX}")):
            found = _quarantined_input(root, reason_file)
            if found is None:
                continue
            original, source, reason = found
            digest = sha256_file(original)
            if digest != sha256_file(
                reason_file.with_name(reason_file.name[: -len(REASON_SUFFIX)])
            ):
                continue  # the input changed since: it is new, and is processed
            if input_zone != LANDING:  # later zones key their files by path, size and time
                digest = stat_identity(original, source)
            if digest not in self.entries:
                self.record(digest, original, source, "quarantined", reason=reason)
                recovered += 1
        return recovered

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

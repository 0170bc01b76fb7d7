"""The two shapes of a cleaner step: file by file (landing → raw) and rebuild-when-changed.

Both keep a `_hashes.json` registry in the output zone, so a file already seen is never processed
twice, and both quarantine a rejected file with its reason while the other files carry on.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from common.hashing import HashRegistry, RegistryEntry, stat_identity
from common.lake import Lake
from common.ledger import note_read, note_written
from common.quarantine import RejectedFile, quarantine_file
from common.script import EXIT_FAILED, EXIT_OK, ScriptContext
from common.zones import (
    LANDING,
    DiskFullError,
    FileInUseError,
    data_files,
    ensure_service_zone,
    service_zone,
)

Parsed = TypeVar("Parsed")


# Settings of the health monitor, reports and retention: editing them re-runs no cleaner.
NOT_CLEANER_CONFIG = frozenset(
    {
        "health.json",
        "maintenance.json",
        "pipeline.json",
        "cookie_refresh_config.json",
        "services.json",
        "README.md",
    }
)
# Extractor settings (URLs, selectors, API versions) change what is fetched, never how it is read.
EXTRACTOR_CONFIG_FOLDER = "extractors"


def cleaner_config_files(lake: Lake) -> list[Path]:
    """The files of config/ that cleaners may read (artists, per-service settings)."""
    if not lake.config.is_dir():
        return []
    return sorted(
        p
        for p in lake.config.rglob("*")
        if p.is_file()
        and p.name not in NOT_CLEANER_CONFIG
        and p.relative_to(lake.config).parts[0] != EXTRACTOR_CONFIG_FOLDER
    )


def config_state(lake: Lake) -> str:
    """A fingerprint of the config/ files cleaners read (names, sizes, modification times)."""
    files = cleaner_config_files(lake)
    lines = [
        f"{p.relative_to(lake.root).as_posix()}|{p.stat().st_size}|{p.stat().st_mtime_ns}"
        for p in files
    ]
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


@dataclass
class StepReport:
    """What one step did, for its closing log line."""

    new: list[str] = field(default_factory=list)
    known: int = 0
    quarantined: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return EXIT_FAILED if self.failed else EXIT_OK


@dataclass
class _NewFile:
    path: Path
    source: str
    digest: str


class _Step:
    """Shared bookkeeping: the input files, the registry, quarantine and the closing line."""

    def __init__(
        self,
        ctx: ScriptContext,
        source_zone: str,
        target_zone: str,
        name: str,
        select: Callable[[Path], bool] | None = None,
    ):
        self.ctx = ctx
        self.select = select or (lambda path: True)
        self.source_zone = source_zone
        self.name = name
        self.input_folder = service_zone(ctx.lake, source_zone, ctx.service)
        self.output_folder = ensure_service_zone(ctx.lake, target_zone, ctx.service)
        self.registry = HashRegistry(self.output_folder)
        self.report = StepReport()
        self._digests: dict[str, str] = {}
        self._config_state: str | None = None

    def relative(self, path: Path) -> str:
        return self.ctx.lake.relative(path)

    def digest(self, path: Path, source: str) -> str:
        """The identity the registry keys a file by, worked out at most once per run.

        Landing files are identified by their SHA-256, so a file dropped again under any name is
        recognised. Files of later zones are written only by our own steps, atomically and
        never in place, so path, size and mtime identify them without reading them again.
        """
        if source not in self._digests:
            if self.source_zone == LANDING:
                self._digests[source] = self.registry.digest_of(path, source)
            else:
                self._digests[source] = stat_identity(path, source)
        return self._digests[source]

    def inputs(self) -> list[Path]:
        return [path for path in data_files(self.input_folder) if self.select(path)]

    def new_files(self) -> list[_NewFile]:
        """Input files whose content the registry has not seen; identical re-drops are logged."""
        fresh: list[_NewFile] = []
        seen_now: dict[str, str] = {}
        for path in self.inputs():
            source = self.relative(path)
            digest = self.digest(path, source)
            entry = self.registry.get(digest)
            if entry is None and digest in seen_now:
                self.ctx.log.info(
                    "%s is identical to %s in the same drop: processed once.",
                    source,
                    seen_now[digest],
                )
                self.report.known += 1
                continue
            if entry is None or self._config_changed_since(entry):
                if entry is not None:
                    self.ctx.log.info(
                        "Retrying %s: config/ changed since it was quarantined (%s).",
                        source,
                        entry.reason,
                    )
                seen_now[digest] = source
                fresh.append(_NewFile(path, source, digest))
                continue
            self.report.known += 1
            if entry.source != source and source not in entry.also_seen:
                self.ctx.log.info(
                    "%s is identical to %s (already %s): nothing to do.",
                    source,
                    entry.source,
                    entry.status,
                )
                self.registry.remember_alias(digest, path, source)
        return fresh

    def _config_changed_since(self, entry: RegistryEntry) -> bool:
        if entry.status != "quarantined" or not entry.config_state:
            return False
        if self._config_state is None:
            self._config_state = config_state(self.ctx.lake)
        return entry.config_state != self._config_state

    def reject(self, new: _NewFile, error: RejectedFile) -> None:
        held = quarantine_file(
            self.ctx.lake, self.source_zone, self.ctx.service, new.path, error, self.name
        )
        self.registry.record(
            new.digest,
            new.path,
            new.source,
            "quarantined",
            reason=str(error),
            config_state=config_state(self.ctx.lake) if error.depends_on_config else "",
        )
        self.report.quarantined.append(new.source)
        self.ctx.log.warning(
            "Quarantined %s: %s (reason in %s)", new.source, error, self.relative(held.reason_file)
        )

    def fail(self, what: str, error: Exception) -> None:
        self.report.failed.append(what)
        if isinstance(error, FileInUseError):  # the sentence says it all: no traceback
            self.ctx.log.error("Could not process %s: %s", what, error.strerror)
            return
        self.ctx.log.error(
            "Could not process %s: %s: %s", what, type(error).__name__, error, exc_info=True
        )

    def finish(self) -> StepReport:
        self.registry.save()
        report = self.report
        if not (report.new or report.quarantined or report.failed):
            self.ctx.log.info(
                "%s: nothing new in %s (%d file(s) seen before).",
                self.name,
                self.relative_folder(),
                report.known,
            )
        else:
            self.ctx.log.info(
                "%s: %d new file(s) processed, %d quarantined, %d failed, %d seen before.",
                self.name,
                len(report.new),
                len(report.quarantined),
                len(report.failed),
                report.known,
            )
        return report

    def relative_folder(self) -> str:
        return f"{self.source_zone}/{self.ctx.service}"


def process_each_new_file(
    ctx: ScriptContext,
    source_zone: str,
    target_zone: str,
    handle: Callable[[Path], Sequence[Path]],
    step_name: str,
    select: Callable[[Path], bool] | None = None,
) -> StepReport:
    """Call `handle(path)` for each input file not seen before; it returns the files it wrote.

    The registry is saved after every file, and outputs must be named deterministically from the
    input, so a run killed halfway is simply finished by the next one. `select` picks the files
    of one dataset when a service keeps several in a zone.
    """
    step = _Step(ctx, source_zone, target_zone, step_name, select)
    for new in step.new_files():
        note_read(new.path)
        try:
            outputs = handle(new.path)
        except RejectedFile as error:
            step.reject(new, error)
        except DiskFullError:  # no later file can be written either: the script stops here
            raise
        except Exception as error:  # one file's bug must not stop the others
            step.fail(new.source, error)
        else:
            note_written(*outputs)
            step.registry.record(
                new.digest, new.path, new.source, "processed", [step.relative(p) for p in outputs]
            )
            step.report.new.append(new.source)
        step.registry.save()
    return step.finish()


class Rebuild(Generic[Parsed]):
    """How a rebuild step reads one input file and writes its outputs from all of them."""

    def __init__(
        self,
        read: Callable[[Path], Parsed],
        write: Callable[[list[tuple[Path, Parsed]]], Sequence[Path]],
    ) -> None:
        self.read = read
        self.write = write


def rebuild_when_changed(
    ctx: ScriptContext,
    source_zone: str,
    target_zone: str,
    rebuild: Rebuild[Parsed],
    step_name: str,
    select: Callable[[Path], bool] | None = None,
) -> StepReport:
    """Rebuild the outputs from every accepted input file, but only when an input is new."""
    step = _Step(ctx, source_zone, target_zone, step_name, select)
    fresh = step.new_files()
    if not fresh:
        return step.finish()
    fresh_digests = {new.digest for new in fresh}
    accepted: list[tuple[_NewFile, Parsed]] = []
    for path in step.inputs():
        source = step.relative(path)
        digest = step.digest(path, source)
        entry = step.registry.get(digest)
        if (entry is not None and entry.status == "quarantined") or any(
            a.digest == digest for a, _ in accepted
        ):
            continue
        current = _NewFile(path, source, digest)
        note_read(path)
        try:
            accepted.append((current, rebuild.read(path)))
        except RejectedFile as error:
            step.reject(current, error)
    try:
        written = rebuild.write([(n.path, p) for n, p in accepted])
    except DiskFullError:
        raise
    except Exception as error:  # the whole rebuild failed: nothing recorded, the next run retries
        step.fail(f"the files of {step.relative_folder()}", error)
        return step.finish()
    note_written(*written)
    outputs = [step.relative(p) for p in written]
    for new, _ in accepted:
        step.registry.record(new.digest, new.path, new.source, "processed", outputs)
        if new.digest in fresh_digests:
            step.report.new.append(new.source)
    return step.finish()

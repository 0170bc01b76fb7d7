"""Step 6's retention: old logs move into 5_archive/logs/, archive files past retention are deleted.

Both windows come from `config/maintenance.json` (`log_retention_days`, default 30;
`archive_retention_years`, default 7). Ages are file modification times: a log's last write, an
archived copy's moment of archiving (moved logs keep their own).
"""

from __future__ import annotations

import errno
import logging
import os
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from common.config_files import read_config_object
from common.lake import Lake
from common.lock import LOCK_NAME
from common.logs import COOKIE_HISTORY, LOGGER_NAME, RUN_LEDGER
from common.settings import SettingsError
from common.zones import ARCHIVE, TEMP_MARKER, atomic_copy, free_name

if TYPE_CHECKING:
    from common.pipeline.hooks import HookOutcome
    from common.pipeline.run import PipelineRun

MAINTENANCE_CONFIG = "maintenance.json"
DEFAULT_LOG_RETENTION_DAYS = 30
DEFAULT_ARCHIVE_RETENTION_YEARS = 7
ARCHIVED_LOGS = "logs"


@dataclass(frozen=True)
class RetentionSettings:
    log_retention_days: int = DEFAULT_LOG_RETENTION_DAYS
    archive_retention_years: int = DEFAULT_ARCHIVE_RETENTION_YEARS


def _whole_number(config_file: Path, name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise SettingsError(f"{name} in {config_file} must be a whole number of at least 1.")
    return value


def load_retention_settings(lake: Lake) -> RetentionSettings:
    """`config/maintenance.json`, or the defaults when the lake has none."""
    config_file = lake.config / MAINTENANCE_CONFIG
    document = read_config_object(config_file, SettingsError)
    if document is None:
        return RetentionSettings()
    return RetentionSettings(
        _whole_number(
            config_file,
            "log_retention_days",
            document.get("log_retention_days", DEFAULT_LOG_RETENTION_DAYS),
        ),
        _whole_number(
            config_file,
            "archive_retention_years",
            document.get("archive_retention_years", DEFAULT_ARCHIVE_RETENTION_YEARS),
        ),
    )


def years_before(moment: datetime, years: int) -> datetime:
    """The same date `years` earlier (29 February becomes the 28th in a common year)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


def current_log_files() -> set[Path]:
    """The files the running process logs to: they must stay where the handlers write."""
    handlers = logging.getLogger(LOGGER_NAME).handlers
    return {
        Path(handler.baseFilename).resolve()
        for handler in handlers
        if isinstance(handler, logging.FileHandler)
    }


def _older_than(path: Path, cutoff: datetime) -> bool:
    return datetime.fromtimestamp(path.stat().st_mtime) < cutoff


def _move(source: Path, target: Path) -> None:
    """A rename (atomic); across file systems an atomic copy keeping the mtime, then removal."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.replace(source, target)
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
        stat = source.stat()
        atomic_copy(source, target)
        os.utime(target, (stat.st_atime, stat.st_mtime))
        source.unlink()


@dataclass
class LogMove:
    moved: list[Path] = field(default_factory=list)
    locked: list[Path] = field(default_factory=list)


def _is_movable_log(path: Path, keep: Collection[Path]) -> bool:
    name = path.name
    return (
        path.is_file()
        and not name.startswith(".")
        and not name.startswith(LOCK_NAME)
        and not name.endswith(".lock")
        and TEMP_MARKER not in name
        and path.resolve() not in keep
    )


def move_old_logs(lake: Lake, cutoff: datetime, keep: Collection[Path] = ()) -> LogMove:
    """Move log files last written before `cutoff` into 5_archive/logs/ (same relative path).

    A file another process holds open on Windows (PermissionError) stays for a later run.
    """
    result = LogMove()
    archive = lake.zone(ARCHIVE) / ARCHIVED_LOGS
    for path in sorted(lake.logs.rglob("*")) if lake.logs.is_dir() else []:
        try:
            if not _is_movable_log(path, keep) or not _older_than(path, cutoff):
                continue
            # A log archived earlier under the same name is never overwritten.
            _move(path, free_name(archive / path.relative_to(lake.logs)))
        except PermissionError:
            result.locked.append(path)
        except FileNotFoundError:
            continue
        else:
            result.moved.append(path)
    return result


@dataclass
class ArchiveDeletion:
    deleted: list[Path] = field(default_factory=list)
    failed: list[Path] = field(default_factory=list)


def _remove_empty_folders(archive: Path, folders: set[Path]) -> None:
    for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):
        while folder != archive and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent


def delete_expired_archive(lake: Lake, cutoff: datetime) -> ArchiveDeletion:
    """Delete 5_archive files older than `cutoff`; hidden files (.gitkeep) are kept."""
    result = ArchiveDeletion()
    archive = lake.zone(ARCHIVE)
    for path in sorted(archive.rglob("*")) if archive.is_dir() else []:
        try:
            if not path.is_file() or path.name.startswith(".") or not _older_than(path, cutoff):
                continue
            path.unlink()
        except PermissionError:
            result.failed.append(path)
        except FileNotFoundError:
            continue
        else:
            result.deleted.append(path)
    _remove_empty_folders(archive, {path.parent for path in result.deleted})
    return result


def _sentence(settings: RetentionSettings, logs: LogMove, archive: ArchiveDeletion) -> str:
    locked = f" ({len(logs.locked)} in use, left for a later run)" if logs.locked else ""
    undeletable = f" ({len(archive.failed)} could not be deleted)" if archive.failed else ""
    return (
        f"Retention: moved {len(logs.moved)} log file(s) older than "
        f"{settings.log_retention_days} days into 5_archive/logs/{locked} and deleted "
        f"{len(archive.deleted)} archive file(s) older than "
        f"{settings.archive_retention_years} years{undeletable}."
    )


def apply_retention(run: PipelineRun) -> HookOutcome:
    """Step 6's retention hook: one sentence with both counts; a bad config fails this hook."""
    from common.pipeline.hooks import HookOutcome

    try:
        settings = load_retention_settings(run.lake)
    except SettingsError as error:
        return HookOutcome(f"Retention not applied: {error}", failed=True)
    now = datetime.now()
    # The ledger and the logins' history are state that health and the login tools read: they
    # are never moved, whatever their age.
    keep = current_log_files() | {
        (run.lake.root / LOCK_NAME).resolve(),
        (run.lake.logs / RUN_LEDGER).resolve(),
        (run.lake.logs / COOKIE_HISTORY).resolve(),
    }
    try:
        logs = move_old_logs(run.lake, now - timedelta(days=settings.log_retention_days), keep)
        archive = delete_expired_archive(
            run.lake, years_before(now, settings.archive_retention_years)
        )
    except OSError as error:
        return HookOutcome(f"Retention stopped: {error}", failed=True)
    for path in logs.locked:
        run.log.warning("Log %s is in use and stays in logs/ until a later run.", path.name)
    for path in archive.failed:
        run.log.warning("Archive file %s could not be deleted; a later run retries.", path)
    return HookOutcome(_sentence(settings, logs, archive))

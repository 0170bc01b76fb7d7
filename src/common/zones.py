"""Zone paths, timestamped file names, atomic writes and archive-before-overwrite."""

from __future__ import annotations

import errno
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from pathlib import Path

from common.lake import ZONE_NAMES, Lake

# The zone names are declared once, in common.lake; these are their names in code.
LANDING, RAW, STAGING, CURATED, ARCHIVE = ZONE_NAMES
QUARANTINE_FOLDER = "_quarantine"
TEMP_MARKER = ".bedrot-tmp"
TIMESTAMP_FORMAT = "%Y%m%d_%H%M%S"
_TIMESTAMP_IN_NAME = re.compile(r"(\d{8})[_-](\d{6})")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_NOT_FILE_NAME = re.compile(r"[^A-Za-z0-9._-]+")

# Windows keeps a file locked for a moment while an antivirus or an indexer reads it.
REPLACE_ATTEMPTS = 10
REPLACE_FIRST_WAIT_SECONDS = 0.05


def service_zone(lake: Lake, zone: str, service: str) -> Path:
    """The folder of `service` inside `zone` (not created)."""
    return lake.zone(zone) / service


def ensure_service_zone(lake: Lake, zone: str, service: str) -> Path:
    folder = service_zone(lake, zone, service)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def ensure_service_folders(lake: Lake, service: str) -> None:
    """The service's folder in every zone but the archive (which mirrors paths on demand)."""
    for zone in (LANDING, RAW, STAGING, CURATED):
        ensure_service_zone(lake, zone, service)


def slug(text: str) -> str:
    """Lower-case words joined by underscores: 'Example Artist-songs' → 'example_artist_songs'."""
    return _NOT_SLUG.sub("_", text.lower()).strip("_") or "data"


def timestamped_name(service: str, dataset: str, extension: str, when: datetime) -> str:
    """`<service>_<dataset>_YYYYMMDD_HHMMSS.<ext>`, the name every zone file carries."""
    return f"{service}_{slug(dataset)}_{when.strftime(TIMESTAMP_FORMAT)}.{extension.lstrip('.')}"


def landing_file_name(service: str, dataset: str, extension: str, when: datetime) -> str:
    """`<service>_<dataset>_YYYYMMDD_HHMMSS.<ext>` keeping the dataset's case and hyphens (a
    Spotify id, a GraphQL operation, a month `2025-01`); only characters a file name cannot
    hold become underscores."""
    dataset = _NOT_FILE_NAME.sub("_", dataset).strip("_.") or "data"
    return f"{service}_{dataset}_{when.strftime(TIMESTAMP_FORMAT)}.{extension.lstrip('.')}"


def timestamp_from_name(name: str) -> datetime | None:
    """The `YYYYMMDD_HHMMSS` a file name carries, if it carries a valid one."""
    match = _TIMESTAMP_IN_NAME.search(name)
    if not match:
        return None
    try:
        return datetime.strptime(f"{match[1]}_{match[2]}", TIMESTAMP_FORMAT)
    except ValueError:
        return None


def file_timestamp(path: Path) -> datetime:
    """The moment a file stands for: the timestamp its name carries, else its modification time.

    Extractors stamp the download time into the name; a file dropped by hand has only its mtime.
    """
    return timestamp_from_name(path.name) or datetime.fromtimestamp(path.stat().st_mtime)


def free_name(
    target: Path,
    taken: Callable[[Path], bool] = Path.exists,
    mark: str = "_{n}",
    first: int = 1,
) -> Path:
    """`target`, or the first `<stem><mark><suffix>` (n = first, first + 1, ...) not `taken`.

    Nothing already there is ever overwritten. `taken` may say more than "exists" (a quarantine
    copy whose reason file is left over); `mark` keeps each folder's naming (`__{n}`, ` ({n})`).
    """
    candidate, number = target, first
    while taken(candidate):
        candidate = target.with_name(f"{target.stem}{mark.format(n=number)}{target.suffix}")
        number += 1
    return candidate


def dataset_from_name(service: str, name: str) -> str:
    """The dataset part of a file name, without the service prefix, timestamp and extension."""
    stem = _TIMESTAMP_IN_NAME.sub("", Path(name).stem)
    dataset = slug(stem)
    prefix = f"{slug(service)}_"
    if dataset.startswith(prefix) and dataset != prefix.rstrip("_"):
        dataset = dataset[len(prefix) :]
    return dataset


def is_zone_data_file(path: Path) -> bool:
    """True for files a step should read: not hidden, not temporary, not registries or reasons."""
    name = path.name
    return (
        path.is_file()
        and not name.startswith((".", "_", "~$"))
        and TEMP_MARKER not in name
        and not name.endswith(".reason.json")
    )


# What step 6 writes into the curated zone (the report, the statements): output, never the input
# of the ETL or of the report itself.
STEP6_OUTPUT_FOLDERS = ("reports", "statements")


def data_files(folder: Path) -> list[Path]:
    """The data files directly in `folder` (and its dataset subfolders), sorted by path."""
    if not folder.is_dir():
        return []
    found = [
        path
        for path in folder.rglob("*")
        if QUARANTINE_FOLDER not in path.relative_to(folder).parts and is_zone_data_file(path)
    ]
    return sorted(found)


class FileInUseError(PermissionError):
    """Windows would not replace a file, even after the retries (most often another program
    holds it open: Excel on a curated CSV): said in one sentence with the system's own words;
    the file keeps its previous version."""

    def __init__(self, target: Path, cause: OSError) -> None:
        held = getattr(cause, "winerror", None) in (32, 33)  # sharing or lock violation
        why = "is open in another program (Excel?)" if held else "could not be replaced"
        super().__init__(
            errno.EACCES,
            f"{target} {why} ({cause.strerror or cause}); close it or free it and run again.",
        )


def replace_with_retry(source: Path, target: Path) -> None:
    """os.replace, retried with growing waits while Windows briefly locks the target."""
    wait = REPLACE_FIRST_WAIT_SECONDS
    for attempt in range(REPLACE_ATTEMPTS):
        try:
            os.replace(source, target)
            return
        except PermissionError as error:
            if attempt == REPLACE_ATTEMPTS - 1:
                raise FileInUseError(target, error) from error
            time.sleep(wait)
            wait = min(wait * 2, 1.0)


class DiskFullError(OSError):
    """The disk (or the user's quota) filled up while a zone file was written. The half-written
    temp file is already removed; the file being replaced, if any, is untouched."""

    def __init__(self, target: Path) -> None:
        super().__init__(
            errno.ENOSPC, f"The disk is full while writing {target}; free space and run again."
        )
        self.target = target

    def __str__(self) -> str:
        return str(self.strerror)


_NO_SPACE = os.strerror(errno.ENOSPC)
_FULL_ERRNOS = frozenset({errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)})


def is_disk_full(error: BaseException) -> bool:
    """Whether `error` (or what caused it) says the disk or the quota is full. Libraries that
    write files themselves say it in words: polars raises an OSError or a ComputeError naming
    "os error 28", without errno."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, OSError) and seen.errno in _FULL_ERRNOS:
            return True
        if _NO_SPACE in str(seen) or "os error 28" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _temp_path_beside(target: Path) -> Path:
    handle, name = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=TEMP_MARKER, dir=target.parent
    )
    os.close(handle)
    return Path(name)


def atomic_write_with(target: Path, write: Callable[[Path], object]) -> Path:
    """Let `write(temp_path)` fill a temp file beside `target`, fsync it, then rename it into place.

    A run killed halfway leaves only a hidden temp file that no step reads (and the next run
    removes). `write` may be a library's own writer, e.g. `frame.write_csv`.
    A full disk raises DiskFullError naming `target` (the temp file removed, `target` as it was).
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temp = _temp_path_beside(target)
    except OSError as error:
        if is_disk_full(error):
            raise DiskFullError(target) from error
        raise
    try:
        _fill_and_sync(temp, write)
        replace_with_retry(temp, target)
    except BaseException as error:
        temp.unlink(missing_ok=True)
        if not isinstance(error, DiskFullError) and is_disk_full(error):
            raise DiskFullError(target) from error
        raise
    return target


def _fill_and_sync(temp: Path, write: Callable[[Path], object]) -> None:
    """Every byte of every atomic write passes here: write, then fsync, so the rename that
    follows never publishes a file the disk does not hold yet."""
    write(temp)
    with temp.open("rb+") as stream:
        os.fsync(stream.fileno())


def _chunk_writer(chunks: Iterable[bytes]) -> Callable[[Path], None]:
    def write(temp: Path) -> None:
        with temp.open("wb") as stream:
            for chunk in chunks:
                stream.write(chunk)

    return write


def atomic_write_chunks(target: Path, chunks: Iterable[bytes]) -> Path:
    """Write `chunks` atomically (see `atomic_write_with`)."""
    return atomic_write_with(target, _chunk_writer(chunks))


def atomic_write_bytes(target: Path, content: bytes) -> Path:
    return atomic_write_chunks(target, [content])


def atomic_write_text(target: Path, content: str) -> Path:
    return atomic_write_chunks(target, [content.encode("utf-8")])


def atomic_copy(source: Path, target: Path, chunk_size: int = 1 << 20) -> Path:
    """Copy `source` to `target` atomically, streaming."""

    def read() -> Iterator[bytes]:
        with source.open("rb") as stream:
            while chunk := stream.read(chunk_size):
                yield chunk

    return atomic_write_chunks(target, read())


def archive_path(lake: Lake, current: Path, when: datetime) -> Path:
    """Where the previous version of a zone file goes: 5_archive/<zone path>/<stem>_<ts><ext>."""
    relative = current.resolve().relative_to(lake.root)
    stamped = f"{current.stem}_archived_{when.strftime(TIMESTAMP_FORMAT)}{current.suffix}"
    return lake.zone(ARCHIVE) / relative.parent / stamped


def _same_content(first: Path, second: Path) -> bool:
    if first.stat().st_size != second.stat().st_size:
        return False
    with first.open("rb") as a, second.open("rb") as b:
        while True:
            chunk = a.read(1 << 20)
            if chunk != b.read(1 << 20):
                return False
            if not chunk:
                return True


def archive_then_replace(
    lake: Lake, target: Path, content: Iterable[bytes] | Callable[[Path], object]
) -> Path | None:
    """Write a new version of `target`, first copying the current version into 5_archive.

    `content` is either byte chunks or a writer called with a temp path. Returns the archive
    copy, or None when nothing was archived (no previous version, or the new content is identical
    and the file is left as it was). The new version is complete on disk and the archive copy
    exists before the rename, so no moment exists without either.
    """
    write = content if callable(content) else _chunk_writer(content)
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = _temp_path_beside(target)
    try:
        try:
            atomic_write_with(staged, write)
        except DiskFullError as error:  # name the file the user knows, not the temp file
            raise DiskFullError(target) from error
        if not target.exists():
            replace_with_retry(staged, target)
            return None
        if _same_content(staged, target):
            staged.unlink()
            return None
        archived = free_name(archive_path(lake, target, datetime.now()))
        atomic_copy(target, archived)
        try:
            replace_with_retry(staged, target)
        except OSError:  # the current version stays: its archive copy would only repeat it
            archived.unlink(missing_ok=True)
            raise
        return archived
    finally:
        staged.unlink(missing_ok=True)


def zone_name_for(service: str, source: Path, extension: str) -> str:
    """The zone name of a file made from `source`: its dataset and its timestamp, or else its mtime.

    Deterministic, so processing the same file twice (after a killed run) writes the same name.
    """
    return timestamped_name(
        service, dataset_from_name(service, source.name), extension, file_timestamp(source)
    )

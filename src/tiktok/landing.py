"""A landed Studio export (zip or loose CSV) as dated extractions, one per CSV, and their NDJSON.

Nothing is written from a file until all of it has been read: a zip with one bad member is
refused whole, with the member and the reason named.
"""

from __future__ import annotations

import errno
import hashlib
import json
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path, PurePosixPath

import polars as pl

from common.artists import ArtistDirectory
from common.quarantine import RejectedFile
from common.readers import reject_html_or_empty
from common.series import EXTRACTED_AT, extracted_at
from common.zones import TIMESTAMP_FORMAT, atomic_write_chunks, slug
from tiktok.exports import Anchors, Extras, read_export_csv
from tiktok.names import ExportName, parse_export_name, require_anchor
from tiktok.settings import BY_MEMBER, MAX_MEMBER_BYTES, SERVICE, Dataset

INFLATE_CHUNK = 1 << 20


@dataclass(frozen=True)
class Extraction:
    """The dated rows of one CSV of one export, with where and when they come from."""

    dataset: Dataset
    account: str
    artist: str
    extracted_at: datetime
    source_file: str
    rows: pl.DataFrame
    extras: Extras


def _alnum(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def account_and_artist(name: ExportName, artists: ArtistDirectory) -> tuple[str, str]:
    """The account as config/artists.json spells it, and its artist; unknown ones are refused."""
    artist = artists.by_tiktok_account(name.account)
    if artist is None:
        raise RejectedFile(
            f"{name.file_name} is for the TikTok account {name.account!r}, which no artist lists "
            "under tiktok_accounts in config/artists.json; add it there to take this file in.",
            rule="unknown-account",
            details={"account": name.account},
            depends_on_config=True,
        )
    spelled = [a for a in artist.tiktok_accounts if _alnum(a) == _alnum(name.account)]
    return (spelled[0] if spelled else name.account), artist.name


def _is_member_to_skip(file_name: str) -> bool:
    path = PurePosixPath(file_name)
    return file_name.endswith("/") or "__MACOSX" in path.parts or path.name.startswith("._")


def _climbs_out(file_name: str) -> bool:
    """True for a member name that would land outside the folder it is unpacked into ('../x',
    '/x', 'C:\\x'): Studio never writes one, a crafted zip does."""
    path = PurePosixPath(file_name.replace("\\", "/"))
    return path.is_absolute() or ".." in path.parts or ":" in (path.parts[0] if path.parts else "")


def _zip_problem(path: Path, why: str, rule: str) -> RejectedFile:
    return RejectedFile(f"{path.name} {why}.", rule=rule)


def _inflate(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """The member's bytes, inflated a megabyte at a time: `archive.read` inflates everything
    the member holds at once, so a header that understates the size (a zip bomb) would fill
    memory before the size check; streamed, the reader stops at the declared size and the
    CRC check refuses the rest."""
    chunks: list[bytes] = []
    with archive.open(info) as stream:
        while chunk := stream.read(INFLATE_CHUNK):
            chunks.append(chunk)
    return b"".join(chunks)


def zip_members(path: Path, name: ExportName) -> dict[Dataset, tuple[str, bytes]]:
    """The known CSVs of a Studio zip by dataset, as (member name, bytes), or a rejection."""
    with path.open("rb") as stream:
        reject_html_or_empty(path, stream.read(512).decode("utf-8", errors="ignore"))
    members: dict[Dataset, tuple[str, bytes]] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            infos = [i for i in archive.infolist() if not _is_member_to_skip(i.filename)]
            climbing = [i.filename for i in infos if _climbs_out(i.filename)]
            if climbing:
                raise _zip_problem(
                    path,
                    f"holds {climbing[0]!r}, a member named to land outside its folder, which no "
                    "Studio export has",
                    "zip-member",
                )
            found: dict[Dataset, zipfile.ZipInfo] = {}
            for info in infos:
                dataset = BY_MEMBER.get(PurePosixPath(info.filename).name.casefold())
                if dataset is not None and dataset in found:
                    raise _zip_problem(path, f"holds {dataset.member} twice", "zip-member")
                if dataset is not None:
                    found[dataset] = info
            missing = [d.member for d in name.expected() if d not in found]
            if missing:
                held = ", ".join(i.filename for i in infos) or "nothing"
                raise _zip_problem(
                    path,
                    f"lacks {', '.join(missing)}, which a Studio {name.kind} export holds "
                    f"(it holds {held})",
                    "zip-member",
                )
            for dataset, info in found.items():
                if info.file_size > MAX_MEMBER_BYTES:
                    raise _zip_problem(path, f"has an oversized {info.filename}", "zip-member")
                members[dataset] = (PurePosixPath(info.filename).name, _inflate(archive, info))
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as error:
        raise _zip_problem(
            path, f"is not a readable zip (cut off or damaged: {error})", "corrupt-zip"
        ) from None
    except OSError as error:
        # Offsets in a damaged directory can point before the file's start: zipfile then seeks
        # to a negative position. Any other OSError is the disk's, not the file's.
        if error.errno != errno.EINVAL:
            raise
        raise _zip_problem(
            path,
            "is not a readable zip (cut off or damaged: its offsets point outside it)",
            "corrupt-zip",
        ) from None
    return members


def _member_rows(
    zip_name: str, member: str, content: bytes, dataset: Dataset, anchors: Anchors
) -> tuple[pl.DataFrame, Extras]:
    """A zip member read through the same checks as a loose CSV; reasons name the zip too."""
    with tempfile.TemporaryDirectory(prefix=".tiktok-") as folder:
        copy = Path(folder) / member
        copy.write_bytes(content)
        try:
            return read_export_csv(copy, dataset, anchors)
        except RejectedFile as error:
            raise RejectedFile(
                f"{zip_name}: {error}",
                rule=error.rule,
                location=f"{member} {error.location}".strip(),
                details=error.details,
            ) from None


def read_landing_file(path: Path, lake_root: Path, artists: ArtistDirectory) -> list[Extraction]:
    """Every dated extraction of a landed file (one per CSV), or a RejectedFile."""
    name = parse_export_name(path.name)
    account, artist = account_and_artist(name, artists)
    anchors = Anchors(name.window_start, name.export_day)
    when = name.exported_at or extracted_at(path)
    source = path.resolve().relative_to(lake_root).as_posix()
    if not name.is_zip:
        dataset = name.expected()[0]
        require_anchor(name, dataset)
        rows, extras = read_export_csv(path, dataset, anchors)
        return [Extraction(dataset, account, artist, when, source, rows, extras)]
    for dataset in name.expected():
        require_anchor(name, dataset)
    extractions = []
    for dataset, (member, content) in zip_members(path, name).items():
        require_anchor(name, dataset)
        rows, extras = _member_rows(path.name, member, content, dataset, anchors)
        extractions.append(
            Extraction(dataset, account, artist, when, f"{source}/{member}", rows, extras)
        )
    return extractions


def _json_value(value: object) -> str:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} to NDJSON")


def raw_lines(extraction: Extraction) -> Iterator[bytes]:
    """One JSON object a row: account, artist, dataset, the dated fields, provenance, extras."""
    for row, extra in zip(extraction.rows.iter_rows(named=True), extraction.extras):
        record: dict[str, object] = {
            "account": extraction.account,
            "artist": extraction.artist,
            "dataset": extraction.dataset.name,
            **row,
            EXTRACTED_AT: extraction.extracted_at,
            "source_file": extraction.source_file,
        }
        if extra:
            record["extra"] = extra
        yield (json.dumps(record, default=_json_value, ensure_ascii=False) + "\n").encode()


def raw_path(raw_folder: Path, extraction: Extraction) -> Path:
    """`<dataset>/tiktok_<dataset>_<account>_<extracted at>_<source hash>.ndjson`: deterministic,
    so reprocessing a file after a killed run rewrites the same names."""
    digest = hashlib.sha256(extraction.source_file.encode()).hexdigest()[:8]
    stamp = extraction.extracted_at.strftime(TIMESTAMP_FORMAT)
    dataset = extraction.dataset.name
    name = f"{SERVICE}_{dataset}_{slug(extraction.account)}_{stamp}_{digest}.ndjson"
    return raw_folder / dataset / name


def write_raw(raw_folder: Path, extractions: list[Extraction]) -> list[Path]:
    return [atomic_write_chunks(raw_path(raw_folder, e), raw_lines(e)) for e in extractions]

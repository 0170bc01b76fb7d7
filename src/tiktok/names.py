"""What a landed file's name says: which export, which account, and the dates its years hang on.

Accepted names (the account may hold dots and underscores, e.g. zone.a0):
    <Tab>_<YYYY-MM-DD window start>_<unix epoch of export>_<account>.zip   (Studio's own name)
    <Tab>_<account>_<YYYYMMDD_HHMMSS of download>.zip
    tiktok_<account>_<Member>_<YYYY-MM-DD window start>_<unix epoch>.csv   (a loose CSV)
where <Tab> is Overview, Followers, Viewers or Content (or a member's name) and <Member> is
the CSV's name in the zip (Overview, FollowerHistory, FollowerActivity, ...). The anchors may be
given in any order; a browser's copy mark (" (1)") is ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import PurePath

from common.quarantine import RejectedFile
from tiktok.settings import CSV_KINDS, CSV_SUFFIX, LOOSE_PREFIX, ZIP_KINDS, ZIP_SUFFIX, Dataset

_COPY_MARK = re.compile(r"\s*\(\d+\)$")
_WINDOW_START = re.compile(r"\d{4}-\d{2}-\d{2}")
_EPOCH = re.compile(r"\d{10}|\d{13}")
_DAY_PART, _TIME_PART = re.compile(r"\d{8}"), re.compile(r"\d{6}")
NAMING_HELP = (
    "name it <Tab>_<YYYY-MM-DD window start>_<unix epoch>_<account>.zip as Studio does, or "
    "tiktok_<account>_<Member>_<YYYY-MM-DD>_<unix epoch>.csv for a loose CSV"
)


@dataclass(frozen=True)
class ExportName:
    """The facts a file name carries. `exported_at` is UTC for an epoch, else as written."""

    file_name: str
    kind: str
    account: str
    is_zip: bool
    window_start: date | None
    exported_at: datetime | None

    @property
    def export_day(self) -> date | None:
        return None if self.exported_at is None else self.exported_at.date()

    def expected(self) -> tuple[Dataset, ...]:
        """The datasets the file must hold."""
        return ZIP_KINDS[self.kind] if self.is_zip else (CSV_KINDS[self.kind],)


def _rejected(file_name: str, why: str, rule: str = "file-name") -> RejectedFile:
    return RejectedFile(f"{file_name} {why}; {NAMING_HELP}.", rule=rule)


def _kind_pattern(kinds: list[str]) -> re.Pattern[str]:
    alternatives = "|".join(sorted(kinds, key=len, reverse=True))
    return re.compile(rf"(?:^|(?<=_))({alternatives})(?=_|$)")


_ZIP_KIND = _kind_pattern(list(ZIP_KINDS))
_CSV_KIND = _kind_pattern(list(CSV_KINDS))


def _epoch(token: str) -> datetime:
    seconds = int(token) / (1000 if len(token) == 13 else 1)
    return datetime.fromtimestamp(seconds, tz=timezone.utc).replace(tzinfo=None)


def _anchors(file_name: str, tokens: list[str]) -> tuple[date | None, datetime | None, list[str]]:
    """(window start, export time, the tokens left over: the account's parts)."""
    window_start: date | None = None
    epoch: datetime | None = None
    stamp: datetime | None = None
    rest: list[str] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        following = tokens[index + 1] if index + 1 < len(tokens) else ""
        try:
            if _WINDOW_START.fullmatch(token) and window_start is None:
                window_start = date.fromisoformat(token)
            elif _EPOCH.fullmatch(token) and epoch is None:
                epoch = _epoch(token)
            elif _DAY_PART.fullmatch(token) and _TIME_PART.fullmatch(following) and not stamp:
                stamp = datetime.strptime(f"{token}{following}", "%Y%m%d%H%M%S")
                index += 1
            else:
                rest.append(token)
        except (ValueError, OverflowError, OSError):
            raise _rejected(file_name, f"has a date {token!r} that is not a real date") from None
        index += 1
    return window_start, epoch or stamp, rest


def parse_export_name(file_name: str) -> ExportName:
    """The export a landed file's name describes, or a rejection saying how to name it."""
    path = PurePath(file_name)
    suffix = path.suffix.lower()
    if suffix not in (ZIP_SUFFIX, CSV_SUFFIX):
        raise RejectedFile(
            f"{file_name} is not a TikTok Studio export (a .zip from Studio or one of its .csv "
            "files).",
            rule="unknown-format",
        )
    is_zip = suffix == ZIP_SUFFIX
    stem = _COPY_MARK.sub("", path.stem)
    if stem.casefold().startswith(LOOSE_PREFIX):
        stem = stem[len(LOOSE_PREFIX) :]
    found = (_ZIP_KIND if is_zip else _CSV_KIND).search(stem)
    if found is None:
        known = ", ".join(ZIP_KINDS if is_zip else CSV_KINDS)
        raise _rejected(file_name, f"does not name the export it holds (one of {known})")
    before, after = stem[: found.start()].strip("_"), stem[found.end() :].strip("_")
    window_start, exported_at, rest = _anchors(file_name, [t for t in after.split("_") if t])
    named_after = "_".join(rest)
    if before and named_after:
        raise _rejected(file_name, f"names two accounts, {before!r} and {named_after!r}")
    account = before or named_after
    if not account:
        raise _rejected(
            file_name, "does not say which TikTok account it belongs to", rule="no-account"
        )
    return ExportName(file_name, found[1], account, is_zip, window_start, exported_at)


def require_anchor(name: ExportName, dataset: Dataset) -> None:
    """Refuse a file whose name gives no date to count this dataset's years from."""
    if name.exported_at is not None:
        return
    if dataset.dating == "window" and name.window_start is not None:
        return
    needs = (
        "the window's first day or the export time"
        if dataset.dating == "window"
        else "the export time"
    )
    raise _rejected(
        name.file_name,
        f"gives no date for {dataset.member} to count its year-less dates from (it needs "
        f"{needs}), so its years cannot be known",
        rule="no-anchor",
    )

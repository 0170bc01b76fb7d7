"""Raw Instagram files: one NDJSON object per checked record (a daily value or a media
snapshot), with when it was extracted, the landing file it came from and, for an extractor pull,
the Instagram user id it was asked for. A record whose file names no account has a null
`account`: staging decides which account it is (instagram.accounts)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from common.series import EXTRACTED_AT
from common.zones import atomic_write_text
from instagram.records import LandedFile
from instagram.settings import MEDIA_METRICS

SOURCE_FILE = "source_file"
USER_ID = "ig_user_id"
DAILY, MEDIA = "daily", "media"
# Raw daily records written since `values` are dated by the day their `end_time` closes carry
# `"dating": 2`. Older records of an API answer (a .json landing file) for the default `values`
# metrics were filed under the day their `end_time` starts, one day late: they are read one day
# earlier, so an existing lake's history lines up with what it pulls from now on.
DATING, DATING_VERSION = "dating", 2
_OLD_END_TIME_COLUMNS = ("reach", "new_followers")


def write_raw(target: Path, landed: LandedFile, extracted_at: datetime, source_file: str) -> Path:
    origin = {
        EXTRACTED_AT: extracted_at.isoformat(),
        SOURCE_FILE: source_file,
        USER_ID: landed.user_id,
    }
    lines = [
        {"kind": DAILY, **origin, "account": v.account, "date": v.day.isoformat(),
         "metric": v.metric, "value": v.value, DATING: DATING_VERSION}
        for v in landed.daily
    ] + [
        {"kind": MEDIA, **origin, "account": m.account, "media_id": m.media_id,
         "media_type": m.media_type, "media_product_type": m.media_product_type,
         "caption_excerpt": m.caption_excerpt, "posted_at": m.posted_at,
         "posted_date": m.posted_date.isoformat() if m.posted_date else None,
         "permalink": m.permalink, "snapshot_date": m.snapshot_date.isoformat(), **m.metrics}
        for m in landed.media
    ]  # fmt: skip
    text = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    return atomic_write_text(target, text)


@dataclass(frozen=True)
class Extraction:
    """The records of one raw file, as plain dictionaries with typed dates."""

    daily: list[dict[str, object]]
    media: list[dict[str, object]]


def _typed(record: dict[str, object], *day_fields: str) -> dict[str, object]:
    typed = dict(record)
    typed[EXTRACTED_AT] = datetime.fromisoformat(str(record[EXTRACTED_AT]))
    for name in day_fields:
        value = record.get(name)
        typed[name] = date.fromisoformat(str(value)) if value else None
    return typed


def _dated_again(record: dict[str, object]) -> dict[str, object]:
    """A daily record as the current dating reads it (see DATING)."""
    dating = record.pop(DATING, None)
    day = record.get("date")
    if (
        dating is None
        and isinstance(day, date)
        and str(record.get(SOURCE_FILE, "")).lower().endswith(".json")
        and record.get("metric") in _OLD_END_TIME_COLUMNS
    ):
        record["date"] = day - timedelta(days=1)
    return record


def read_raw(path: Path) -> Extraction:
    daily: list[dict[str, object]] = []
    media: list[dict[str, object]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        kind = record.pop("kind")
        if kind == DAILY:
            daily.append(_dated_again(_typed(record, "date")))
        else:
            media.append(_typed(record, "snapshot_date", "posted_date"))
            for name in MEDIA_METRICS:
                media[-1].setdefault(name, None)
    return Extraction(daily, media)

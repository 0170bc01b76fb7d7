"""What a landed Mailchimp file holds: campaign reports, audience growth months, audience sizes.

One reader for every shape the API answers and a user may save by hand: `/reports` (campaigns),
`/lists/{id}/growth-history` (months), `/lists/{id}` or `/lists` (audiences), and the extractor's
own document (reports plus each audience with its `growth_history`). Every value is checked
before anything of the file is written; a field Mailchimp leaves out (the proxy-excluded opens of
an older campaign, a deprecated growth count) is empty, never 0.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from common.json_exports import decode_json_text, parse_json_text
from common.quarantine import RejectedFile

Record = dict[str, Any]
WHAT = "a Mailchimp API response"
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
# (curated column, path in a report object): counts, then rates (fractions of 1).
CAMPAIGN_COUNTS = (
    ("emails_sent", ("emails_sent",)),
    ("hard_bounces", ("bounces", "hard_bounces")),
    ("soft_bounces", ("bounces", "soft_bounces")),
    ("syntax_errors", ("bounces", "syntax_errors")),
    ("opens_total", ("opens", "opens_total")),
    ("unique_opens", ("opens", "unique_opens")),
    ("proxy_excluded_opens", ("opens", "proxy_excluded_opens")),
    ("proxy_excluded_unique_opens", ("opens", "proxy_excluded_unique_opens")),
    ("clicks_total", ("clicks", "clicks_total")),
    ("unique_clicks", ("clicks", "unique_clicks")),
    ("unique_subscriber_clicks", ("clicks", "unique_subscriber_clicks")),
    ("unsubscribed", ("unsubscribed",)),
    ("abuse_reports", ("abuse_reports",)),
)
CAMPAIGN_RATES = (
    ("open_rate", ("opens", "open_rate")),
    ("proxy_excluded_open_rate", ("opens", "proxy_excluded_open_rate")),
    ("click_rate", ("clicks", "click_rate")),
)
GROWTH_COUNTS = (
    "existing", "imports", "optins", "subscribed", "unsubscribed", "reconfirm", "cleaned",
    "pending", "deleted", "transactional",
)  # fmt: skip
AUDIENCE_COUNTS = ("member_count", "unsubscribe_count", "cleaned_count")


@dataclass
class LandedReports:
    """The checked records of one landed file, per dataset."""

    campaigns: list[Record] = field(default_factory=list)
    growth: list[Record] = field(default_factory=list)
    audience: list[Record] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.campaigns or self.growth or self.audience)


class _Values:
    """Typed values out of one JSON object; a wrong one is a rejection naming where it is."""

    def __init__(self, name: str, where: str, value: object) -> None:
        if not isinstance(value, dict):
            raise self._refuse(name, where, "is not an object", value)
        self.name, self.where, self.value = name, where, value

    @staticmethod
    def _refuse(name: str, where: str, what: str, value: object) -> RejectedFile:
        return RejectedFile(
            f"{name}: {where} {what} ({str(value)[:60]!r}); this is not what Mailchimp's API "
            "answers, so nothing of the file was used.",
            rule="bad-value",
            location=where,
        )

    def find(self, path: tuple[str, ...]) -> object:
        found: object = self.value
        for key in path:
            found = found.get(key) if isinstance(found, dict) else None
        return found

    def count(self, path: tuple[str, ...]) -> int | None:
        found = self.find(path)
        if found is None or found == "":
            return None
        if isinstance(found, bool) or not isinstance(found, int) or found < 0:
            raise self._refuse(self.name, f"{self.where}.{'.'.join(path)}", "is no count", found)
        return found

    def rate(self, path: tuple[str, ...]) -> float | None:
        found = self.find(path)
        if found is None or found == "":
            return None
        if isinstance(found, bool) or not isinstance(found, (int, float)) or found < 0:
            raise self._refuse(self.name, f"{self.where}.{'.'.join(path)}", "is no rate", found)
        return float(found)

    def text(self, key: str, required: bool = False) -> str | None:
        found = self.value.get(key)
        if isinstance(found, (int, float)) and not isinstance(found, bool):
            found = str(found)
        if found is None or found == "":
            if required:
                raise self._refuse(self.name, f"{self.where}.{key}", "is missing", found)
            return None
        if not isinstance(found, str):
            raise self._refuse(self.name, f"{self.where}.{key}", "is not text", found)
        return found

    def moment(self, key: str) -> datetime | None:
        found = self.text(key)
        if found is None:
            return None
        try:
            when = datetime.fromisoformat(found.replace("Z", "+00:00"))
        except ValueError:
            raise self._refuse(self.name, f"{self.where}.{key}", "is no date and time", found)
        return (when if when.tzinfo else when.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)


def campaign(name: str, where: str, report: object) -> Record:
    """One campaign report: bounces add hard, soft and syntax errors; send time in UTC."""
    values = _Values(name, where, report)
    sent = values.moment("send_time")
    record: Record = {
        "campaign_id": values.text("id", required=True),
        "list_id": values.text("list_id"),
        "list_name": values.text("list_name"),
        "title": values.text("campaign_title"),
        "subject_line": values.text("subject_line"),
        "campaign_type": values.text("type"),
        "send_time": sent.isoformat() if sent else None,
        "send_date": sent.date().isoformat() if sent else None,
    }
    record.update({column: values.count(path) for column, path in CAMPAIGN_COUNTS})
    parts = [record[c] for c in ("hard_bounces", "soft_bounces", "syntax_errors")]
    record["bounces"] = None if all(p is None for p in parts) else sum(p or 0 for p in parts)
    record.update({column: values.rate(path) for column, path in CAMPAIGN_RATES})
    return record


def growth_month(name: str, where: str, entry: object, list_id: str | None) -> Record:
    values = _Values(name, where, entry)
    month = values.text("month", required=True)
    if month is None or not MONTH.match(month):
        raise _Values._refuse(name, f"{where}.month", "is no month (YYYY-MM)", month)
    record: Record = {"list_id": values.text("list_id") or list_id, "month": month}
    if record["list_id"] is None:
        raise _Values._refuse(name, f"{where}.list_id", "is missing", None)
    record.update({column: values.count((column,)) for column in GROWTH_COUNTS})
    return record


def audience(name: str, where: str, entry: object, day: date) -> Record:
    """An audience's size on the day it was pulled (Mailchimp gives only the current size)."""
    values = _Values(name, where, entry)
    record: Record = {
        "list_id": values.text("id", required=True),
        "list_name": values.text("name"),
        "snapshot_date": day.isoformat(),
    }
    record.update({column: values.count(("stats", column)) for column in AUDIENCE_COUNTS})
    return record


def _items(name: str, document: dict[str, Any], key: str) -> Iterator[tuple[int, object]]:
    items = document.get(key)
    if not isinstance(items, list):
        raise _Values._refuse(name, key, "is not a list", items)
    yield from enumerate(items)


def _audiences(name: str, document: dict[str, Any], day: date, found: LandedReports) -> None:
    """`/lists` (or the extractor's document): each audience, and its months when it has them."""
    for number, entry in _items(name, document, "lists"):
        where = f"lists[{number}]"
        if isinstance(entry, dict) and isinstance(entry.get("stats"), dict):
            found.audience.append(audience(name, where, entry, day))
        if isinstance(entry, dict) and "growth_history" in entry:
            list_id = entry.get("id") if isinstance(entry.get("id"), str) else None
            for month_number, month in _items(name, entry, "growth_history"):
                place = f"{where}.growth_history[{month_number}]"
                found.growth.append(growth_month(name, place, month, list_id))


def read_document(name: str, document: object, day: date) -> LandedReports:
    """The records of one parsed response; `day` is when it was pulled (audience snapshots)."""
    if not isinstance(document, dict):
        raise RejectedFile(f"{name} is not a Mailchimp API response (not a JSON object).", "shape")
    if "status" in document and "title" in document and "detail" in document:
        raise RejectedFile(
            f"{name} is an error answer from Mailchimp ({document.get('status')} "
            f"{document.get('title')}), not data.",
            rule="api-error",
        )
    found = LandedReports()
    # One campaign's report (GET /reports/{id}) or one month (GET .../growth-history/{month}),
    # read as the one-item lists the collection answers hold.
    one: dict[str, object] = document
    if "campaign_title" in one and "emails_sent" in one and "id" in one:
        document = {"reports": [one]}
    elif "month" in one and "list_id" in one and "history" not in one:
        document = {"list_id": one["list_id"], "history": [one]}
    if "reports" in document:
        for number, report in _items(name, document, "reports"):
            found.campaigns.append(campaign(name, f"reports[{number}]", report))
    if "history" in document:
        given = document.get("list_id")
        list_id = given if isinstance(given, str) else None
        for number, entry in _items(name, document, "history"):
            found.growth.append(growth_month(name, f"history[{number}]", entry, list_id))
    if "lists" in document:
        _audiences(name, document, day, found)
    if isinstance(document.get("stats"), dict) and "id" in document:
        found.audience.append(audience(name, "the audience", document, day))
    if not ({"reports", "history", "lists"} & set(document) or "stats" in document):
        raise RejectedFile(
            f"{name} is JSON but not a Mailchimp reports, audience or growth-history response "
            "(it has no reports, lists, history or stats).",
            rule="unknown-format",
        )
    return found


def read_landed(path: Path, day: date) -> LandedReports:
    """The checked records of a landed file, or the rejection saying what is wrong with it."""
    if path.suffix.lower() != ".json":
        raise RejectedFile(
            f"{path.name} is not a Mailchimp API response (.json); Mailchimp data comes from "
            "the extractor or a saved API answer.",
            rule="unknown-format",
        )
    text = decode_json_text(path.read_bytes(), path.name, WHAT)
    return read_document(path.name, parse_json_text(text, path.name), day)

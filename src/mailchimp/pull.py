"""One Mailchimp pull: which campaigns to ask for, and the document landed from the answers.

Campaign reports keep changing for weeks after a send (late opens, clicks, unsubscribes), so
every pull asks again for the campaigns sent from `lookback_days` before the newest send already
landed (a first pull: `history_days` back). What is landed is the only bookmark. Growth history
is monthly and small: it is asked for whole each time, with each audience's current size.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

from common.extract.landed import newest_landed_day
from mailchimp.settings import API_SUFFIXES, PullSettings


def _newest_send_in(path: Path) -> date | None:
    """The newest `send_time` day of a landed response; None when it holds none or is unreadable."""
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError):
        return None  # the cleaners quarantine it and say why
    reports = document.get("reports") if isinstance(document, dict) else None
    days: list[date] = []
    for report in reports if isinstance(reports, list) else []:
        sent = report.get("send_time") if isinstance(report, dict) else None
        try:
            days.append(datetime.fromisoformat(str(sent).replace("Z", "+00:00")).date())
        except ValueError:
            continue
    return max(days, default=None)


def newest_landed_send(landing: Path) -> date | None:
    """The newest send day any landed report holds."""
    return newest_landed_day(landing, API_SUFFIXES, _newest_send_in)


def since_send_time(newest: date | None, today: date, settings: PullSettings) -> datetime:
    """The start of the campaigns asked for, midnight UTC."""
    if newest is None:
        start = today - timedelta(days=settings.history_days)
    else:
        start = min(newest, today) - timedelta(days=settings.lookback_days)
    return datetime.combine(start, time(), tzinfo=timezone.utc)


def landing_document(
    reports: list[Any], audiences: Iterable[tuple[dict[str, Any], list[Any]]]
) -> bytes:
    """The reports and each audience (its `/lists/{id}` object with its `growth_history`) as one
    JSON document, the form the cleaners read. `_links` are left out: they are navigation."""
    lists = [
        {**_without_links(audience), "growth_history": [_without_links(m) for m in months]}
        for audience, months in audiences
    ]
    document = {
        "reports": [_without_links(r) for r in reports],
        "total_items": len(reports),
        "lists": lists,
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def _without_links(item: Any) -> Any:
    if not isinstance(item, dict):
        return item
    return {key: value for key, value in item.items() if key != "_links"}

"""Deterministic Mailchimp demo files: two pulls of the label's newsletter account in 2025.

The second pull asks again for the campaigns of the first one's last weeks (their opens and clicks
kept coming), so the cleaners must keep its newer figures; it also carries one more month of
audience growth and a larger audience.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LIST_ID, LIST_NAME = "b3d70fa1c2", "BEDROT fans"
FIRST_PULL = "mailchimp_reports_20250415_070000.json"
SECOND_PULL = "mailchimp_reports_20250615_070000.json"
MONTHS = ("2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06")


@dataclass(frozen=True)
class Campaign:
    id: str
    title: str
    subject: str
    send_time: str
    sent: int


# (title, subject, send time, emails sent), one campaign a month.
_SENDS = (
    ("January newsletter", "PIG1987: Night Shift is out", "2025-01-17T17:00:00+00:00", 1180),
    ("February newsletter", "ZONE A0 live in Berlin", "2025-02-21T17:00:00+00:00", 1242),
    ("Release: First Light", "ZONE A0 - First Light, today", "2025-03-28T16:00:00+00:00", 1309),
    ("April newsletter", "Studio diary, April", "2025-04-11T17:00:00+00:00", 1351),
    ("May newsletter", "Summer shows", "2025-05-16T17:00:00+00:00", 1418),
    ("Release: Soft Machines", "IWARY - Soft Machines", "2025-06-06T16:00:00+00:00", 1463),
)
CAMPAIGNS = tuple(Campaign(f"c1a000000{n}", *send) for n, send in enumerate(_SENDS, start=1))


def report(campaign: Campaign, settled: bool) -> dict[str, Any]:
    """A `/reports` item; a campaign not yet `settled` has fewer opens and clicks."""
    number = int(campaign.id[-1])
    share = 1.0 if settled else 0.8
    hard, soft = 1 + number % 3, 3 + number % 4
    delivered = campaign.sent - hard - soft
    unique_opens = int(delivered * (0.41 + number / 100) * share)
    proxy_unique = int(unique_opens * 0.45)
    unique_clicks = int(delivered * (0.05 + number / 200) * share)
    subscriber_clicks = unique_clicks - number
    return {
        "id": campaign.id,
        "campaign_title": campaign.title,
        "type": "regular",
        "list_id": LIST_ID,
        "list_is_active": True,
        "list_name": LIST_NAME,
        "subject_line": campaign.subject,
        "preview_text": "",
        "emails_sent": campaign.sent,
        "abuse_reports": number % 2,
        "unsubscribed": 2 + number,
        "send_time": campaign.send_time,
        "bounces": {"hard_bounces": hard, "soft_bounces": soft, "syntax_errors": 0},
        "forwards": {"forwards_count": 0, "forwards_opens": 0},
        "opens": {
            "opens_total": int(unique_opens * 1.5),
            "proxy_excluded_opens": int(proxy_unique * 1.4),
            "unique_opens": unique_opens,
            "proxy_excluded_unique_opens": proxy_unique,
            "open_rate": round(unique_opens / delivered, 4),
            "proxy_excluded_open_rate": round(proxy_unique / delivered, 4),
        },
        "clicks": {
            "clicks_total": int(unique_clicks * 1.6),
            "unique_clicks": unique_clicks,
            "unique_subscriber_clicks": subscriber_clicks,
            "click_rate": round(subscriber_clicks / delivered, 4),
        },
    }


def growth(month: str) -> dict[str, Any]:
    index = MONTHS.index(month)
    return {
        "list_id": LIST_ID,
        "month": month,
        "existing": 0,
        "imports": 0,
        "optins": 0,
        "subscribed": 1150 + 60 * index,
        "unsubscribed": 3 + index,
        "reconfirm": 0,
        "cleaned": 2 + index % 3,
        "pending": index % 2,
        "deleted": 0,
        "transactional": 0,
    }


def pull(campaigns: tuple[Campaign, ...], unsettled: int, months: tuple[str, ...]) -> bytes:
    """An extractor document: the reports (the last `unsettled` still collecting opens)."""
    settled_until = len(campaigns) - unsettled
    members = 1150 + 60 * len(months)
    document = {
        "reports": [report(c, n < settled_until) for n, c in enumerate(campaigns)],
        "total_items": len(campaigns),
        "lists": [
            {
                "id": LIST_ID,
                "name": LIST_NAME,
                "stats": {"member_count": members, "unsubscribe_count": 41, "cleaned_count": 17},
                "growth_history": [growth(month) for month in reversed(months)],
            }
        ],
    }
    return (json.dumps(document, indent=2) + "\n").encode("utf-8")


def write_mailchimp(folder: Path) -> list[Path]:
    """Two pulls into `folder` (1_landing/mailchimp/ of a demo lake); the same bytes every time."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        FIRST_PULL: pull(CAMPAIGNS[:4], unsettled=2, months=MONTHS[:4]),
        SECOND_PULL: pull(CAMPAIGNS[2:], unsettled=1, months=MONTHS),
    }
    written = []
    for name, content in files.items():
        target = folder / name
        target.write_bytes(content)
        written.append(target)
    return written

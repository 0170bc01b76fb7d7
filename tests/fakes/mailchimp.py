"""A fake Mailchimp Marketing API v3 on 127.0.0.1: `/3.0/reports` (filtered by
`since_send_time`), `/3.0/lists`, `/3.0/lists/<id>` and `/3.0/lists/<id>/growth-history`, pages
of `count` from `offset` with `total_items`, HTTP Basic with the API key (any user name), 401
problem JSON for a key it does not know, and queued 429 answers."""

from __future__ import annotations

import base64
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from tests.fakes.site import FakeSite, Request, Response

VALID_KEY = "0123456789abcdef0123456789abcdef-us6"
LIST_ID, LIST_NAME = "57afe96172", "Fans"
MEMBER_COUNT = 1834
PREFIX = "/3.0"
KEY_INVALID = {
    "type": "https://mailchimp.com/developer/marketing/docs/errors/",
    "title": "API Key Invalid",
    "status": 401,
    "detail": "Your API key may be invalid, or you've attempted to access the wrong datacenter.",
    "instance": "3f1e2f3a-0000-4000-8000-000000000001",
}
TOO_MANY = {
    "type": "https://mailchimp.com/developer/marketing/docs/errors/",
    "title": "Too Many Requests",
    "status": 429,
    "detail": "You have exceeded the limit of 10 simultaneous connections.",
    "instance": "3f1e2f3a-0000-4000-8000-000000000002",
}


def report(number: int, send_time: str) -> dict[str, Any]:
    """A `/reports` item with every figure derived from `number` (1, 2, 3, ...)."""
    sent = 1000 + 100 * number
    return {
        "id": f"fa11ce{number:04d}",
        "campaign_title": f"Newsletter {number}",
        "type": "regular",
        "list_id": LIST_ID,
        "list_is_active": True,
        "list_name": LIST_NAME,
        "subject_line": f"News number {number}",
        "preview_text": "",
        "emails_sent": sent,
        "abuse_reports": number % 2,
        "unsubscribed": number + 1,
        "send_time": send_time,
        "bounces": {"hard_bounces": number, "soft_bounces": 2 * number, "syntax_errors": 1},
        "forwards": {"forwards_count": 0, "forwards_opens": 0},
        "opens": {
            "opens_total": 700 + number,
            "proxy_excluded_opens": 300 + number,
            "unique_opens": 500 + number,
            "proxy_excluded_unique_opens": 200 + number,
            "open_rate": 0.4 + number / 100,
            "proxy_excluded_open_rate": 0.2 + number / 100,
            "last_open": send_time,
        },
        "clicks": {
            "clicks_total": 90 + number,
            "unique_clicks": 60 + number,
            "unique_subscriber_clicks": 55 + number,
            "click_rate": 0.05 + number / 1000,
            "last_click": send_time,
        },
        "list_stats": {"sub_rate": 5.0, "unsub_rate": 0.4, "open_rate": 48.2, "click_rate": 6.9},
        "delivery_status": {"enabled": False},
        "_links": [{"rel": "parent", "href": "https://us6.api.mailchimp.com/3.0/reports"}],
    }


def growth(month: str, number: int) -> dict[str, Any]:
    return {
        "list_id": LIST_ID,
        "month": month,
        "existing": 0,
        "imports": 0,
        "optins": 0,
        "subscribed": 1500 + 10 * number,
        "unsubscribed": number,
        "reconfirm": 0,
        "cleaned": number % 3,
        "pending": 1,
        "deleted": 0,
        "transactional": 2,
    }


class FakeMarketingApi:
    """`queued` answers are served first (after the key check), one per request. After
    `hold_after(n)`, every request past the n-th waits (`held` is set) until `release()`: a
    test can kill the extractor while it is, for certain, in the middle of its work."""

    def __init__(self, keys: tuple[str, ...] = (VALID_KEY,)) -> None:
        self.site = FakeSite()
        self.keys = set(keys)
        self.queued: list[Response] = []
        self.times: list[float] = []
        self.held = threading.Event()
        self._hold_from: int | None = None
        self._released = threading.Event()
        self.reports = [
            report(1, "2025-01-10T17:00:00+00:00"),
            report(2, "2025-02-14T17:00:00+00:00"),
            report(3, "2025-03-21T16:30:00+00:00"),
        ]
        self.months = [growth(f"2025-{m:02d}", m) for m in (3, 2, 1)]
        routes = {
            "/reports": self._reports,
            "/lists": self._lists,
            f"/lists/{LIST_ID}": self._list,
            f"/lists/{LIST_ID}/growth-history": self._growth,
        }
        for path, handler in routes.items():
            self.site.route("GET", PREFIX + path, protected=False)(self._guarded(handler))

    @property
    def base_url(self) -> str:
        """What config/extractors/mailchimp.json's base_url is set to in tests."""
        return self.site.base_url + PREFIX

    @property
    def requests(self) -> list[Request]:
        return [r for r in self.site.requests if r.path.startswith(PREFIX)]

    @contextmanager
    def running(self) -> Iterator[FakeMarketingApi]:
        with self.site.running():
            yield self

    def throttle(self, retry_after: str = "0") -> None:
        self.queued.append(Response.json(TOO_MANY, 429, {"Retry-After": retry_after}))

    def hold_after(self, answered: int) -> None:
        self._hold_from = len(self.times) + answered
        self._released.clear()
        self.held.clear()

    def release(self) -> None:
        self._hold_from = None
        self._released.set()

    @staticmethod
    def key_of(request: Request) -> str:
        header = request.headers.get("authorization", "")
        if not header.lower().startswith("basic "):
            return ""
        _, _, key = base64.b64decode(header.split(" ", 1)[1]).decode().partition(":")
        return key

    def _guarded(self, handler: Any) -> Any:
        def serve(request: Request) -> Response:
            self.times.append(time.monotonic())
            if self._hold_from is not None and len(self.times) > self._hold_from:
                self.held.set()
                self._released.wait(60)
            if self.key_of(request) not in self.keys:
                return Response.json(KEY_INVALID, 401)
            if self.queued:
                return self.queued.pop(0)
            return Response.json(handler(request))

        return serve

    @staticmethod
    def _page(request: Request, items: list[Any], key: str) -> dict[str, Any]:
        count = int(request.query.get("count", ["10"])[0])
        offset = int(request.query.get("offset", ["0"])[0])
        return {key: items[offset : offset + count], "total_items": len(items)}

    def _reports(self, request: Request) -> dict[str, Any]:
        since = request.query.get("since_send_time", [""])[0]
        chosen = [
            r
            for r in self.reports
            if not since or datetime.fromisoformat(r["send_time"]) >= datetime.fromisoformat(since)
        ]
        return self._page(request, chosen, "reports")

    def _lists(self, request: Request) -> dict[str, Any]:
        return self._page(request, [{"id": LIST_ID}], "lists")

    def _list(self, request: Request) -> dict[str, Any]:
        stats = {"member_count": MEMBER_COUNT, "unsubscribe_count": 52, "cleaned_count": 9}
        return {"id": LIST_ID, "name": LIST_NAME, "stats": stats}

    def _growth(self, request: Request) -> dict[str, Any]:
        return {"list_id": LIST_ID, **self._page(request, self.months, "history")}

"""A fake Graph API on 127.0.0.1: `/<version>/act_<id>/insights`, daily campaign rows for the
asked `time_range`, pages of `limit` rows linked by `paging.next` (with the token in the link, as
Meta does), queued throttle answers, and code 190 for a token it does not know."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import urlencode

from tests.fakes.site import FakeSite, Request, Response

ACCOUNT_ID = "1234567890"
VALID_TOKEN = "EAAGfakeValidToken0123456789abcdef"
VERSIONS = ("v25.0", "v26.0")
CAMPAIGNS = (
    ("120215000000000001", "PIG1987 - NIGHT SHIFT - BROAD"),
    ("120215000000000002", "ZONE A0 - FIRST LIGHT - LOOKALIKE"),
)
OAUTH_ERROR = {
    "error": {
        "message": "Error validating access token: Session has expired on Friday, 01-Aug-25.",
        "type": "OAuthException",
        "code": 190,
        "error_subcode": 463,
        "fbtrace_id": "AbCdEfGhIjK",
    }
}


def throttle_error(code: int) -> dict[str, object]:
    return {
        "error": {
            "message": "(#17) User request limit reached",
            "type": "OAuthException",
            "code": code,
            "is_transient": True,
            "fbtrace_id": "AbCdEfGhIjL",
        }
    }


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(str(offset).encode()).decode().rstrip("=")


def _offset(cursor: str) -> int:
    return int(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode())


def campaign_row(day: date, index: int) -> dict[str, object]:
    """One day of one campaign as Meta sends it: every metric a string."""
    campaign_id, name = CAMPAIGNS[index]
    spend = Decimal(day.toordinal() % 40 + 3 * index + 1) + Decimal(day.day) / 100
    impressions, clicks, reach = 1000 + day.day * 13, 10 + day.day % 7, 800 + day.day * 11
    return {
        "campaign_id": campaign_id,
        "campaign_name": name,
        "spend": f"{spend:.2f}",
        "impressions": str(impressions),
        "clicks": str(clicks),
        "inline_link_clicks": str(clicks - 2),
        "cpc": f"{spend / clicks:.6f}",
        "cpm": f"{spend * 1000 / impressions:.6f}",
        "ctr": f"{Decimal(clicks * 100) / impressions:.6f}",
        "reach": str(reach),
        "frequency": f"{Decimal(impressions) / reach:.6f}",
        "actions": [{"action_type": "link_click", "value": str(clicks - 2)}],
        "account_currency": "USD",
        "date_start": day.isoformat(),
        "date_stop": day.isoformat(),
    }


class FakeGraphApi:
    """`queued` answers are served first (after the token check), one per request."""

    def __init__(self, account_id: str = ACCOUNT_ID, tokens: tuple[str, ...] = (VALID_TOKEN,)):
        self.site = FakeSite()
        self.tokens = set(tokens)
        self.queued: list[Response] = []
        self.served: list[dict[str, object]] = []
        self.times: list[float] = []
        for version in VERSIONS:
            path = f"/{version}/act_{account_id}/insights"
            self.site.route("GET", path, protected=False)(self.insights)

    @property
    def base_url(self) -> str:
        return self.site.base_url

    @property
    def requests(self) -> list[Request]:
        return [r for r in self.site.requests if r.path.endswith("/insights")]

    @contextmanager
    def running(self) -> Iterator[FakeGraphApi]:
        with self.site.running():
            yield self

    def throttle(self, code: int = 17, retry_after: str | None = None) -> None:
        """The next request is refused as Meta refuses a busy ad account."""
        headers = {"Retry-After": retry_after} if retry_after is not None else {}
        status = 429 if retry_after is not None else 400
        self.queued.append(Response.json(throttle_error(code), status, headers))

    def token_of(self, request: Request) -> str:
        header = request.headers.get("authorization", "")
        if header.lower().startswith(("bearer ", "oauth ")):
            return header.split(" ", 1)[1]
        return request.query.get("access_token", [""])[0]

    def insights(self, request: Request) -> Response:
        self.times.append(time.monotonic())
        token = self.token_of(request)
        if token not in self.tokens:
            headers = {"WWW-Authenticate": 'OAuth "Facebook Platform" "invalid_token"'}
            return Response.json(OAUTH_ERROR, 400, headers)
        if self.queued:
            return self.queued.pop(0)
        return self._page(request, token)

    def _page(self, request: Request, token: str) -> Response:
        query = {name: values[0] for name, values in request.query.items()}
        span = json.loads(query["time_range"])
        rows = self.rows(date.fromisoformat(span["since"]), date.fromisoformat(span["until"]))
        offset = _offset(query["after"]) if "after" in query else 0
        limit = int(query.get("limit", "25"))
        page = rows[offset : offset + limit]
        self.served.extend(page)
        paging: dict[str, object] = {
            "cursors": {"before": _cursor(offset), "after": _cursor(offset + len(page))}
        }
        if offset + limit < len(rows):
            following = {**query, "access_token": token, "after": _cursor(offset + limit)}
            paging["next"] = f"{self.base_url}{request.path}?{urlencode(following)}"
        return Response.json({"data": page, "paging": paging})

    @staticmethod
    def rows(since: date, until: date) -> list[dict[str, object]]:
        days = [since + timedelta(days=n) for n in range((until - since).days + 1)]
        return [campaign_row(day, index) for day in days for index in range(len(CAMPAIGNS))]

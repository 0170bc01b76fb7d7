"""A fake Instagram Graph API on 127.0.0.1: the account, `/insights` (values metrics dated by
Pacific midnights in UTC, total_value metrics for the asked day, the follower_type breakdown),
media with paging (the token in `paging.next`, as Meta does), media insights, code 100 for
metrics it no longer serves, code 190 for a token it does not know, queued throttle answers and
`/refresh_access_token`."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from tests.fakes.site import FakeSite, Request, Response

USER_ID = "17841400000000000"
USERNAME = "zone.a0"
VALID_TOKEN = "IGQVJfakeValidToken0123456789abcdef"
VERSION = "v23.0"
FOLLOWERS = 4321
PACIFIC = ZoneInfo("America/Los_Angeles")
METRICS = (
    "reach", "follower_count", "views", "profile_views", "website_clicks", "profile_links_taps",
    "accounts_engaged", "total_interactions", "likes", "comments", "shares", "saves",
)  # fmt: skip
MEDIA = (
    ("18000000000000001", "IMAGE", "FEED", "First light. " * 12, "2025-01-03T18:04:05+0000"),
    ("18000000000000002", "VIDEO", "REELS", "Night shift teaser", "2025-01-05T02:30:00+0000"),
    ("18000000000000003", "CAROUSEL_ALBUM", "FEED", None, "2025-01-06T07:59:59+0000"),
)  # fmt: skip
MEDIA_METRICS = ("reach", "views", "likes", "comments", "saved", "shares")
OAUTH_ERROR = {
    "error": {
        "message": "Error validating access token: Session has expired on Friday, 01-Aug-25.",
        "type": "OAuthException",
        "code": 190,
        "fbtrace_id": "AbCdEfGhIjK",
    }
}


def metric_value(metric: str, day: date) -> int:
    """The fake's number for one metric on one Pacific day."""
    return (day.toordinal() % 97) * (METRICS.index(metric) + 3) + 11


def media_value(media_id: str, metric: str) -> int:
    return int(media_id[-1]) * 100 + MEDIA_METRICS.index(metric) * 7 + 5


def end_time(day: date) -> str:
    """The `end_time` Instagram writes for `day`'s value: the Pacific midnight ending it (the
    next day's), in UTC."""
    after = day + timedelta(days=1)
    midnight = datetime(after.year, after.month, after.day, tzinfo=PACIFIC)
    return midnight.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+0000")


def pacific_day(seconds: str) -> date:
    return datetime.fromtimestamp(int(seconds), PACIFIC).date()


def error(code: int, message: str) -> dict[str, object]:
    return {"error": {"message": message, "type": "OAuthException", "code": code,
                      "fbtrace_id": "AbCdEfGhIjL"}}  # fmt: skip


class FakeInstagramApi:
    """`queued` answers are served first (after the token check), one per request."""

    def __init__(self, tokens: tuple[str, ...] = (VALID_TOKEN,), media_page: int = 2) -> None:
        self.site = FakeSite()
        self.tokens = set(tokens)
        self.queued: list[Response] = []
        self.deprecated: set[str] = set()
        self.media_refused: set[str] = set()  # posts whose insights answer code 100, 2108006
        self.media_page = media_page
        self.times: list[float] = []
        self.renewed: list[str] = []
        site = self.site
        site.route("GET", f"/{VERSION}/{USER_ID}", protected=False)(self.checked(self.account))
        site.route("GET", f"/{VERSION}/{USER_ID}/insights", protected=False)(
            self.checked(self.insights)
        )
        site.route("GET", f"/{VERSION}/{USER_ID}/media", protected=False)(self.checked(self.media))
        for media_id, *_ in MEDIA:
            site.route("GET", f"/{VERSION}/{media_id}/insights", protected=False)(
                self.checked(self.media_insights)
            )
        site.route("GET", "/refresh_access_token", protected=False)(self.checked(self.refresh))

    @property
    def base_url(self) -> str:
        return self.site.base_url

    @property
    def requests(self) -> list[Request]:
        return [r for r in self.site.requests if r.path != "/favicon.ico"]

    @contextmanager
    def running(self) -> Iterator[FakeInstagramApi]:
        with self.site.running():
            yield self

    def throttle(self, code: int = 4, retry_after: str | None = None) -> None:
        headers = {"Retry-After": retry_after} if retry_after is not None else {}
        status = 429 if retry_after is not None else 400
        self.queued.append(Response.json(error(code, "(#4) Application request limit reached"),
                                         status, headers))  # fmt: skip

    def token_of(self, request: Request) -> str:
        header = request.headers.get("authorization", "")
        if header.lower().startswith("bearer "):
            return header.split(" ", 1)[1]
        return request.query.get("access_token", [""])[0]

    def checked(self, handler: Callable[[Request], Response]) -> Callable[[Request], Response]:
        def answer(request: Request) -> Response:
            self.times.append(time.monotonic())
            token = request.query.get("access_token", [""])[0] if request.path.startswith(
                "/refresh") else self.token_of(request)  # fmt: skip
            if token not in self.tokens:
                return Response.json(OAUTH_ERROR, 400)
            if self.queued:
                return self.queued.pop(0)
            return handler(request)

        return answer

    def query(self, request: Request) -> dict[str, str]:
        return {name: values[0] for name, values in request.query.items()}

    def refused(self, metrics: list[str]) -> Response | None:
        gone = [m for m in metrics if m in self.deprecated]
        if not gone:
            return None
        message = f"(#100) The {gone[0]} metric is no longer supported for this API version."
        return Response.json(error(100, message), 400)

    def account(self, request: Request) -> Response:
        return Response.json({"username": USERNAME, "followers_count": FOLLOWERS,
                              "media_count": len(MEDIA), "id": USER_ID})  # fmt: skip

    def insights(self, request: Request) -> Response:
        query = self.query(request)
        metrics = query["metric"].split(",")
        refusal = self.refused(metrics)
        if refusal is not None:
            return refusal
        first = pacific_day(query["since"])
        last = pacific_day(query["until"]) - timedelta(days=1)
        days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        data = []
        for metric in metrics:
            item: dict[str, object] = {"name": metric, "period": "day", "title": metric,
                                       "id": f"{USER_ID}/insights/{metric}/day"}  # fmt: skip
            if query.get("metric_type") == "total_value":
                value = sum(metric_value(metric, d) for d in days)
                total: dict[str, object] = {"value": value}
                if query.get("breakdown") == "follower_type":
                    followers = value // 3
                    total["breakdowns"] = [{"dimension_keys": ["follower_type"], "results": [
                        {"dimension_values": ["FOLLOWER"], "value": followers},
                        {"dimension_values": ["NON_FOLLOWER"], "value": value - followers},
                    ]}]  # fmt: skip
                item["total_value"] = total
            else:
                item["values"] = [{"value": metric_value(metric, d), "end_time": end_time(d)}
                                  for d in days]  # fmt: skip
            data.append(item)
        return Response.json({"data": data})

    def media(self, request: Request) -> Response:
        query = self.query(request)
        offset = int(query.get("after", "0"))
        entries = []
        for media_id, kind, product, caption, stamp in MEDIA[offset : offset + self.media_page]:
            entry = {"id": media_id, "media_type": kind, "media_product_type": product,
                     "timestamp": stamp, "permalink": f"https://www.instagram.com/p/{media_id}/",
                     "like_count": 1, "comments_count": 1}  # fmt: skip
            if caption is not None:
                entry["caption"] = caption
            entries.append(entry)
        paging: dict[str, object] = {}
        if offset + self.media_page < len(MEDIA):
            following = {**query, "after": str(offset + self.media_page),
                         "access_token": self.token_of(request)}  # fmt: skip
            paging["next"] = f"{self.base_url}{request.path}?{urlencode(following)}"
        return Response.json({"data": entries, "paging": paging})

    def media_insights(self, request: Request) -> Response:
        media_id = request.path.split("/")[2]
        metrics = self.query(request)["metric"].split(",")
        if media_id in self.media_refused:  # Meta's answer for a post older than the account
            refused = error(100, "(#100) Media posted before business account conversion")
            refused["error"]["error_subcode"] = 2108006  # type: ignore[index]
            return Response.json(refused, 400)
        refusal = self.refused(metrics)
        if refusal is not None:
            return refusal
        data = [{"name": m, "period": "lifetime", "values": [{"value": media_value(media_id, m)}],
                 "id": f"{media_id}/insights/{m}/lifetime"} for m in metrics]  # fmt: skip
        return Response.json({"data": data})

    def refresh(self, request: Request) -> Response:
        if self.query(request).get("grant_type") != "ig_refresh_token":
            return Response.json(error(100, "Unsupported grant_type"), 400)
        token = f"IGQVJfakeRenewedToken{len(self.renewed) + 1:04d}zyxwvutsrq"
        self.renewed.append(token)
        self.tokens.add(token)
        return Response.json({"access_token": token, "token_type": "bearer",
                              "expires_in": 5184000})  # fmt: skip

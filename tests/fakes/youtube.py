"""A fake of Google's YouTube APIs on 127.0.0.1: Analytics API v2 `/v2/reports` (positional
`rows` under `columnHeaders`, per day or per day and video, paged by `startIndex`/`maxResults`),
Data API v3 `/youtube/v3/channels` (statistics) and the OAuth token endpoint `/token`
(grant_type=refresh_token). An unknown Bearer token is a 401 as Google answers it; queued
answers (quota) are served first, one per request."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

from tests.fakes.site import FakeSite, Request, Response

VALID_TOKEN = "ya29.fake-valid-access-token-0123456789"
EXPIRED_TOKEN = "ya29.fake-expired-access-token-9876543210"
REFRESH_TOKEN = "1//fake-refresh-token-abcdefghijklmnop"
CLIENT_ID = "1234567890-fake.apps.googleusercontent.com"
CLIENT_SECRET = "GOCSPX-fake-client-secret"
CHANNEL_ID = "UCfakeBedrotChannel0000001"
VIDEOS = ("dQw4w9WgXcQ", "BEDROTvid01", "BEDROTvid02")
SUBSCRIBERS, TOTAL_VIEWS, VIDEO_COUNT = 4321, 987654, 42
METRICS = (
    "views", "estimatedMinutesWatched", "averageViewDuration", "likes", "shares",
    "subscribersGained", "subscribersLost",
)  # fmt: skip
UNAUTHENTICATED = {
    "error": {
        "code": 401,
        "message": "Request had invalid authentication credentials. Expected OAuth 2 access "
        "token, login cookie or other valid authentication credential.",
        "errors": [{"message": "Invalid Credentials", "domain": "global", "reason": "authError"}],
        "status": "UNAUTHENTICATED",
    }
}


def google_error(status: int, reason: str, message: str) -> dict[str, Any]:
    return {
        "error": {
            "code": status,
            "message": message,
            "errors": [{"message": message, "domain": "youtube.quota", "reason": reason}],
        }
    }


def video_metrics(day: date, index: int) -> list[int]:
    """One video's figures of one day (the channel's are their sums)."""
    views = 10 + day.day * 3 + index * 7
    return [views, views * 2 + index, 95 + index * 10, day.day % 5 + index, index, index % 2, 0]


def channel_metrics(day: date) -> list[int]:
    per_video = [video_metrics(day, index) for index in range(len(VIDEOS))]
    summed = [sum(values) for values in zip(*per_video)]
    summed[2] = 100 + day.day  # an average is not a sum
    summed[6] = 1 if day.day % 4 == 0 else 0
    return summed


class FakeYouTube:
    def __init__(self, tokens: tuple[str, ...] = (VALID_TOKEN,)) -> None:
        self.site = FakeSite()
        self.tokens = set(tokens)
        self.refresh_tokens = {REFRESH_TOKEN}
        self.renewed: list[str] = []
        self.queued: list[Response] = []
        self.times: list[float] = []
        self.site.route("GET", "/v2/reports", protected=False)(self.reports)
        self.site.route("GET", "/youtube/v3/channels", protected=False)(self.channels)
        self.site.route("POST", "/token", protected=False)(self.token)

    @property
    def base_url(self) -> str:
        return self.site.base_url

    @property
    def api_requests(self) -> list[Request]:
        return [r for r in self.site.requests if r.path != "/token"]

    @property
    def token_requests(self) -> list[Request]:
        return [r for r in self.site.requests if r.path == "/token"]

    @contextmanager
    def running(self) -> Iterator[FakeYouTube]:
        with self.site.running():
            yield self

    def quota(self, reason: str = "quotaExceeded", retry_after: str | None = None) -> None:
        """The next API request is refused as Google refuses a spent quota."""
        headers = {"Retry-After": retry_after} if retry_after is not None else {}
        status = 429 if reason == "rateLimitExceeded" and retry_after else 403
        message = "The request cannot be completed because you have exceeded your quota."
        self.queued.append(Response.json(google_error(status, reason, message), status, headers))

    def _authorized(self, request: Request) -> Response | None:
        self.times.append(time.monotonic())
        header = request.headers.get("authorization", "")
        token = header.split(" ", 1)[1] if header.lower().startswith("bearer ") else ""
        if token not in self.tokens:
            return Response.json(UNAUTHENTICATED, 401, {"WWW-Authenticate": "Bearer"})
        if self.queued:
            return self.queued.pop(0)
        return None

    def reports(self, request: Request) -> Response:
        refused = self._authorized(request)
        if refused is not None:
            return refused
        query = {name: values[0] for name, values in request.query.items()}
        start, end = date.fromisoformat(query["startDate"]), date.fromisoformat(query["endDate"])
        rows = self.rows(start, end, query["dimensions"])
        first = int(query.get("startIndex", "1")) - 1
        size = int(query.get("maxResults", str(len(rows) or 1)))
        names = query["dimensions"].split(",")
        headers = [{"name": n, "columnType": "DIMENSION", "dataType": "STRING"} for n in names]
        headers += [{"name": m, "columnType": "METRIC", "dataType": "INTEGER"} for m in METRICS]
        return Response.json(
            {
                "kind": "youtubeAnalytics#resultTable",
                "columnHeaders": headers,
                "rows": rows[first : first + size],
            }
        )

    @staticmethod
    def rows(start: date, end: date, dimensions: str) -> list[list[Any]]:
        days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
        if dimensions == "day":
            return [[d.isoformat(), *channel_metrics(d)] for d in days]
        return [
            [d.isoformat(), video, *video_metrics(d, index)]
            for d in days
            for index, video in enumerate(VIDEOS)
        ]

    def channels(self, request: Request) -> Response:
        refused = self._authorized(request)
        if refused is not None:
            return refused
        return Response.json(
            {
                "kind": "youtube#channelListResponse",
                "etag": "fake-etag",
                "pageInfo": {"totalResults": 1, "resultsPerPage": 5},
                "items": [
                    {
                        "kind": "youtube#channel",
                        "id": CHANNEL_ID,
                        "snippet": {"title": "BEDROT"},
                        "statistics": {
                            "viewCount": str(TOTAL_VIEWS),
                            "subscriberCount": str(SUBSCRIBERS),
                            "hiddenSubscriberCount": False,
                            "videoCount": str(VIDEO_COUNT),
                        },
                    }
                ],
            }
        )

    def token(self, request: Request) -> Response:
        form = request.form()
        known_client = (form.get("client_id"), form.get("client_secret")) == (
            CLIENT_ID,
            CLIENT_SECRET,
        )
        if form.get("grant_type") != "refresh_token" or not known_client:
            return Response.json({"error": "invalid_client"}, 401)
        if form.get("refresh_token") not in self.refresh_tokens:
            refused = {
                "error": "invalid_grant",
                "error_description": "Token has been expired or revoked.",
            }
            return Response.json(refused, 400)
        fresh = f"ya29.fake-renewed-access-token-{len(self.renewed) + 1:04d}"
        self.renewed.append(fresh)
        self.tokens.add(fresh)
        return Response.json(
            {"access_token": fresh, "expires_in": 3599, "scope": "yt-analytics.readonly",
             "token_type": "Bearer"}
        )  # fmt: skip

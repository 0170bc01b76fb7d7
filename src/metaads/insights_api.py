"""The Marketing API insights endpoint: one window's pages, following `paging.next`.

The token travels only in the `Authorization` header: Meta's `paging.next` links carry it as
`access_token`, so that parameter is taken out before a link is followed, and no message built
here quotes a URL. Throttling (codes 17, 80004 and the others in RATE_LIMIT_CODES, HTTP 429, a
`Retry-After`) and server errors are waited out `max_retries` times; a refused token (code 190)
is `TokenRefused`, anything else `ExtractionFailed` with one sentence.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import requests

from common.extract.errors import ExtractionFailed
from metaads.pull import PullSettings, PullWindow
from metaads.settings import EXPIRED_TOKEN_CODES, RATE_LIMIT_CODES

TOKEN_PARAM = "access_token"
TOO_MANY_REQUESTS = 429
SERVER_ERROR = 500
MESSAGE_LENGTH = 200
Page = dict[str, Any]


class TokenRefused(Exception):
    """Meta refused the access token (expired, revoked or invalid): only a new token helps."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class GraphError:
    """One answer that is not a page: Meta's error object, or what went wrong on the way."""

    http_status: int
    message: str
    code: int | None = None
    retry_after: float | None = None

    @property
    def throttled(self) -> bool:
        return (
            self.code in RATE_LIMIT_CODES
            or self.http_status == TOO_MANY_REQUESTS
            or self.retry_after is not None
        )

    @property
    def retryable(self) -> bool:
        # 0 is a connection that failed or timed out: as passing as a server error.
        return self.throttled or self.http_status == 0 or self.http_status >= SERVER_ERROR

    def describe(self) -> str:
        status = f"HTTP {self.http_status}" if self.http_status else "no answer"
        code = f", code {self.code}" if self.code is not None else ""
        return f"{status}{code}: {self.message}"


def _int_or_none(value: object) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None


def retry_after_seconds(header: str | None, now: datetime) -> float | None:
    """`Retry-After` as seconds: a number of seconds or an HTTP date; None when absent."""
    if not header:
        return None
    text = header.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - now).total_seconds())


def _error_of(response: requests.Response, body: object) -> GraphError:
    retry_after = retry_after_seconds(
        response.headers.get("Retry-After"), datetime.now(timezone.utc)
    )
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        what = "an answer that is not an insights page" if response.ok else "no error details"
        return GraphError(response.status_code, what, None, retry_after)
    message = " ".join(str(error.get("message", "no message")).split())[:MESSAGE_LENGTH]
    return GraphError(response.status_code, message, _int_or_none(error.get("code")), retry_after)


class InsightsApi:
    """Insights of one ad account; `sleep` is passed in so a test can see the waits."""

    def __init__(
        self,
        insights_url: str,
        token: str,
        settings: PullSettings,
        timeout_seconds: float,
        log: logging.Logger,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.insights_url = insights_url
        self.settings = settings
        self.timeout_seconds = timeout_seconds
        self.log = log
        self.sleep = sleep
        self._token = token
        self._session = requests.Session()
        self._session.headers["Authorization"] = f"Bearer {token}"

    def first_params(self, window: PullWindow) -> dict[str, str]:
        settings = self.settings
        return {
            "level": settings.level,
            "time_increment": str(settings.time_increment),
            "time_range": window.time_range(),
            "fields": ",".join(settings.fields),
            "limit": str(settings.page_limit),
            "use_unified_attribution_setting": str(
                settings.use_unified_attribution_setting
            ).lower(),
        }

    def pages(self, window: PullWindow) -> Iterator[Page]:
        """Every page of the window's insights, in Meta's order."""
        url: str = self.insights_url
        params: dict[str, str] | None = self.first_params(window)
        followed: set[str] = set()
        number = 1
        while True:
            page = self._page(url, params, number)
            yield page
            link = _next_link(page)
            if link is None:
                return
            url, params = self._followable(link, number), None
            if url in followed:
                raise ExtractionFailed(
                    f"The Graph API's link to page {number + 1} of the insights repeats an "
                    "earlier page; the pull stopped."
                )
            followed.add(url)
            number += 1

    def _followable(self, link: str, number: int) -> str:
        """The next-page link without the token, on the API's own host (or a refusal)."""
        home, parts = urlsplit(self.insights_url), urlsplit(link)
        if (parts.scheme, parts.netloc) != (home.scheme, home.netloc):
            raise ExtractionFailed(
                f"The Graph API's link to page {number + 1} points at {parts.netloc or 'no host'}, "
                f"not {home.netloc}; the pull stopped so the token is not sent there."
            )
        query = parse_qsl(parts.query, keep_blank_values=True)
        kept = urlencode([(name, value) for name, value in query if name != TOKEN_PARAM])
        return urlunsplit((parts.scheme, parts.netloc, parts.path, kept, ""))

    def _page(self, url: str, params: dict[str, str] | None, number: int) -> Page:
        """One page, after waiting out throttling and passing failures up to `max_retries`."""
        retries = self.settings.max_retries
        attempt = 0
        while True:
            answer = self._get(url, params)
            if not isinstance(answer, GraphError):
                return answer
            self._stop_unless_retryable(answer, number)
            if attempt == retries:
                raise ExtractionFailed(
                    self._scrub(
                        f"The Graph API still refused page {number} of the insights after "
                        f"{retries} retries ({answer.describe()}); the next run pulls the same "
                        "window again."
                    )
                )
            self._wait(answer, attempt, number)
            attempt += 1

    def _stop_unless_retryable(self, answer: GraphError, number: int) -> None:
        if answer.code in EXPIRED_TOKEN_CODES:
            raise TokenRefused(self._scrub(f"the Graph API refused it ({answer.describe()})"))
        if not answer.retryable:
            raise ExtractionFailed(
                self._scrub(
                    f"The Graph API refused page {number} of the insights ({answer.describe()})."
                )
            )

    def _wait(self, answer: GraphError, attempt: int, number: int) -> None:
        """Meta's `Retry-After` when given, else a doubling backoff capped at max_wait_seconds."""
        settings = self.settings
        if answer.retry_after is not None and answer.retry_after > settings.max_wait_seconds:
            raise ExtractionFailed(
                f"The Graph API asked to wait {answer.retry_after:.0f} s before page {number} "
                f"of the insights, longer than max_wait_seconds ({settings.max_wait_seconds:g}); "
                "the next run pulls the same window again."
            )
        backoff = min(settings.backoff_seconds * 2**attempt, settings.max_wait_seconds)
        seconds = answer.retry_after if answer.retry_after is not None else backoff
        self.log.info(
            "%s on page %d of the insights; waiting %.1f s, then retry %d of %d.",
            self._scrub(answer.describe()),
            number,
            seconds,
            attempt + 1,
            settings.max_retries,
        )
        self.sleep(seconds)

    def _get(self, url: str, params: dict[str, str] | None) -> Page | GraphError:
        try:
            response = self._session.get(url, params=params, timeout=self.timeout_seconds)
        except requests.RequestException as error:
            # The exception's text quotes the URL: name only its kind.
            return GraphError(0, f"the request failed ({type(error).__name__})")
        try:
            body: object = response.json()
        except ValueError:
            body = None
        if response.ok and isinstance(body, dict) and isinstance(body.get("data"), list):
            return body
        return _error_of(response, body)

    def _scrub(self, text: str) -> str:
        """Meta's own messages are quoted: never let one carry the token into a log or mark."""
        return text.replace(self._token, "[REDACTED]") if self._token else text


def _next_link(page: Page) -> str | None:
    paging = page.get("paging")
    link = paging.get("next") if isinstance(paging, dict) else None
    return link if isinstance(link, str) and link else None

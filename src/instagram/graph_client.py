"""GET against the Instagram Graph API, with Meta's errors sorted into what each one means.

The token travels in the `Authorization` header and no message built here quotes a URL or the
token. Throttling (HTTP 429, codes in RATE_LIMIT_CODES, a `Retry-After`) and server errors are
waited out `max_retries` times, then the pull stops with one sentence; a refused token (190,
HTTP 401/403) is `TokenRefused`; code 100 (a metric the API does not serve) is `MetricRefused`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any

import requests

from common.extract.errors import ExtractionFailed
from instagram.settings import EXPIRED_TOKEN_CODES, RATE_LIMIT_CODES, UNSUPPORTED_METRIC_CODE

TOO_MANY_REQUESTS = 429
REFUSED_STATUSES = frozenset({401, 403})
SERVER_ERROR = 500
MESSAGE_LENGTH = 200
Answer = dict[str, Any]


class TokenRefused(Exception):
    """Instagram refused the access token (expired, revoked or invalid): only a new one helps."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class MetricRefused(Exception):
    """Code 100: a metric asked for is not (or no longer) served for this account or media."""


@dataclass(frozen=True)
class Backoff:
    max_retries: int
    backoff_seconds: float
    max_wait_seconds: float


@dataclass(frozen=True)
class GraphError:
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


def retry_after_seconds(header: str | None, now: datetime) -> float | None:
    """`Retry-After` as seconds: a number of seconds or an HTTP date; None when absent."""
    if not header:
        return None
    try:
        return max(0.0, float(header.strip()))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(header.strip())
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - now).total_seconds())


def _code(value: object) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None


def error_of(response: requests.Response, body: object) -> GraphError:
    retry_after = retry_after_seconds(
        response.headers.get("Retry-After"), datetime.now(timezone.utc)
    )
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        what = "an answer that is not JSON" if response.ok else "no error details"
        return GraphError(response.status_code, what, None, retry_after)
    message = " ".join(str(error.get("message", "no message")).split())[:MESSAGE_LENGTH]
    return GraphError(response.status_code, message, _code(error.get("code")), retry_after)


class GraphClient:
    """One token's calls; `sleep` is passed in so a test can see the waits."""

    def __init__(
        self,
        token: str,
        backoff: Backoff,
        timeout_seconds: float,
        log: logging.Logger,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.backoff = backoff
        self.timeout_seconds = timeout_seconds
        self.log = log
        self.sleep = sleep
        self._session = requests.Session()
        self._token = ""
        self.use_token(token)

    def use_token(self, token: str) -> None:
        self._token = token
        self._session.headers["Authorization"] = f"Bearer {token}"

    def get(self, url: str, params: dict[str, str], what: str) -> Answer:
        """One answer, after waiting out throttling and passing failures up to max_retries."""
        attempt = 0
        while True:
            answer = self._get(url, params)
            if not isinstance(answer, GraphError):
                return answer
            self._stop_unless_retryable(answer, what)
            if attempt == self.backoff.max_retries:
                raise ExtractionFailed(
                    self._scrub(
                        f"The Instagram API still refused {what} after {attempt} retries "
                        f"({answer.describe()}); the next run asks again."
                    )
                )
            self._wait(answer, attempt, what)
            attempt += 1

    def _stop_unless_retryable(self, answer: GraphError, what: str) -> None:
        if answer.code in EXPIRED_TOKEN_CODES or answer.http_status in REFUSED_STATUSES:
            raise TokenRefused(self._scrub(f"the Instagram API refused it ({answer.describe()})"))
        if answer.code == UNSUPPORTED_METRIC_CODE:
            raise MetricRefused(self._scrub(answer.message))
        if not answer.retryable:
            raise ExtractionFailed(
                self._scrub(f"The Instagram API refused {what} ({answer.describe()}).")
            )

    def _wait(self, answer: GraphError, attempt: int, what: str) -> None:
        """The API's `Retry-After` when given, else a doubling backoff capped at max_wait."""
        backoff = self.backoff
        if answer.retry_after is not None and answer.retry_after > backoff.max_wait_seconds:
            raise ExtractionFailed(
                f"The Instagram API asked to wait {answer.retry_after:.0f} s before {what}, "
                f"longer than max_wait_seconds ({backoff.max_wait_seconds:g}); the next run "
                "asks again."
            )
        doubling = min(backoff.backoff_seconds * 2**attempt, backoff.max_wait_seconds)
        seconds = answer.retry_after if answer.retry_after is not None else doubling
        self.log.info(
            "%s on %s; waiting %.1f s, then retry %d of %d.",
            self._scrub(answer.describe()),
            what,
            seconds,
            attempt + 1,
            backoff.max_retries,
        )
        self.sleep(seconds)

    def _get(self, url: str, params: dict[str, str]) -> Answer | GraphError:
        try:
            response = self._session.get(url, params=params, timeout=self.timeout_seconds)
        except requests.RequestException as error:
            # The exception's text quotes the URL: name only its kind.
            return GraphError(0, f"the request failed ({type(error).__name__})")
        try:
            body: object = response.json()
        except ValueError:
            body = None
        if response.ok and isinstance(body, dict) and "error" not in body:
            return body
        return error_of(response, body)

    def _scrub(self, text: str) -> str:
        """Meta's own messages are quoted: never let one carry the token into a log."""
        return text.replace(self._token, "[REDACTED]") if self._token else text

"""The YouTube APIs over HTTP: Bearer token, one renewal on a refused token, bounded backoff.

A 401 (or a 403 that is not about quota) means Google refused the access token: when a refresh
token is at hand it is renewed once (`renew`) and the call retried; refused again, or without a
refresh token, it is `TokenRefused`. A quota or rate answer (429, 403 `quotaExceeded` /
`rateLimitExceeded`, a `Retry-After`) and server errors are waited out `max_retries` times, then
the pull stops with one sentence: it never loops. No message built here quotes a token.
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
from youtube.pull import PullSettings

QUOTA_REASONS = frozenset(
    {"quotaExceeded", "rateLimitExceeded", "userRateLimitExceeded", "dailyLimitExceeded"}
)
REFUSED = frozenset({401, 403})
TOO_MANY_REQUESTS = 429
SERVER_ERROR = 500
MESSAGE_LENGTH = 200
Document = dict[str, Any]


class TokenRefused(Exception):
    """Google refused the access token and it could not be renewed: only a new consent helps."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class RefreshRefused(TokenRefused):
    """The token endpoint refused the refresh token (`invalid_grant`: revoked or expired)."""


@dataclass(frozen=True)
class ApiError:
    http_status: int
    message: str
    reason: str | None = None
    retry_after: float | None = None

    @property
    def quota(self) -> bool:
        return (
            self.http_status == TOO_MANY_REQUESTS
            or self.reason in QUOTA_REASONS
            or (self.retry_after is not None and self.http_status not in REFUSED)
        )

    @property
    def refused(self) -> bool:
        return self.http_status in REFUSED and not self.quota

    @property
    def passing(self) -> bool:
        return self.quota or self.http_status == 0 or self.http_status >= SERVER_ERROR

    def describe(self) -> str:
        status = f"HTTP {self.http_status}" if self.http_status else "no answer"
        reason = f", {self.reason}" if self.reason else ""
        return f"{status}{reason}: {self.message}"


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


def error_of(response: requests.Response) -> ApiError:
    """Google's error object (`error.errors[0].reason`, `error.message`) as one ApiError."""
    retry_after = retry_after_seconds(
        response.headers.get("Retry-After"), datetime.now(timezone.utc)
    )
    try:
        body: object = response.json()
    except ValueError:
        body = None
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return ApiError(response.status_code, "no error details", None, retry_after)
    listed = error.get("errors")
    first = listed[0] if isinstance(listed, list) and listed and isinstance(listed[0], dict) else {}
    reason = first.get("reason") or error.get("status")
    message = " ".join(str(error.get("message", "no message")).split())[:MESSAGE_LENGTH]
    return ApiError(response.status_code, message, str(reason) if reason else None, retry_after)


class YouTubeApi:
    """GET calls with the current access token; `renew` gives a new one (None: no refresh
    token). `sleep` is passed in so a test can see the waits."""

    def __init__(
        self,
        access_token: str,
        renew: Callable[[], str] | None,
        settings: PullSettings,
        timeout_seconds: float,
        log: logging.Logger,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self.timeout_seconds = timeout_seconds
        self.log = log
        self.sleep = sleep
        self._token = access_token
        self._renew = renew
        self._session = requests.Session()

    def renew_now(self) -> None:
        """Renew before calling (the saved token is about to expire)."""
        if self._renew is not None:
            self._token = self._renew()

    def get(self, url: str, params: dict[str, str], what: str) -> Document:
        """One answer of `url`, after at most one renewal and `max_retries` waits."""
        attempt, renewed = 0, False
        while True:
            answer = self._get(url, params)
            if not isinstance(answer, ApiError):
                return answer
            if answer.refused:
                if renewed or self._renew is None:
                    raise TokenRefused(f"the YouTube API refused it ({answer.describe()})")
                self.log.info("The YouTube API refused the access token; renewing it once.")
                self._token = self._renew()
                renewed = True
                continue
            if not answer.passing:
                raise ExtractionFailed(f"The YouTube API refused the {what} ({answer.describe()}).")
            if attempt == self.settings.max_retries:
                raise ExtractionFailed(
                    f"The YouTube API still refused the {what} after {attempt} retries "
                    f"({answer.describe()}); the next run asks for the same days again."
                )
            self._wait(answer, attempt, what)
            attempt += 1

    def _wait(self, answer: ApiError, attempt: int, what: str) -> None:
        """Google's `Retry-After` when given, else a doubling backoff capped at max_wait."""
        settings = self.settings
        if answer.retry_after is not None and answer.retry_after > settings.max_wait_seconds:
            raise ExtractionFailed(
                f"The YouTube API asked to wait {answer.retry_after:.0f} s before the {what}, "
                f"longer than max_wait_seconds ({settings.max_wait_seconds:g}); the next run "
                "asks for the same days again."
            )
        backoff = min(settings.backoff_seconds * 2**attempt, settings.max_wait_seconds)
        seconds = answer.retry_after if answer.retry_after is not None else backoff
        self.log.info(
            "%s on the %s; waiting %.1f s, then retry %d of %d.",
            answer.describe(),
            what,
            seconds,
            attempt + 1,
            settings.max_retries,
        )
        self.sleep(seconds)

    def _get(self, url: str, params: dict[str, str]) -> Document | ApiError:
        headers = {"Authorization": f"Bearer {self._token}"}
        try:
            response = self._session.get(
                url, params=params, headers=headers, timeout=self.timeout_seconds
            )
        except requests.RequestException as error:
            return ApiError(0, f"the request failed ({type(error).__name__})")
        if response.status_code == 200:
            try:
                body: object = response.json()
            except ValueError:
                body = None
            if isinstance(body, dict):
                return body
            return ApiError(200, "an answer that is not a JSON object")
        return error_of(response)


@dataclass(frozen=True)
class Renewed:
    access_token: str
    expires_in: float | None


def refresh_access_token(
    token_url: str,
    client_id: str,
    client_secret: str,
    refresh_token: str,
    timeout_seconds: float,
) -> Renewed:
    """POST grant_type=refresh_token to Google's token endpoint; `invalid_grant` (revoked,
    expired, or the consent withdrawn) is RefreshRefused."""
    form = {
        "grant_type": "refresh_token",
        "refresh_token": refresh_token,
        "client_id": client_id,
        "client_secret": client_secret,
    }
    try:
        response = requests.post(token_url, data=form, timeout=timeout_seconds)
    except requests.RequestException as error:
        raise ExtractionFailed(
            f"Google's token endpoint did not answer ({type(error).__name__})."
        ) from None
    try:
        body: object = response.json()
    except ValueError:
        body = None
    answer = body if isinstance(body, dict) else {}
    access = answer.get("access_token")
    if response.status_code == 200 and isinstance(access, str) and access:
        expires = answer.get("expires_in")
        return Renewed(access, float(expires) if isinstance(expires, (int, float)) else None)
    code = str(answer.get("error") or f"HTTP {response.status_code}")
    if code in ("invalid_grant", "invalid_client", "unauthorized_client"):
        raise RefreshRefused(f"Google's token endpoint refused the refresh token ({code})")
    raise ExtractionFailed(f"Google's token endpoint answered {code} to the refresh.")

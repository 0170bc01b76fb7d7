"""The YouTube APIs over HTTP: Bearer token, one renewal on a refused token, bounded backoff.

A 401 (or a 403 that is not about quota) means Google refused the access token: when a refresh
token is at hand it is renewed once (`renew`) and the call retried; refused again, or without a
refresh token, it is `TokenRefused`. A quota or rate answer (429, 403 `quotaExceeded` /
`rateLimitExceeded`, a `Retry-After`) and server errors are waited out (common.extract.retrying),
then the pull stops with one sentence: it never loops. No message built here quotes a token.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests

from common.extract.errors import ExtractionFailed
from common.extract.retrying import (
    ApiAnswer,
    ApiCall,
    CredentialRefused,
    NetworkUnreachable,
    NoConnection,
    error_object,
    json_body,
    refusal,
    send,
    with_retries,
)
from youtube.pull import PullSettings

QUOTA_REASONS = frozenset(
    {"quotaExceeded", "rateLimitExceeded", "userRateLimitExceeded", "dailyLimitExceeded"}
)
REFUSED = frozenset({401, 403})
API_NAME = "The YouTube API"
Document = dict[str, Any]


class TokenRefused(CredentialRefused):
    """Google refused the access token and it could not be renewed: only a new consent helps."""


class RefreshRefused(TokenRefused):
    """The token endpoint refused the refresh token (`invalid_grant`: revoked or expired)."""


def refused(answer: ApiAnswer) -> bool:
    """Google refused the token: a 401, or a 403 that is not about quota."""
    return answer.http_status in REFUSED and not answer.rate_limited


def error_of(response: requests.Response) -> ApiAnswer:
    """Google's error object (`error.errors[0].reason`, `error.message`) as one ApiAnswer."""
    error = error_object(json_body(response))
    if error is None:
        return refusal(response, "no error details")
    listed = error.get("errors")
    first = listed[0] if isinstance(listed, list) and listed and isinstance(listed[0], dict) else {}
    found = first.get("reason") or error.get("status")
    reason = str(found) if found else None
    message = error.get("message", "no message")
    return refusal(response, message, reason=reason, rate_limited=reason in QUOTA_REASONS)


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
        renewed = False

        def fetch() -> Document | ApiAnswer | NoConnection:
            nonlocal renewed
            answer = self._get(url, params)
            while isinstance(answer, ApiAnswer) and refused(answer):
                if renewed or self._renew is None:
                    raise TokenRefused(f"the YouTube API refused it ({answer.describe()})")
                self.log.info("The YouTube API refused the access token; renewing it once.")
                self._token, renewed = self._renew(), True
                answer = self._get(url, params)
            return answer

        call = ApiCall(API_NAME, f"the {what}")
        return with_retries(fetch, self.settings.retry, self.log, self.sleep, call)

    def _get(self, url: str, params: dict[str, str]) -> Document | ApiAnswer | NoConnection:
        headers = {"Authorization": f"Bearer {self._token}"}
        timeout = self.timeout_seconds
        sent = send(
            lambda: self._session.get(url, params=params, headers=headers, timeout=timeout), url
        )
        if not isinstance(sent, requests.Response):
            return sent
        if sent.status_code != 200:
            return error_of(sent)
        body = json_body(sent)
        if isinstance(body, dict):
            return body
        return ApiAnswer(200, "an answer that is not a JSON object")


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
    response = send(lambda: requests.post(token_url, data=form, timeout=timeout_seconds), token_url)
    if isinstance(response, NoConnection):
        raise NetworkUnreachable(response.host, response.kind)
    if isinstance(response, ApiAnswer):
        raise ExtractionFailed(f"Google's token endpoint did not answer: {response.message}.")
    body = json_body(response)
    answer = body if isinstance(body, dict) else {}
    access = answer.get("access_token")
    if response.status_code == 200 and isinstance(access, str) and access:
        expires = answer.get("expires_in")
        return Renewed(access, float(expires) if isinstance(expires, (int, float)) else None)
    code = str(answer.get("error") or f"HTTP {response.status_code}")
    if code in ("invalid_grant", "invalid_client", "unauthorized_client"):
        raise RefreshRefused(f"Google's token endpoint refused the refresh token ({code})")
    raise ExtractionFailed(f"Google's token endpoint answered {code} to the refresh.")

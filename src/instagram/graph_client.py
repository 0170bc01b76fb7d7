"""GET against the Instagram Graph API, with Meta's errors sorted into what each one means.

The token travels in the `Authorization` header and no message built here quotes a URL or the
token. Throttling (HTTP 429, codes in RATE_LIMIT_CODES, a `Retry-After`) and server errors are
waited out (common.extract.retrying), then the pull stops with one sentence; a refused token
(190, HTTP 401/403) is `TokenRefused`; code 100 (a metric the API does not serve) is
`MetricRefused`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

import requests

from common.extract.retrying import (
    ApiAnswer,
    ApiCall,
    CredentialRefused,
    NoConnection,
    RetryPolicy,
    coded_refusal,
    json_body,
    send,
    with_retries,
)
from instagram.settings import EXPIRED_TOKEN_CODES, RATE_LIMIT_CODES, UNSUPPORTED_METRIC_CODE

REFUSED_STATUSES = frozenset({401, 403})
NOT_THE_DOCUMENT = "an answer that is not JSON"
API_NAME = "The Instagram API"
Answer = dict[str, Any]


class TokenRefused(CredentialRefused):
    """Instagram refused the access token (expired, revoked or invalid): only a new one helps."""


class MetricRefused(Exception):
    """Code 100: a metric asked for is not (or no longer) served for this account or media."""


class GraphClient:
    """One token's calls; `sleep` is passed in so a test can see the waits."""

    def __init__(
        self,
        token: str,
        retry: RetryPolicy,
        timeout_seconds: float,
        log: logging.Logger,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.retry = retry
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
        call = ApiCall(API_NAME, what)
        return with_retries(
            lambda: self._fetch(url, params), self.retry, self.log, self.sleep, call
        )

    def _fetch(self, url: str, params: dict[str, str]) -> Answer | ApiAnswer | NoConnection:
        answer = self._get(url, params)
        if not isinstance(answer, ApiAnswer):
            return answer
        if answer.code in EXPIRED_TOKEN_CODES or answer.http_status in REFUSED_STATUSES:
            raise TokenRefused(f"the Instagram API refused it ({answer.describe()})")
        if answer.code == UNSUPPORTED_METRIC_CODE:
            raise MetricRefused(answer.message)
        return answer

    def _get(self, url: str, params: dict[str, str]) -> Answer | ApiAnswer | NoConnection:
        timeout = self.timeout_seconds
        sent = send(lambda: self._session.get(url, params=params, timeout=timeout), url)
        if not isinstance(sent, requests.Response):
            return sent
        body = json_body(sent)
        if sent.ok and isinstance(body, dict) and "error" not in body:
            return body
        return coded_refusal(sent, body, self._token, NOT_THE_DOCUMENT, RATE_LIMIT_CODES)

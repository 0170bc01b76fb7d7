"""The Marketing API insights endpoint: one window's pages, following `paging.next`.

The token travels only in the `Authorization` header: Meta's `paging.next` links carry it as
`access_token`, so that parameter is taken out before a link is followed, and no message built
here quotes a URL. Throttling (codes 17, 80004 and the others in RATE_LIMIT_CODES, HTTP 429, a
`Retry-After`) and server errors are waited out (common.extract.retrying); a refused token (code
190) is `TokenRefused`, anything else `ExtractionFailed` with one sentence.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import requests

from common.extract.errors import ExtractionFailed
from common.extract.retrying import (
    ApiAnswer,
    ApiCall,
    CredentialRefused,
    NoConnection,
    coded_refusal,
    json_body,
    send,
    with_retries,
)
from metaads.pull import PullSettings, PullWindow
from metaads.settings import EXPIRED_TOKEN_CODES, RATE_LIMIT_CODES

TOKEN_PARAM = "access_token"
NOT_THE_DOCUMENT = "an answer that is not an insights page"
API_NAME = "The Graph API"
Page = dict[str, Any]


class TokenRefused(CredentialRefused):
    """Meta refused the access token (expired, revoked or invalid): only a new token helps."""


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
        call = ApiCall(API_NAME, f"page {number} of the insights")
        return with_retries(
            lambda: self._fetch(url, params), self.settings.retry, self.log, self.sleep, call
        )

    def _fetch(self, url: str, params: dict[str, str] | None) -> Page | ApiAnswer | NoConnection:
        answer = self._get(url, params)
        if isinstance(answer, ApiAnswer) and answer.code in EXPIRED_TOKEN_CODES:
            raise TokenRefused(f"the Graph API refused it ({answer.describe()})")
        return answer

    def _get(self, url: str, params: dict[str, str] | None) -> Page | ApiAnswer | NoConnection:
        timeout = self.timeout_seconds
        sent = send(lambda: self._session.get(url, params=params, timeout=timeout), url)
        if not isinstance(sent, requests.Response):
            return sent
        body = json_body(sent)
        if sent.ok and isinstance(body, dict) and isinstance(body.get("data"), list):
            return body
        return coded_refusal(sent, body, self._token, NOT_THE_DOCUMENT, RATE_LIMIT_CODES)


def _next_link(page: Page) -> str | None:
    paging = page.get("paging")
    link = paging.get("next") if isinstance(paging, dict) else None
    return link if isinstance(link, str) and link else None

"""The Mailchimp Marketing API v3: HTTP Basic with the API key, pages of `count` from `offset`.

The key travels only in the Authorization header, and no message built here quotes it. A 401 or
403 is `KeyRefused` (only a new key helps); 429, a `Retry-After` and server errors are waited
out (common.extract.retrying); anything else is `ExtractionFailed` with Mailchimp's own title
and detail.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from typing import Any

import requests

from common.extract.errors import ExtractionFailed
from common.extract.retrying import (
    ApiAnswer,
    ApiCall,
    CredentialRefused,
    NoConnection,
    json_body,
    refusal,
    send,
    with_retries,
)
from mailchimp.settings import KEY_ENV, PullSettings

# Mailchimp accepts any user name beside the key.
BASIC_USER = "bedrot"
DATA_CENTER = re.compile(r"-([a-z]{2,}\d+)$")
DATA_CENTER_FIELD = "{dc}"
REFUSED = frozenset({401, 403})
API_NAME = "Mailchimp"
Document = dict[str, Any]


class KeyRefused(CredentialRefused):
    """Mailchimp refused the API key (revoked, disabled or mistyped)."""


def data_center(api_key: str) -> str:
    """The key's data center, the part after its last hyphen (`...-us6` -> `us6`)."""
    match = DATA_CENTER.search(api_key.strip())
    if match is None:
        raise ExtractionFailed(
            f"{KEY_ENV} does not end with its data center (such as -us6): copy the whole key "
            "from Mailchimp (Profile > Extras > API keys) into .env."
        )
    return match[1]


def api_url(template: str, api_key: str) -> str:
    """A configured URL with the key's data center put in place of `{dc}`."""
    if DATA_CENTER_FIELD not in template:
        return template  # a fixed host (a local fake, a proxy) needs no data center
    return template.replace(DATA_CENTER_FIELD, data_center(api_key))


def _problem(response: requests.Response, key: str) -> ApiAnswer:
    """Mailchimp answers errors as problem JSON: `title` and `detail`."""
    body = json_body(response)
    parts = [body.get(k) for k in ("title", "detail")] if isinstance(body, dict) else []
    text = " ".join(str(p) for p in parts if p)
    return refusal(response, text if text.strip() else "no error details", key)


class MarketingApi:
    """One account's API; `sleep` is passed in so a test can see the waits."""

    def __init__(
        self,
        api_key: str,
        settings: PullSettings,
        timeout_seconds: float,
        log: logging.Logger,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self.timeout_seconds = timeout_seconds
        self.log = log
        self.sleep = sleep
        self._key = api_key
        self._session = requests.Session()
        self._session.auth = (BASIC_USER, api_key)

    def document(self, url: str, what: str, params: dict[str, str] | None = None) -> Document:
        """One document, after waiting out throttling and passing failures."""
        call = ApiCall(API_NAME, what)
        return with_retries(
            lambda: self._fetch(url, params), self.settings.retry, self.log, self.sleep, call
        )

    def collection(self, url: str, key: str, what: str, params: dict[str, str]) -> list[Any]:
        """Every item of a paged collection (`count` per page from `offset` to `total_items`)."""
        items: list[Any] = []
        count = self.settings.page_size
        while True:
            page_params = {**params, "count": str(count), "offset": str(len(items))}
            page = self.document(url, f"{what} from item {len(items)}", page_params)
            found = page.get(key)
            if not isinstance(found, list):
                raise ExtractionFailed(f"Mailchimp's answer for {what} has no {key} list.")
            items.extend(found)
            total = page.get("total_items")
            done = len(items) >= total if isinstance(total, int) else len(found) < count
            if done or not found:
                return items

    def _fetch(
        self, url: str, params: dict[str, str] | None
    ) -> Document | ApiAnswer | NoConnection:
        answer = self._get(url, params)
        if isinstance(answer, ApiAnswer) and answer.http_status in REFUSED:
            raise KeyRefused(f"Mailchimp refused it ({answer.describe()})")
        return answer

    def _get(self, url: str, params: dict[str, str] | None) -> Document | ApiAnswer | NoConnection:
        timeout = self.timeout_seconds
        sent = send(lambda: self._session.get(url, params=params, timeout=timeout), url)
        if not isinstance(sent, requests.Response):
            return sent
        if not sent.ok:
            return _problem(sent, self._key)
        body = json_body(sent)
        if isinstance(body, dict):
            return body
        return ApiAnswer(sent.status_code, "an answer that is not a JSON object")

"""The Mailchimp Marketing API v3: HTTP Basic with the API key, pages of `count` from `offset`.

The key travels only in the Authorization header, and no message built here quotes it. A 401 or
403 is `KeyRefused` (only a new key helps); 429, a `Retry-After` and server errors are waited
out `max_retries` times, never longer than `max_wait_seconds`; anything else is
`ExtractionFailed` with Mailchimp's own title and detail.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any

import requests

from common.extract.errors import ExtractionFailed
from mailchimp.settings import KEY_ENV, PullSettings

# Mailchimp accepts any user name beside the key.
BASIC_USER = "bedrot"
DATA_CENTER = re.compile(r"-([a-z]{2,}\d+)$")
DATA_CENTER_FIELD = "{dc}"
REFUSED = frozenset({401, 403})
TOO_MANY_REQUESTS = 429
SERVER_ERROR = 500
MESSAGE_LENGTH = 200
Document = dict[str, Any]


class KeyRefused(Exception):
    """Mailchimp refused the API key (revoked, disabled or mistyped)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


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


@dataclass(frozen=True)
class ApiAnswer:
    """An answer that is not the document asked for: its status and Mailchimp's problem text."""

    status: int
    message: str
    retry_after: float | None = None

    @property
    def throttled(self) -> bool:
        return self.status == TOO_MANY_REQUESTS or self.retry_after is not None

    @property
    def retryable(self) -> bool:
        # 0 is a connection that failed or timed out: as passing as a server error.
        return self.throttled or self.status == 0 or self.status >= SERVER_ERROR

    def describe(self) -> str:
        return f"{f'HTTP {self.status}' if self.status else 'no answer'}: {self.message}"


def _problem(response: requests.Response) -> ApiAnswer:
    """Mailchimp answers errors as problem JSON: `title` and `detail`."""
    try:
        body: object = response.json()
    except ValueError:
        body = None
    parts = [body.get(k) for k in ("title", "detail")] if isinstance(body, dict) else []
    text = " ".join(" ".join(str(p) for p in parts if p).split())[:MESSAGE_LENGTH]
    wait = retry_after_seconds(response.headers.get("Retry-After"), datetime.now(timezone.utc))
    return ApiAnswer(response.status_code, text or "no error details", wait)


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
        attempt = 0
        while True:
            answer = self._get(url, params)
            if not isinstance(answer, ApiAnswer):
                return answer
            if answer.status in REFUSED:
                raise KeyRefused(self._scrub(f"Mailchimp refused it ({answer.describe()})"))
            if not answer.retryable:
                raise ExtractionFailed(
                    self._scrub(f"Mailchimp refused {what} ({answer.describe()}).")
                )
            if attempt == self.settings.max_retries:
                raise ExtractionFailed(
                    self._scrub(
                        f"Mailchimp still refused {what} after {attempt} retries "
                        f"({answer.describe()}); the next run asks again."
                    )
                )
            self._wait(answer, attempt, what)
            attempt += 1

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

    def _wait(self, answer: ApiAnswer, attempt: int, what: str) -> None:
        """Mailchimp's `Retry-After` when given, else a doubling backoff capped at
        max_wait_seconds; a longer wait asked for stops the pull instead of holding the run."""
        settings = self.settings
        if answer.retry_after is not None and answer.retry_after > settings.max_wait_seconds:
            raise ExtractionFailed(
                f"Mailchimp asked to wait {answer.retry_after:.0f} s before {what}, longer than "
                f"max_wait_seconds ({settings.max_wait_seconds:g}); the next run asks again."
            )
        backoff = min(settings.backoff_seconds * 2**attempt, settings.max_wait_seconds)
        seconds = answer.retry_after if answer.retry_after is not None else backoff
        self.log.info(
            "%s for %s; waiting %.1f s, then retry %d of %d.",
            self._scrub(answer.describe()),
            what,
            seconds,
            attempt + 1,
            settings.max_retries,
        )
        self.sleep(seconds)

    def _get(self, url: str, params: dict[str, str] | None) -> Document | ApiAnswer:
        try:
            response = self._session.get(url, params=params, timeout=self.timeout_seconds)
        except requests.RequestException as error:
            return ApiAnswer(0, f"the request failed ({type(error).__name__})")
        if response.ok:
            try:
                body: object = response.json()
            except ValueError:
                body = None
            if isinstance(body, dict):
                return body
            return ApiAnswer(response.status_code, "an answer that is not a JSON object")
        return _problem(response)

    def _scrub(self, text: str) -> str:
        """Mailchimp's messages are quoted: never let one carry the key into a log."""
        return text.replace(self._key, "[REDACTED]") if self._key else text

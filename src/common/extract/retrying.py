"""Asking an HTTP API patiently: throttling and server errors are waited out, never for ever.

What the API services (Meta Ads, Instagram, YouTube, Mailchimp) share. An answer that is not the
document asked for is an `ApiAnswer`; throttling (HTTP 429, a `Retry-After`, the service's own
rate codes) and server errors are waited out `max_retries` times with a doubling backoff capped
at `max_wait_seconds` (or the API's `Retry-After`, unless it asks for longer than that), then the
pull stops with one sentence. A connection that cannot be made at all (no network, DNS, a proxy
refusing) is a `NoConnection`: tried once more after `reconnect_seconds`, then the pull stops at
once, so that a machine without network finishes its extract step in seconds, not minutes.

The settings come from `settings` of config/extractors/<service>.json, read by `SettingsReader`,
which says in one sentence what is wrong with a value. A service keeps its own API specifics
(error codes, a refused token, a refused metric) in its modules.
"""

from __future__ import annotations

import errno
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

from common.extract.errors import ExtractionFailed
from common.extractor_config import ExtractorConfig, ExtractorConfigError

if TYPE_CHECKING:
    # Imported where a request is sent: a service's settings (read by the report, health and
    # the runner) load this module without paying for `requests`.
    import requests

TOO_MANY_REQUESTS = 429
SERVER_ERROR = 500
MESSAGE_LENGTH = 200
RECONNECT_SECONDS = 2.0
PROXY_ENV = "HTTPS_PROXY"
NEXT_RUN = "the next run pulls the same window again"
REDACTED = "[REDACTED]"
NO_ROUTE = frozenset({errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN})
# Every service may set these; its own defaults may say otherwise.
RETRY_DEFAULTS: dict[str, Any] = {"reconnect_seconds": RECONNECT_SECONDS}

Document = TypeVar("Document")


class CredentialRefused(Exception):
    """The API refused the token or key it was sent: only a new one helps, so nothing retries
    it. `reason` is the API's answer, for the mark that keeps later runs from sending it."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class NetworkUnreachable(ExtractionFailed):
    """No connection to the API could be made, even once more: the machine is offline, its DNS
    or its proxy is broken. Waiting longer in this run would not help."""

    def __init__(self, host: str, kind: str) -> None:
        super().__init__(
            f"the network is unreachable ({host} could not be reached: {kind}); check the "
            f"connection or the proxy ({PROXY_ENV}); {NEXT_RUN}."
        )
        self.host, self.kind = host, kind


@dataclass(frozen=True)
class ApiAnswer:
    """An answer that is not the document asked for; `http_status` 0 means no answer came."""

    http_status: int
    message: str
    code: int | None = None
    reason: str | None = None
    retry_after: float | None = None
    # The service's own sign of throttling (a Graph API rate code, Google's quotaExceeded).
    rate_limited: bool = False

    @property
    def throttled(self) -> bool:
        return (
            self.rate_limited
            or self.http_status == TOO_MANY_REQUESTS
            or self.retry_after is not None
        )

    @property
    def retryable(self) -> bool:
        # 0 is a request that failed on the way (a timeout, a dropped answer): as passing as a
        # server error.
        return self.throttled or self.http_status == 0 or self.http_status >= SERVER_ERROR

    def describe(self) -> str:
        status = f"HTTP {self.http_status}" if self.http_status else "no answer"
        code = f", code {self.code}" if self.code is not None else ""
        reason = f", {self.reason}" if self.reason else ""
        return f"{status}{code}{reason}: {self.message}"


@dataclass(frozen=True)
class NoConnection:
    """No connection could be made to `host`; `kind` says how it failed, for people."""

    host: str
    kind: str


@dataclass(frozen=True)
class ApiCall:
    """Who is asked for what, as the sentences name them: `api` "The Graph API", `what` "page 1
    of the insights"."""

    api: str
    what: str


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


def scrub(text: str, secret: str) -> str:
    """APIs quote what they were sent: never let a message carry the token or key into a log."""
    return text.replace(secret, REDACTED) if secret else text


def json_body(response: requests.Response) -> object:
    """The answer's JSON, or None when it is not JSON."""
    try:
        body: object = response.json()
    except ValueError:
        return None
    return body


def error_object(body: object) -> dict[str, Any] | None:
    """`{"error": {...}}`, the way Google's and Meta's APIs answer a refusal."""
    error = body.get("error") if isinstance(body, dict) else None
    return error if isinstance(error, dict) else None


def whole_or_none(value: object) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None


def refusal(
    response: requests.Response,
    message: object,
    secret: str = "",
    code: int | None = None,
    reason: str | None = None,
    rate_limited: bool = False,
) -> ApiAnswer:
    """The answer as an ApiAnswer: its status, the API's message on one short line (the secret
    taken out), and how long it asked to wait."""
    wait = retry_after_seconds(response.headers.get("Retry-After"), datetime.now(timezone.utc))
    text = scrub(" ".join(str(message).split())[:MESSAGE_LENGTH], secret)
    return ApiAnswer(response.status_code, text, code, reason, wait, rate_limited)


def coded_refusal(
    response: requests.Response,
    body: object,
    secret: str,
    not_the_document: str,
    rate_codes: frozenset[int],
) -> ApiAnswer:
    """An `{"error": {"message", "code"}}` answer (Meta's Graph API) as one ApiAnswer; a code in
    `rate_codes` means throttling. `not_the_document` names an answer without an error object."""
    error = error_object(body)
    if error is None:
        return refusal(response, not_the_document if response.ok else "no error details")
    code = whole_or_none(error.get("code"))
    message = error.get("message", "no message")
    return refusal(response, message, secret, code=code, rate_limited=code in rate_codes)


def _cause_chain(error: BaseException) -> list[BaseException]:
    """The exception and what caused it, down through urllib3's MaxRetryError and its reason."""
    chain: list[BaseException] = []
    found: BaseException | None = error
    while found is not None and found not in chain and len(chain) < 10:
        chain.append(found)
        nested = found.args[0] if found.args else None
        reason = getattr(found, "reason", None)
        if isinstance(reason, BaseException):
            found = reason
        elif isinstance(nested, BaseException):
            found = nested
        else:
            found = found.__cause__ or found.__context__
    return chain


def unreachable_kind(error: requests.RequestException) -> str | None:
    """How a connection failed to be made (DNS, refused, no route, the proxy, no answer to the
    connect), or None for anything else: an SSL refusal, a read timeout or an answer cut off
    come from a server that was reached."""
    import requests

    if isinstance(error, requests.exceptions.SSLError):
        return None
    if isinstance(error, requests.exceptions.ProxyError):
        return "the proxy refused or could not be reached"
    if isinstance(error, requests.exceptions.ConnectTimeout):
        return "the connection timed out"
    if not isinstance(error, requests.exceptions.ConnectionError):
        return None
    for cause in _cause_chain(error):
        name = type(cause).__name__
        if name in ("NameResolutionError", "gaierror"):
            return "its name could not be resolved (DNS)"
        if isinstance(cause, ConnectionRefusedError):
            return "the connection was refused"
        if isinstance(cause, OSError) and cause.errno in NO_ROUTE:
            return "there is no route to it"
    if any(type(cause).__name__ == "NewConnectionError" for cause in _cause_chain(error)):
        return "no connection could be made"
    return None


def send(
    request: Callable[[], requests.Response], url: str
) -> requests.Response | ApiAnswer | NoConnection:
    """The response to `request`, else what went wrong on the way. An exception's text quotes
    the URL, so only its kind is named."""
    import requests

    try:
        return request()
    except requests.RequestException as error:
        kind = unreachable_kind(error)
        if kind is not None:
            return NoConnection(urlsplit(url).hostname or "the API's host", kind)
        return ApiAnswer(0, f"the request failed ({type(error).__name__})")


@dataclass(frozen=True)
class RetryPolicy:
    """How patiently one service's API is asked."""

    max_retries: int
    backoff_seconds: float
    max_wait_seconds: float
    reconnect_seconds: float = RECONNECT_SECONDS

    def wait(self, answer: ApiAnswer, attempt: int, call: ApiCall) -> float:
        """The API's `Retry-After` when given, else a doubling backoff capped at
        max_wait_seconds; a longer wait asked for stops the pull instead of holding the run."""
        if answer.retry_after is not None and answer.retry_after > self.max_wait_seconds:
            raise ExtractionFailed(
                f"{call.api} asked to wait {answer.retry_after:.0f} s before {call.what}, longer "
                f"than max_wait_seconds ({self.max_wait_seconds:g}); {NEXT_RUN}."
            )
        if answer.retry_after is not None:
            return answer.retry_after
        return min(self.backoff_seconds * 2.0**attempt, self.max_wait_seconds)


class SettingsReader:
    """`settings` of one extractor config, each value checked, with `defaults` for what the
    file leaves out; a wrong value is ExtractorConfigError naming the file and the key."""

    def __init__(self, config: ExtractorConfig, defaults: Mapping[str, Any]) -> None:
        self.config = config
        self.defaults = {**RETRY_DEFAULTS, **defaults}

    def _wrong(self, name: str, should: str) -> ExtractorConfigError:
        return ExtractorConfigError(f"{self.config.file}: settings.{name} {should}.")

    def value(self, name: str) -> Any:
        found = self.config.setting(name, self.defaults.get(name))
        if found is None:
            raise self._wrong(name, "is missing")
        return found

    def whole(self, name: str, minimum: int, maximum: int | None = None) -> int:
        found = self.value(name)
        if (
            isinstance(found, bool)
            or not isinstance(found, int)
            or found < minimum
            or (maximum is not None and found > maximum)
        ):
            most = f" and at most {maximum}" if maximum is not None else ""
            raise self._wrong(name, f"must be a whole number of at least {minimum}{most}")
        return found

    def seconds(self, name: str) -> float:
        found = self.value(name)
        if isinstance(found, bool) or not isinstance(found, (int, float)) or found < 0:
            raise self._wrong(name, "must be seconds (0 or more)")
        return float(found)

    def flag(self, name: str) -> bool:
        found = self.value(name)
        if not isinstance(found, bool):
            raise self._wrong(name, "must be true or false")
        return found

    def retry_policy(self) -> RetryPolicy:
        """`max_retries`, `backoff_seconds`, `max_wait_seconds` and `reconnect_seconds` (2 s
        unless the service's defaults or its config say otherwise)."""
        return RetryPolicy(
            max_retries=self.whole("max_retries", 0),
            backoff_seconds=self.seconds("backoff_seconds"),
            max_wait_seconds=self.seconds("max_wait_seconds"),
            reconnect_seconds=self.seconds("reconnect_seconds"),
        )


def _reconnect(
    lost: NoConnection, policy: RetryPolicy, log: logging.Logger, sleep: Callable[[float], None]
) -> None:
    log.info(
        "%s could not be reached (%s); trying once more in %.1f s.",
        lost.host,
        lost.kind,
        policy.reconnect_seconds,
    )
    sleep(policy.reconnect_seconds)


def _backoff(
    answer: ApiAnswer,
    attempt: int,
    policy: RetryPolicy,
    log: logging.Logger,
    sleep: Callable[[float], None],
    call: ApiCall,
) -> None:
    if attempt == policy.max_retries:
        raise ExtractionFailed(
            f"{call.api} still refused {call.what} after {attempt} retries "
            f"({answer.describe()}); {NEXT_RUN}."
        )
    seconds = policy.wait(answer, attempt, call)
    log.info(
        "%s on %s; waiting %.1f s, then retry %d of %d.",
        answer.describe(),
        call.what,
        seconds,
        attempt + 1,
        policy.max_retries,
    )
    sleep(seconds)


def with_retries(
    fetch: Callable[[], Document | ApiAnswer | NoConnection],
    policy: RetryPolicy,
    log: logging.Logger,
    sleep: Callable[[float], None],
    call: ApiCall,
) -> Document:
    """The document `fetch` answers, after waiting out throttling and server errors.

    `fetch` raises what only its service understands (a refused token, a refused metric); any
    other refusal that waiting cannot cure stops the pull with one sentence, and so does a
    connection that cannot be made twice in a row."""
    attempt, reconnected = 0, False
    while True:
        answer = fetch()
        if isinstance(answer, NoConnection):
            if reconnected:
                raise NetworkUnreachable(answer.host, answer.kind)
            _reconnect(answer, policy, log, sleep)
            reconnected = True
            continue
        if not isinstance(answer, ApiAnswer):
            return answer
        if not answer.retryable:
            raise ExtractionFailed(f"{call.api} refused {call.what} ({answer.describe()}).")
        _backoff(answer, attempt, policy, log, sleep, call)
        attempt += 1

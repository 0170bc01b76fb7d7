"""The retrying API client every API service shares: its waits, its refusals, its settings, and
how a connection that cannot be made is told apart from a server that answers slowly."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any

import pytest
import requests

from common.extract.errors import ExtractionFailed
from common.extract.retrying import (
    ApiAnswer,
    ApiCall,
    NetworkUnreachable,
    NoConnection,
    RetryPolicy,
    SettingsReader,
    retry_after_seconds,
    send,
    with_retries,
)
from common.extractor_config import ExtractorConfig, ExtractorConfigError

CALL = ApiCall("The Graph API", "page 1 of the insights")
POLICY = RetryPolicy(max_retries=3, backoff_seconds=10, max_wait_seconds=30)
PAGE = {"data": []}
THROTTLED = ApiAnswer(400, "Application request limit reached", code=17, rate_limited=True)
LOG = logging.getLogger("test_retrying")


class Answers:
    """A fetch that answers from a script, and a sleep that only writes the wait down."""

    def __init__(self, *answers: object) -> None:
        self.answers = list(answers)
        self.asked = 0
        self.waits: list[float] = []

    def fetch(self) -> Any:
        self.asked += 1
        return self.answers.pop(0)

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)

    def run(self, policy: RetryPolicy = POLICY) -> Any:
        return with_retries(self.fetch, policy, LOG, self.sleep, CALL)


def test_retry_after_is_seconds_or_an_http_date() -> None:
    now = datetime(2025, 8, 20, 12, 0, tzinfo=timezone.utc)
    assert retry_after_seconds("7", now) == 7.0
    assert retry_after_seconds("Wed, 20 Aug 2025 12:01:00 GMT", now) == 60.0
    assert retry_after_seconds("Wed, 20 Aug 2025 11:00:00 GMT", now) == 0.0
    assert retry_after_seconds(None, now) is None
    assert retry_after_seconds("soon", now) is None


def test_throttling_is_waited_out_doubling_and_capped_at_max_wait() -> None:
    answers = Answers(THROTTLED, THROTTLED, THROTTLED, PAGE)
    assert answers.run() == PAGE
    assert answers.waits == [10, 20, 30]


def test_the_apis_retry_after_wins_over_the_backoff() -> None:
    asked = ApiAnswer(429, "Too many requests", retry_after=3.0)
    answers = Answers(asked, PAGE)
    assert answers.run() == PAGE
    assert answers.waits == [3.0]


def test_a_server_error_and_an_answer_cut_off_are_retried() -> None:
    answers = Answers(ApiAnswer(503, "unavailable"), ApiAnswer(0, "the request failed"), PAGE)
    assert answers.run() == PAGE
    assert answers.waits == [10, 20]


def test_throttling_that_does_not_end_stops_after_max_retries_with_one_sentence() -> None:
    answers = Answers(*[THROTTLED] * 5)
    with pytest.raises(ExtractionFailed) as failed:
        answers.run()
    assert answers.asked == 4 and len(answers.waits) == 3
    assert str(failed.value) == (
        "The Graph API still refused page 1 of the insights after 3 retries (HTTP 400, code 17: "
        "Application request limit reached); the next run pulls the same window again."
    )


def test_a_retry_after_longer_than_max_wait_stops_at_once() -> None:
    answers = Answers(ApiAnswer(429, "slow down", retry_after=3600.0), PAGE)
    with pytest.raises(ExtractionFailed, match="asked to wait 3600 s before page 1"):
        answers.run()
    assert answers.asked == 1 and answers.waits == []


def test_a_refusal_waiting_cannot_cure_stops_at_once() -> None:
    answers = Answers(ApiAnswer(400, "Invalid parameter", code=100), PAGE)
    with pytest.raises(ExtractionFailed, match=r"refused page 1 of the insights \(HTTP 400"):
        answers.run()
    assert answers.asked == 1


def test_no_connection_is_tried_once_more_after_a_short_pause_then_stops() -> None:
    lost = NoConnection("graph.facebook.com", "its name could not be resolved (DNS)")
    answers = Answers(lost, lost, PAGE)
    with pytest.raises(NetworkUnreachable) as failed:
        answers.run()
    assert answers.asked == 2 and answers.waits == [2.0]
    assert str(failed.value) == (
        "the network is unreachable (graph.facebook.com could not be reached: its name could "
        "not be resolved (DNS)); check the connection or the proxy (HTTPS_PROXY); the next run "
        "pulls the same window again."
    )
    assert isinstance(failed.value, ExtractionFailed)  # the extractor ends as on any failure


def test_a_connection_back_after_the_pause_carries_on() -> None:
    answers = Answers(NoConnection("graph.facebook.com", "the connection was refused"), PAGE)
    assert answers.run(RetryPolicy(3, 10, 30, reconnect_seconds=0.5)) == PAGE
    assert answers.waits == [0.5]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def silent_server() -> Iterator[int]:
    """A server that accepts connections and never answers."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        yield int(server.getsockname()[1])


def test_a_name_that_does_not_resolve_is_no_connection() -> None:
    url = "https://graph.bedrot-test.invalid/v25.0/act_1/insights"
    sent = send(lambda: requests.get(url, timeout=5), url)
    assert sent == NoConnection("graph.bedrot-test.invalid", "its name could not be resolved (DNS)")


def test_a_closed_port_is_no_connection() -> None:
    url = f"http://127.0.0.1:{closed_port()}/3.0/reports"
    sent = send(lambda: requests.get(url, timeout=5), url)
    assert sent == NoConnection("127.0.0.1", "the connection was refused")


def test_a_proxy_that_cannot_be_reached_is_no_connection() -> None:
    url = "http://api.example.test/3.0/reports"
    proxies = {"http": f"http://127.0.0.1:{closed_port()}"}
    sent = send(lambda: requests.get(url, proxies=proxies, timeout=5), url)
    assert sent == NoConnection("api.example.test", "the proxy refused or could not be reached")


def test_a_server_that_answers_too_slowly_is_retried_not_called_unreachable() -> None:
    with silent_server() as port:
        url = f"http://127.0.0.1:{port}/youtube/v3/channels"
        sent = send(lambda: requests.get(url, timeout=0.2), url)
    assert sent == ApiAnswer(0, "the request failed (ReadTimeout)")
    assert isinstance(sent, ApiAnswer) and sent.retryable


def reader(**settings: Any) -> SettingsReader:
    config = ExtractorConfig("mailchimp", "http://x", settings=settings)
    return SettingsReader(
        config, {"max_retries": 4, "backoff_seconds": 10, "max_wait_seconds": 120}
    )


def test_the_retry_policy_comes_from_the_settings_with_the_services_defaults() -> None:
    assert reader().retry_policy() == RetryPolicy(4, 10.0, 120.0, 2.0)
    assert reader(max_retries=1, reconnect_seconds=0.5).retry_policy() == RetryPolicy(
        1, 10.0, 120.0, 0.5
    )


@pytest.mark.parametrize(
    ("settings", "sentence"),
    [
        ({"max_retries": -1}, "settings.max_retries must be a whole number of at least 0."),
        ({"max_retries": 2.5}, "settings.max_retries must be a whole number of at least 0."),
        ({"backoff_seconds": "soon"}, "settings.backoff_seconds must be seconds (0 or more)."),
        ({"max_wait_seconds": True}, "settings.max_wait_seconds must be seconds (0 or more)."),
        ({"reconnect_seconds": -2}, "settings.reconnect_seconds must be seconds (0 or more)."),
    ],
)
def test_a_wrong_retry_setting_is_one_sentence_naming_file_and_key(
    settings: dict[str, Any], sentence: str
) -> None:
    with pytest.raises(ExtractorConfigError) as wrong:
        reader(**settings).retry_policy()
    assert str(wrong.value) == f"config/extractors/mailchimp.json: {sentence}"


def test_whole_numbers_flags_and_missing_values_are_checked() -> None:
    read = reader(page_size=1001, refresh_tokens="yes")
    with pytest.raises(ExtractorConfigError, match="page_size must be .* at most 1000"):
        read.whole("page_size", 1, 1000)
    with pytest.raises(ExtractorConfigError, match="refresh_tokens must be true or false"):
        read.flag("refresh_tokens")
    with pytest.raises(ExtractorConfigError, match="settings.api_version is missing"):
        read.value("api_version")

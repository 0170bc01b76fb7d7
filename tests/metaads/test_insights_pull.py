"""The pull's window, settings and landing file, and the API client's refusals, in-process."""

from __future__ import annotations

import json
import logging
import socket
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from common.extract.errors import ExtractionFailed
from common.extractor_config import ExtractorConfig, ExtractorConfigError
from metaads.insights_api import InsightsApi
from metaads.pull import (
    MAX_HISTORY_DAYS,
    PullSettings,
    PullWindow,
    ad_account_id,
    landing_document,
    load_pull_settings,
    newest_pulled_day,
    pull_window,
)
from tests.fakes.metaads import ACCOUNT_ID, VALID_TOKEN, FakeGraphApi

TODAY = date(2025, 8, 20)
BASE = {"api_version": "v25.0", "fields": ["spend", "date_start"]}


def settings(**changes: Any) -> PullSettings:
    return load_pull_settings(ExtractorConfig("metaads", "http://x", settings={**BASE, **changes}))


def landed(folder: Path, name: str, *days: date) -> None:
    rows = [
        {"spend": "1.00", "date_start": d.isoformat(), "date_stop": d.isoformat()} for d in days
    ]
    (folder / name).write_text(json.dumps([{"data": rows, "paging": {}}]), encoding="utf-8")


def test_the_first_pull_goes_first_pull_days_back() -> None:
    window = pull_window(None, TODAY, settings(first_pull_days=30))
    assert window == PullWindow(TODAY - timedelta(days=30), TODAY)


def test_later_pulls_start_lookback_days_before_the_newest_day() -> None:
    window = pull_window(date(2025, 8, 19), TODAY, settings(lookback_days=28))
    assert window.since == date(2025, 7, 22)
    assert window.time_range() == '{"since":"2025-07-22","until":"2025-08-20"}'


def test_the_window_never_reaches_past_what_meta_answers() -> None:
    window = pull_window(None, TODAY, settings(first_pull_days=5000))
    assert window.since == TODAY - timedelta(days=MAX_HISTORY_DAYS)


def test_the_newest_day_is_read_from_the_newest_pulls(tmp_path: Path) -> None:
    landed(tmp_path, "metaads_insights_20250801_060000.json", date(2025, 7, 31), date(2025, 8, 1))
    landed(tmp_path, "metaads_insights_20250810_060000.json", date(2025, 8, 9), date(2025, 8, 10))
    landed(tmp_path, "metaads_insights_20250811_060000.json")  # a pull without spend
    (tmp_path / "metaads_insights_20250812_060000.json").write_text("{broken", encoding="utf-8")
    (tmp_path / "ads_manager_20250815_000000.csv").write_text("Reporting starts\n")
    assert newest_pulled_day(tmp_path) == date(2025, 8, 10)
    assert newest_pulled_day(tmp_path / "missing") is None


def test_the_landed_file_keeps_rows_and_cursors_but_not_the_token_links() -> None:
    page = {
        "data": [{"spend": "1.00"}],
        "paging": {"cursors": {"after": "MQ"}, "next": f"https://g/?access_token={VALID_TOKEN}"},
    }
    document = landing_document([page]).decode("utf-8")
    assert VALID_TOKEN not in document
    assert json.loads(document) == [
        {"data": [{"spend": "1.00"}], "paging": {"cursors": {"after": "MQ"}}}
    ]


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"api_version": "25"}, "api_version"),
        ({"level": "account"}, "level"),
        ({"page_limit": 0}, "page_limit"),
        ({"fields": []}, "fields"),
        ({"backoff_seconds": "soon"}, "backoff_seconds"),
    ],
)
def test_wrong_settings_name_their_key(changes: dict[str, Any], named: str) -> None:
    with pytest.raises(ExtractorConfigError, match=f"settings.{named}"):
        settings(**changes)


def test_the_ad_account_id_is_digits_with_or_without_act() -> None:
    assert ad_account_id({"META_AD_ACCOUNT_ID": "act_123"}) == "123"
    assert ad_account_id({"META_AD_ACCOUNT_ID": " 123 "}) == "123"
    with pytest.raises(ExtractionFailed, match="META_AD_ACCOUNT_ID is not set"):
        ad_account_id({})


def client(api: FakeGraphApi, **changes: Any) -> InsightsApi:
    url = f"{api.base_url}/v25.0/act_{ACCOUNT_ID}/insights"
    pull = settings(page_limit=3, max_retries=1, backoff_seconds=0, **changes)
    return InsightsApi(url, VALID_TOKEN, pull, 5, logging.getLogger("test"), sleep=lambda _: None)


def test_a_failure_sentence_never_quotes_the_token() -> None:
    with FakeGraphApi().running() as api:
        api.throttle(17)
        api.throttle(17)
        with pytest.raises(ExtractionFailed) as failed:
            list(client(api).pages(PullWindow(TODAY, TODAY)))
    assert "after 1 retries" in str(failed.value) and VALID_TOKEN not in str(failed.value)


def test_a_wait_longer_than_max_wait_seconds_fails_at_once() -> None:
    with FakeGraphApi().running() as api:
        api.throttle(17, retry_after="3600")
        with pytest.raises(ExtractionFailed, match="asked to wait 3600 s"):
            list(client(api, max_wait_seconds=60).pages(PullWindow(TODAY, TODAY)))
    assert len(api.requests) == 1


def test_a_next_link_to_another_host_is_not_followed() -> None:
    with FakeGraphApi().running() as api:
        first = client(api)
        first.insights_url = first.insights_url.replace("127.0.0.1", "localhost")
        with pytest.raises(ExtractionFailed, match="points at 127.0.0.1"):
            list(first.pages(PullWindow(TODAY - timedelta(days=3), TODAY)))
    assert len(api.requests) == 1


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize(
    ("host", "kind"),
    [
        ("graph.bedrot-test.invalid", "its name could not be resolved (DNS)"),
        ("127.0.0.1:CLOSED", "the connection was refused"),
    ],
)
def test_no_network_is_tried_once_more_after_2_s_then_said_in_one_sentence(
    host: str, kind: str
) -> None:
    # A port nobody listens on is chosen when the test runs: every xdist worker must collect
    # the same test ids.
    host = host.replace("CLOSED", str(closed_port()))
    waits: list[float] = []
    url = f"http://{host}/v25.0/act_{ACCOUNT_ID}/insights"
    pull = settings(max_retries=4, backoff_seconds=20, max_wait_seconds=300)
    api = InsightsApi(url, VALID_TOKEN, pull, 5, logging.getLogger("test"), sleep=waits.append)
    with pytest.raises(ExtractionFailed) as failed:
        list(api.pages(PullWindow(TODAY, TODAY)))
    assert waits == [2.0]  # not 20 + 40 + 80 + 160 s of backoff
    assert str(failed.value) == (
        f"the network is unreachable ({host.split(':')[0]} could not be reached: {kind}); check "
        "the connection or the proxy (HTTPS_PROXY); the next run pulls the same window again."
    )
    assert VALID_TOKEN not in str(failed.value)

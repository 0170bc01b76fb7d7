"""The pull's window, settings and landing file, and the API client's refusals, in-process."""

from __future__ import annotations

import json
import logging
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from common.extract.errors import ExtractionFailed
from common.extractor_config import ExtractorConfig, ExtractorConfigError
from metaads.insights_api import InsightsApi, retry_after_seconds
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


def test_retry_after_is_seconds_or_an_http_date() -> None:
    now = datetime(2025, 8, 20, 12, 0, tzinfo=timezone.utc)
    assert retry_after_seconds("7", now) == 7.0
    assert retry_after_seconds("Wed, 20 Aug 2025 12:01:00 GMT", now) == 60.0
    assert retry_after_seconds(None, now) is None


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

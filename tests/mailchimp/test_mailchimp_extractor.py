"""The Mailchimp extractor run as a user runs it, against a local fake of the Marketing API."""

from __future__ import annotations

import json
import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from common.extract.errors import ExtractionFailed
from common.lake import Lake
from common.testing import run_in_lake
from mailchimp.marketing_api import api_url
from tests.fakes.lakes import extractor_env, extractor_lake
from tests.fakes.mailchimp import MEMBER_COUNT, VALID_KEY, FakeMarketingApi
from tests.mailchimp.mailchimp_lake import (
    AUDIENCE,
    CAMPAIGNS,
    GROWTH,
    SERVICE,
    clean,
    curated_rows,
)

EXTRACTOR = Path("src/mailchimp/extractors/mailchimp_reports_extractor.py")
QUICK = {"page_size": 2, "max_retries": 2, "backoff_seconds": 0.2, "max_wait_seconds": 3}


def new_lake(root: Path, api: FakeMarketingApi, **settings: Any) -> Lake:
    lake = extractor_lake(root, [SERVICE], {SERVICE: api.base_url})
    config = lake.config / "extractors" / f"{SERVICE}.json"
    document = json.loads(config.read_text(encoding="utf-8"))
    document["settings"].update({**QUICK, "history_days": 3650, **settings})
    config.write_text(json.dumps(document), encoding="utf-8")
    return lake


def pull(
    lake: Lake, key: str = VALID_KEY, automated: bool = True
) -> subprocess.CompletedProcess[str]:
    args = [str(EXTRACTOR), *(["--automated"] if automated else [])]
    return run_in_lake(lake, args, env=extractor_env(MAILCHIMP_API_KEY=key))


def landed(lake: Lake) -> list[Path]:
    folder = lake.zone("1_landing") / SERVICE
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def log_text(lake: Lake) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in lake.logs.rglob("*") if p.is_file())


def test_the_data_center_comes_from_the_key() -> None:
    template = "https://{dc}.api.mailchimp.com/3.0/reports"

    assert api_url(template, "abc123-us6") == "https://us6.api.mailchimp.com/3.0/reports"
    with pytest.raises(ExtractionFailed, match="data center"):
        api_url(template, "abc123")


def test_a_saved_key_lands_every_page_and_the_cleaners_curate_the_fakes_numbers(
    tmp_path: Path,
) -> None:
    with FakeMarketingApi().running() as api:
        lake = new_lake(tmp_path / "lake", api)
        done = pull(lake)

    assert done.returncode == 0, done.stdout + done.stderr
    report_pages = [r for r in api.requests if r.path.endswith("/reports")]
    assert [(r.query["count"], r.query["offset"]) for r in report_pages] == [
        (["2"], ["0"]), (["2"], ["2"])
    ]  # fmt: skip
    assert all(api.key_of(r) == VALID_KEY for r in api.requests)
    assert all(VALID_KEY not in r.path + json.dumps(r.query) for r in api.requests)
    assert len(landed(lake)) == 1
    clean(lake)
    campaigns = {r["campaign_id"]: r for r in curated_rows(lake, CAMPAIGNS)}
    assert set(campaigns) == {r["id"] for r in api.reports}
    for report in api.reports:
        row = campaigns[report["id"]]
        bounces = sum(report["bounces"].values())
        assert (int(row["emails_sent"]), int(row["bounces"])) == (report["emails_sent"], bounces)
        assert int(row["unique_opens"]) == report["opens"]["unique_opens"]
        assert float(row["click_rate"]) == report["clicks"]["click_rate"]
    growth = [(r["month"], int(r["subscribed"])) for r in curated_rows(lake, GROWTH)]
    assert growth == sorted((m["month"], m["subscribed"]) for m in api.months)
    (size,) = curated_rows(lake, AUDIENCE)
    assert (int(size["member_count"]), size["snapshot_date"]) == (
        MEMBER_COUNT, date.today().isoformat()
    )  # fmt: skip
    assert VALID_KEY not in log_text(lake)


def test_a_refused_key_in_an_automated_run_is_a_warning_and_is_not_tried_again(
    tmp_path: Path,
) -> None:
    revoked = "ffffffffffffffffffffffffffffffff-us6"
    with FakeMarketingApi().running() as api:
        lake = new_lake(tmp_path / "lake", api)
        first = pull(lake, key=revoked)
        asked = len(api.requests)
        second = pull(lake, key=revoked)

    assert (first.returncode, second.returncode) == (0, 0), first.stderr + second.stderr
    assert asked == 1 and len(api.requests) == 1
    assert landed(lake) == []
    log = log_text(lake)
    assert "WARNING" in log and "skipped mailchimp" in log and "MAILCHIMP_API_KEY" in log
    assert revoked not in log


def test_a_rate_limit_answer_is_waited_out_then_the_pull_goes_on(tmp_path: Path) -> None:
    with FakeMarketingApi().running() as api:
        lake = new_lake(tmp_path / "lake", api)
        api.throttle(retry_after="1")
        done = pull(lake)

    assert done.returncode == 0, done.stdout + done.stderr
    assert api.times[1] - api.times[0] >= 0.9
    assert len(landed(lake)) == 1
    assert "429" in log_text(lake)


def test_a_rate_limit_that_never_ends_stops_after_the_retries(tmp_path: Path) -> None:
    with FakeMarketingApi().running() as api:
        lake = new_lake(tmp_path / "lake", api, max_retries=2)
        for _ in range(5):
            api.throttle(retry_after="0")
        done = pull(lake)

    assert done.returncode == 1
    assert len(api.requests) == 3
    assert landed(lake) == []
    assert "after 2 retries" in log_text(lake)


def test_the_next_pull_starts_lookback_days_before_the_newest_landed_campaign(
    tmp_path: Path,
) -> None:
    with FakeMarketingApi().running() as api:
        lake = new_lake(tmp_path / "lake", api, history_days=30, lookback_days=10)
        pull(lake)
        first_page, *_ = [r for r in api.requests if r.path.endswith("/reports")]
        first_since = datetime.fromisoformat(first_page.query["since_send_time"][0]).date()
        (landing_dir := lake.zone("1_landing") / SERVICE).mkdir(parents=True, exist_ok=True)
        (landing_dir / "mailchimp_reports_20250401_080000.json").write_text(
            json.dumps({"reports": api.reports}), encoding="utf-8"
        )
        api.site.requests.clear()
        pull(lake)
    second_page, *_ = [r for r in api.requests if r.path.endswith("/reports")]

    assert first_since == date.today() - timedelta(days=30)
    second_since = datetime.fromisoformat(second_page.query["since_send_time"][0]).date()
    assert second_since == date(2025, 3, 21) - timedelta(days=10)

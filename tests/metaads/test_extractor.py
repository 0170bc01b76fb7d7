"""The Meta Ads extractor run as a user runs it, against a local fake of the Graph API."""

from __future__ import annotations

import csv
import json
import socket
import subprocess
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from common.lake import Lake
from common.testing import run_cleaners, run_in_lake
from tests.fakes.lakes import extractor_env, extractor_lake
from tests.fakes.metaads import ACCOUNT_ID, VALID_TOKEN, FakeGraphApi
from tests.fakes.site import Request

EXTRACTOR = Path("src/metaads/extractors/meta_daily_campaigns_extractor.py")
FIRST_PULL_DAYS = 3
LOOKBACK_DAYS = 2
PAGE_LIMIT = 5  # 4 days x 2 campaigns = 8 rows: two pages
BACKOFF_SECONDS = 0.3
QUICK = {
    "first_pull_days": FIRST_PULL_DAYS,
    "lookback_days": LOOKBACK_DAYS,
    "page_limit": PAGE_LIMIT,
    "max_retries": 2,
    "backoff_seconds": BACKOFF_SECONDS,
    "max_wait_seconds": 5,
}


def new_lake(root: Path, api: FakeGraphApi, **settings: Any) -> Lake:
    lake = extractor_lake(root, ["metaads"], {"metaads": api.base_url})
    config = lake.config / "extractors" / "metaads.json"
    document = json.loads(config.read_text(encoding="utf-8"))
    document["settings"].update({**QUICK, **settings})
    config.write_text(json.dumps(document), encoding="utf-8")
    return lake


def pull(
    lake: Lake, token: str | None = VALID_TOKEN, automated: bool = False
) -> subprocess.CompletedProcess[str]:
    env = extractor_env(META_AD_ACCOUNT_ID=ACCOUNT_ID, META_ACCESS_TOKEN=token or "")
    args = [str(EXTRACTOR), *(["--automated"] if automated else [])]
    return run_in_lake(lake, args, env=env)


def landed(lake: Lake) -> list[Path]:
    folder = lake.zone("1_landing") / "metaads"
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def query(request: Request) -> dict[str, str]:
    return {name: values[0] for name, values in request.query.items()}


def since_of(request: Request) -> date:
    return date.fromisoformat(json.loads(query(request)["time_range"])["since"])


def log_text(lake: Lake) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in lake.logs.rglob("*") if p.is_file())


def test_a_pull_follows_both_pages_and_lands_what_the_cleaners_curate(tmp_path: Path) -> None:
    with FakeGraphApi().running() as api:
        lake = new_lake(tmp_path / "lake", api)
        done = pull(lake)
    assert done.returncode == 0, done.stdout + done.stderr
    first, second = api.requests
    today = date.today()
    assert first.path == f"/v25.0/act_{ACCOUNT_ID}/insights"
    asked = query(first)
    assert (asked["level"], asked["time_increment"], asked["limit"]) == ("campaign", "1", "5")
    assert json.loads(asked["time_range"]) == {
        "since": (today - timedelta(days=FIRST_PULL_DAYS)).isoformat(),
        "until": today.isoformat(),
    }
    assert {"spend", "reach", "actions", "account_currency"} <= set(asked["fields"].split(","))
    assert "after" in query(second) and "access_token" not in query(second)
    assert all(r.headers["authorization"] == f"Bearer {VALID_TOKEN}" for r in api.requests)
    [file] = landed(lake)
    assert VALID_TOKEN not in file.read_text(encoding="utf-8")
    assert [len(page["data"]) for page in json.loads(file.read_text(encoding="utf-8"))] == [5, 3]

    assert [run.returncode for run in run_cleaners(lake, "metaads")] == [0, 0, 0]
    with (lake.zone("4_curated") / "metaads_daily_performance.csv").open(encoding="utf-8") as f:
        curated = {(r["date"], r["campaign_id"]): Decimal(r["spend"]) for r in csv.DictReader(f)}
    served = {
        (str(r["date_start"]), str(r["campaign_id"])): Decimal(str(r["spend"])) for r in api.served
    }
    assert len(served) == 8 and curated == served


@pytest.mark.parametrize("code", [17, 80004])
def test_a_throttled_request_is_retried_after_backing_off(tmp_path: Path, code: int) -> None:
    with FakeGraphApi().running() as api:
        lake = new_lake(tmp_path / "lake", api)
        api.throttle(code)
        done = pull(lake)
    assert done.returncode == 0, done.stdout + done.stderr
    assert len(api.requests) == 3 and len(landed(lake)) == 1
    throttled, retried = api.requests[0], api.requests[1]
    assert query(retried) == query(throttled)
    assert api.times[1] - api.times[0] >= BACKOFF_SECONDS
    assert f"code {code}" in log_text(lake)


def test_retry_after_is_waited_for(tmp_path: Path) -> None:
    with FakeGraphApi().running() as api:
        lake = new_lake(tmp_path / "lake", api, backoff_seconds=0.01)
        api.throttle(17, retry_after="1")
        done = pull(lake)
    assert done.returncode == 0, done.stdout + done.stderr
    assert len(api.requests) == 3 and len(landed(lake)) == 1
    assert api.times[1] - api.times[0] >= 1.0  # Meta's Retry-After, not the 0.01 s backoff


def test_throttling_that_does_not_end_fails_with_one_sentence(tmp_path: Path) -> None:
    with FakeGraphApi().running() as api:
        lake = new_lake(tmp_path / "lake", api, backoff_seconds=0.01)
        for _ in range(3):
            api.throttle(80004)
        done = pull(lake)
    assert done.returncode == 1
    assert len(api.requests) == 3 and landed(lake) == []
    errors = (lake.logs / "pipeline_executor_errors.log").read_text(encoding="utf-8")
    assert "still refused page 1 of the insights after 2 retries" in errors
    assert "code 80004" in errors


def test_a_second_pull_re_requests_the_trailing_window(tmp_path: Path) -> None:
    with FakeGraphApi().running() as api:
        lake = new_lake(tmp_path / "lake", api)
        assert pull(lake).returncode == 0
        pulls_before = len(api.requests)
        done = pull(lake)
    assert done.returncode == 0, done.stdout + done.stderr
    assert since_of(api.requests[pulls_before]) == date.today() - timedelta(days=LOOKBACK_DAYS)
    assert len(landed(lake)) == 2


def test_the_window_starts_lookback_days_before_the_newest_landed_day(tmp_path: Path) -> None:
    newest = date.today() - timedelta(days=10)
    with FakeGraphApi().running() as api:
        lake = new_lake(tmp_path / "lake", api)
        earlier = [{"data": api.rows(newest - timedelta(days=1), newest), "paging": {}}]
        folder = lake.zone("1_landing") / "metaads"
        folder.mkdir(parents=True, exist_ok=True)
        stamp = newest.strftime("%Y%m%d")
        (folder / f"metaads_insights_{stamp}_080000.json").write_text(json.dumps(earlier))
        done = pull(lake)
    assert done.returncode == 0, done.stdout + done.stderr
    assert since_of(api.requests[0]) == newest - timedelta(days=LOOKBACK_DAYS)


def test_a_refused_token_is_skipped_never_retried_and_never_logged(tmp_path: Path) -> None:
    refused = "EAAGfakeRevokedToken9876543210zyxwv"
    with FakeGraphApi().running() as api:
        lake = new_lake(tmp_path / "lake", api)
        first = pull(lake, token=refused, automated=True)
        again = pull(lake, token=refused, automated=True)
        requests_with_the_refused_token = len(api.requests)
        fresh = pull(lake, token=VALID_TOKEN, automated=True)
    assert (first.returncode, again.returncode) == (0, 0), first.stdout + first.stderr
    assert requests_with_the_refused_token == 1
    executor = (lake.logs / "pipeline_executor.log").read_text(encoding="utf-8")
    assert "WARNING" in executor and "code 190" in executor
    assert "put a new META_ACCESS_TOKEN in .env" in executor
    assert refused not in log_text(lake)
    mark = lake.src / "metaads" / "cookies" / "metaads.expired"
    assert mark.is_file() and refused not in mark.read_text(encoding="utf-8")
    assert fresh.returncode == 0 and len(landed(lake)) == 1  # a new token lifts the mark


def test_a_missing_token_skips_the_service_without_a_request(tmp_path: Path) -> None:
    with FakeGraphApi().running() as api:
        lake = new_lake(tmp_path / "lake", api)
        done = pull(lake, token=None, automated=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert api.requests == [] and landed(lake) == []
    executor = (lake.logs / "pipeline_executor.log").read_text(encoding="utf-8")
    assert "WARNING" in executor and "META_ACCESS_TOKEN" in executor


def test_the_configured_api_version_is_the_one_requested(tmp_path: Path) -> None:
    with FakeGraphApi().running() as api:
        lake = new_lake(tmp_path / "lake", api, api_version="v26.0")
        done = pull(lake)
    assert done.returncode == 0, done.stdout + done.stderr
    assert {r.path for r in api.requests} == {f"/v26.0/act_{ACCOUNT_ID}/insights"}


def test_without_network_the_pull_stops_in_one_sentence_and_lands_nothing(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    lake = extractor_lake(tmp_path / "lake", ["metaads"], {"metaads": closed})
    config = lake.config / "extractors" / "metaads.json"
    document = json.loads(config.read_text(encoding="utf-8"))
    document["settings"].update(reconnect_seconds=0.1)  # the backoff stays at 20 s doubling
    config.write_text(json.dumps(document), encoding="utf-8")
    done = pull(lake, automated=True)
    assert done.returncode == 1 and landed(lake) == []
    errors = (lake.logs / "pipeline_executor_errors.log").read_text(encoding="utf-8")
    assert (
        "metaads: the network is unreachable (127.0.0.1 could not be reached: the connection "
        "was refused); check the connection or the proxy (HTTPS_PROXY); the next run pulls the "
        "same window again." in errors
    )
    executor = (lake.logs / "pipeline_executor.log").read_text(encoding="utf-8")
    assert (
        executor.count("could not be reached (the connection was refused); trying once more") == 1
    )
    assert VALID_TOKEN not in log_text(lake)

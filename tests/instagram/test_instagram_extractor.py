"""The Instagram extractor run as a user runs it, against a local fake of the Graph API."""

from __future__ import annotations

import json
import stat
import subprocess
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from common.lake import Lake
from common.sessions.store import token_fingerprint
from common.testing import run_in_lake
from tests.fakes.instagram import (
    FOLLOWERS,
    MEDIA,
    USER_ID,
    USERNAME,
    VALID_TOKEN,
    FakeInstagramApi,
    media_value,
    metric_value,
)
from tests.fakes.lakes import extractor_env, extractor_lake, save_login
from tests.instagram.instagram_lake import DAILY
from tests.instagram.instagram_lake import MEDIA as CURATED_MEDIA
from tests.instagram.instagram_lake import curated_rows, run_ok

EXTRACTOR = Path("src/instagram/extractors/instagram_insights_extractor.py")
HISTORY_DAYS = 3
BACKOFF_SECONDS = 0.3
QUICK = {"history_days": HISTORY_DAYS, "lookback_days": 1, "max_retries": 2,
         "backoff_seconds": BACKOFF_SECONDS, "max_wait_seconds": 5}  # fmt: skip
SAVED_TOKEN = "IGQVJfakeSavedToken5555555555abcdef"


def new_lake(root: Path, api: FakeInstagramApi, **settings: Any) -> Lake:
    lake = extractor_lake(root, ["instagram"], {"instagram": api.base_url})
    config = lake.config / "extractors" / "instagram.json"
    document = json.loads(config.read_text(encoding="utf-8"))
    document["settings"].update({**QUICK, **settings})
    config.write_text(json.dumps(document), encoding="utf-8")
    return lake


def pull(
    lake: Lake, token: str = VALID_TOKEN, automated: bool = True
) -> subprocess.CompletedProcess[str]:
    env = extractor_env(INSTAGRAM_USER_ID=USER_ID, INSTAGRAM_ACCESS_TOKEN=token)
    return run_in_lake(lake, [str(EXTRACTOR), *(["--automated"] if automated else [])], env=env)


def landed(lake: Lake) -> list[Path]:
    folder = lake.zone("1_landing") / "instagram"
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def log_text(lake: Lake) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in lake.logs.rglob("*.log"))


def pacific_today() -> date:
    return datetime.now(ZoneInfo("America/Los_Angeles")).date()


def asked_days() -> list[date]:
    today = pacific_today()
    return [today - timedelta(days=n) for n in range(HISTORY_DAYS, 0, -1)]


def test_a_pull_lands_what_the_cleaners_curate_with_the_fakes_numbers(tmp_path: Path) -> None:
    with FakeInstagramApi().running() as api:
        lake = new_lake(tmp_path / "lake", api, refresh_tokens=False)
        done = pull(lake)
    assert done.returncode == 0, done.stdout + done.stderr
    assert all(r.headers["authorization"] == f"Bearer {VALID_TOKEN}" for r in api.requests)
    assert not any("access_token" in r.query for r in api.requests)  # not even page two
    [file] = landed(lake)
    assert VALID_TOKEN not in file.read_text(encoding="utf-8")

    run_ok(lake)

    rows = {row["date"]: row for row in curated_rows(lake, DAILY)}
    for day in asked_days():
        row = rows[day.isoformat()]
        assert row["account"] == USERNAME
        assert int(row["views"]) == metric_value("views", day)
        assert int(row["views_follower"]) == metric_value("views", day) // 3
        assert int(row["reach"]) == metric_value("reach", day)
        assert int(row["new_followers"]) == metric_value("follower_count", day)
        assert int(row["profile_links_taps"]) == metric_value("profile_links_taps", day)
    assert rows[pacific_today().isoformat()]["followers"] == str(FOLLOWERS)
    media = {row["media_id"]: row for row in curated_rows(lake, CURATED_MEDIA)}
    assert set(media) == {m[0] for m in MEDIA}  # both pages of the media list
    first = media[MEDIA[0][0]]
    assert int(first["saved"]) == media_value(MEDIA[0][0], "saved")
    assert len(first["caption_excerpt"]) == 100 and first["media_product_type"] == "FEED"
    assert media[MEDIA[1][0]]["posted_date"] == "2025-01-04"  # 02:30 UTC is the evening before


def test_a_metric_the_api_no_longer_serves_is_said_once_and_left_empty(tmp_path: Path) -> None:
    with FakeInstagramApi().running() as api:
        api.deprecated.add("website_clicks")
        lake = new_lake(tmp_path / "lake", api, refresh_tokens=False)
        done = pull(lake)
    assert done.returncode == 0, done.stdout + done.stderr
    executor = (lake.logs / "pipeline_executor.log").read_text(encoding="utf-8")
    assert executor.count("does not serve the metric website_clicks") == 1
    run_ok(lake)
    for row in curated_rows(lake, DAILY)[:-1]:
        assert row["website_clicks"] == "" and row["views"] != ""


def test_a_post_whose_insights_are_refused_leaves_only_its_own_empty(tmp_path: Path) -> None:
    """Meta refuses the insights of a post older than the business account (code 100, subcode
    2108006): that post's metrics are empty, the next posts of its kind keep theirs."""
    with FakeInstagramApi().running() as api:
        api.media_refused.add(MEDIA[0][0])
        lake = new_lake(tmp_path / "lake", api, refresh_tokens=False)
        done = pull(lake)
    assert done.returncode == 0, done.stdout + done.stderr
    run_ok(lake)

    media = {row["media_id"]: row for row in curated_rows(lake, CURATED_MEDIA)}
    assert media[MEDIA[0][0]]["reach"] == ""
    later = MEDIA[2][0]  # a feed post too, listed after the refused one
    assert int(media[later]["reach"]) == media_value(later, "reach")
    executor = (lake.logs / "pipeline_executor.log").read_text(encoding="utf-8")
    assert "does not serve the metric" not in executor
    assert f"Instagram refuses the insights of media {MEDIA[0][0]}" in executor


def test_a_refused_token_skips_with_a_warning_never_retried_never_logged(tmp_path: Path) -> None:
    refused = "IGQVJfakeRevokedToken9876543210zyxwv"
    with FakeInstagramApi().running() as api:
        lake = new_lake(tmp_path / "lake", api)
        first = pull(lake, token=refused)
        again = pull(lake, token=refused)
        asked = len(api.requests)
    assert (first.returncode, again.returncode) == (0, 0), first.stdout + first.stderr
    assert asked == 1 and landed(lake) == []
    executor = (lake.logs / "pipeline_executor.log").read_text(encoding="utf-8")
    assert "WARNING" in executor and "code 190" in executor
    assert "put a new INSTAGRAM_ACCESS_TOKEN in .env" in executor
    assert refused not in log_text(lake)


def test_a_token_is_renewed_saved_0600_used_and_never_logged(tmp_path: Path) -> None:
    with FakeInstagramApi().running() as api:
        lake = new_lake(tmp_path / "lake", api)
        done = pull(lake)
        [renewed] = api.renewed
        again = pull(lake)
    assert (done.returncode, again.returncode) == (0, 0), done.stdout + done.stderr
    assert len(api.renewed) == 1  # the saved token lasts 60 days: no second renewal
    session = lake.src / "instagram" / "cookies" / "instagram.json"
    assert stat.S_IMODE(session.stat().st_mode) == 0o600
    saved = json.loads(session.read_text(encoding="utf-8"))["api_token"]
    assert saved["access_token"] == renewed
    expires = datetime.fromisoformat(saved["expires_at"])
    assert timedelta(days=59) < expires - datetime.now(timezone.utc) < timedelta(days=61)
    after = [r for r in api.requests if r.path != "/refresh_access_token"]
    assert after[-1].headers["authorization"] == f"Bearer {renewed}"
    assert renewed not in log_text(lake) and VALID_TOKEN not in log_text(lake)
    assert "renewed the access token" in log_text(lake)


def test_a_token_far_from_expiry_is_not_renewed(tmp_path: Path) -> None:
    with FakeInstagramApi(tokens=(VALID_TOKEN, SAVED_TOKEN)).running() as api:
        lake = new_lake(tmp_path / "lake", api)
        expires = (datetime.now(timezone.utc) + timedelta(days=40)).isoformat()
        token = {
            "access_token": SAVED_TOKEN,
            "refresh_token": None,
            "expires_at": expires,
            "env_fingerprint": token_fingerprint(VALID_TOKEN),  # renewed from the .env token
        }
        save_login(lake, "instagram", {"cookies": [], "origins": [], "api_token": token})
        done = pull(lake)
    assert done.returncode == 0, done.stdout + done.stderr
    assert api.renewed == []
    assert {r.headers["authorization"] for r in api.requests} == {f"Bearer {SAVED_TOKEN}"}


def test_a_new_token_pasted_into_env_wins_over_one_renewed_from_an_older_token(
    tmp_path: Path,
) -> None:
    with FakeInstagramApi(tokens=(VALID_TOKEN, SAVED_TOKEN)).running() as api:
        lake = new_lake(tmp_path / "lake", api)
        expires = (datetime.now(timezone.utc) + timedelta(days=40)).isoformat()
        token = {
            "access_token": SAVED_TOKEN,
            "expires_at": expires,
            "env_fingerprint": token_fingerprint("IGQVJanOlderTokenTheUserReplaced0000"),
        }
        save_login(lake, "instagram", {"cookies": [], "origins": [], "api_token": token})
        done = pull(lake)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"Bearer {VALID_TOKEN}" in {r.headers["authorization"] for r in api.requests}
    assert f"Bearer {SAVED_TOKEN}" not in {r.headers["authorization"] for r in api.requests}


def test_a_quota_answer_is_waited_out_then_the_pull_goes_on(tmp_path: Path) -> None:
    with FakeInstagramApi().running() as api:
        lake = new_lake(tmp_path / "lake", api, refresh_tokens=False)
        api.throttle(4)
        api.throttle(80002, retry_after="1")
        done = pull(lake)
    assert done.returncode == 0, done.stdout + done.stderr
    assert api.times[1] - api.times[0] >= BACKOFF_SECONDS
    assert api.times[2] - api.times[1] >= 1.0  # the API's Retry-After, not the backoff
    assert len(landed(lake)) == 1 and "code 4" in log_text(lake)


def test_throttling_that_does_not_end_stops_with_one_sentence(tmp_path: Path) -> None:
    with FakeInstagramApi().running() as api:
        lake = new_lake(tmp_path / "lake", api, refresh_tokens=False, backoff_seconds=0.01)
        for _ in range(5):
            api.throttle(4)
        done = pull(lake)
    assert done.returncode == 1
    assert len(api.requests) == 3 and landed(lake) == []
    errors = (lake.logs / "pipeline_executor_errors.log").read_text(encoding="utf-8")
    assert "still refused the account's profile after 2 retries" in errors


def test_the_next_pull_starts_lookback_days_before_the_newest_landed_day(tmp_path: Path) -> None:
    with FakeInstagramApi().running() as api:
        lake = new_lake(tmp_path / "lake", api, refresh_tokens=False)
        assert pull(lake).returncode == 0
        before = len(api.requests)
        done = pull(lake)
    assert done.returncode == 0, done.stdout + done.stderr
    second = [r for r in api.requests[before:] if r.query.get("period") == ["day"]]
    since = {int(r.query["since"][0]) for r in second}
    yesterday = pacific_today() - timedelta(days=1)
    midnight = datetime(yesterday.year, yesterday.month, yesterday.day,
                        tzinfo=ZoneInfo("America/Los_Angeles")) - timedelta(days=1)  # fmt: skip
    assert min(since) == int(midnight.timestamp())
    assert len(landed(lake)) == 2

"""The YouTube extractor run as a user runs it, against a local fake of Google's APIs."""

from __future__ import annotations

import json
import stat
import subprocess
from datetime import date, timedelta
from pathlib import Path

from common.lake import Lake
from common.testing import run_in_lake
from tests.fakes.lakes import extractor_env, extractor_lake
from tests.fakes.youtube import (
    CLIENT_ID,
    CLIENT_SECRET,
    EXPIRED_TOKEN,
    REFRESH_TOKEN,
    SUBSCRIBERS,
    VALID_TOKEN,
    VIDEOS,
    FakeYouTube,
)
from tests.steps_support import clean_ok
from tests.youtube.youtube_lake import CHANNEL_DAILY, VIDEO_DAILY, curated_rows

EXTRACTOR = Path("src/youtube/extractors/youtube_analytics_extractor.py")
HISTORY_DAYS, LOOKBACK_DAYS, PAGE_SIZE, BACKOFF = 3, 1, 5, 0.3


def new_lake(root: Path, api: FakeYouTube, **settings: object) -> Lake:
    lake = extractor_lake(root, ["youtube"], {"youtube": api.base_url})
    config = lake.config / "extractors" / "youtube.json"
    document = json.loads(config.read_text(encoding="utf-8"))
    document["urls"].update(
        channels=f"{api.base_url}/youtube/v3/channels", token_url=f"{api.base_url}/token"
    )
    quick = {
        "history_days": HISTORY_DAYS, "lookback_days": LOOKBACK_DAYS, "page_size": PAGE_SIZE,
        "max_retries": 2, "backoff_seconds": BACKOFF, "max_wait_seconds": 5,
    }  # fmt: skip
    document["settings"].update({**quick, **settings})
    config.write_text(json.dumps(document), encoding="utf-8")
    return lake


def pull(
    lake: Lake, token: str = VALID_TOKEN, refresh: str = "", automated: bool = True
) -> subprocess.CompletedProcess[str]:
    env = extractor_env(
        YOUTUBE_ACCESS_TOKEN=token,
        YOUTUBE_REFRESH_TOKEN=refresh,
        YOUTUBE_CLIENT_ID=CLIENT_ID if refresh else "",
        YOUTUBE_CLIENT_SECRET=CLIENT_SECRET if refresh else "",
    )
    return run_in_lake(lake, [str(EXTRACTOR), *(["--automated"] if automated else [])], env=env)


def landed(lake: Lake) -> list[Path]:
    folder = lake.zone("1_landing") / "youtube"
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def log_text(lake: Lake) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in lake.logs.rglob("*.log"))


def query(request: object) -> dict[str, str]:
    return {name: values[0] for name, values in request.query.items()}  # type: ignore[attr-defined]


def test_a_saved_token_lands_reports_whose_curated_values_are_the_apis(tmp_path: Path) -> None:
    with FakeYouTube().running() as api:
        lake = new_lake(tmp_path / "lake", api)
        done = pull(lake)
    assert done.returncode == 0, done.stdout + done.stderr
    assert [p.name.split("_2")[0] for p in landed(lake)] == [
        "youtube_channel_daily", "youtube_channel_stats", "youtube_video_daily",
    ]  # fmt: skip
    today = date.today()
    first = query(api.api_requests[0])
    assert first["startDate"] == (today - timedelta(days=HISTORY_DAYS)).isoformat()
    assert first["ids"] == "channel==MINE" and first["dimensions"] == "day"
    # 4 days x 3 videos = 12 rows in pages of 5: three pages, startIndex 1, 6, 11.
    paged = [query(r)["startIndex"] for r in api.api_requests if "startIndex" in r.query]
    assert paged == ["1", "6", "11"]

    clean_ok(lake, "youtube")
    channel = {r["date"]: r for r in curated_rows(lake, CHANNEL_DAILY)}
    served = {row[0]: row for row in api.rows(today - timedelta(days=3), today, "day")}
    assert {d: int(r["views"]) for d, r in channel.items()} == {d: r[1] for d, r in served.items()}
    assert {d: int(r["net_subscribers"]) for d, r in channel.items()} == {
        d: r[6] - r[7] for d, r in served.items()
    }
    assert channel[today.isoformat()]["subscriber_count"] == str(SUBSCRIBERS)
    videos = curated_rows(lake, VIDEO_DAILY)
    assert len(videos) == 12 and {r["video_id"] for r in videos} == set(VIDEOS)
    served_videos = api.rows(today - timedelta(days=3), today, "day,video")
    assert sorted((r["date"], r["video_id"], int(r["minutes_watched"])) for r in videos) == sorted(
        (row[0], row[1], row[3]) for row in served_videos
    )


def test_the_next_pull_asks_again_for_the_days_the_api_revises(tmp_path: Path) -> None:
    with FakeYouTube().running() as api:
        lake = new_lake(tmp_path / "lake", api)
        assert pull(lake).returncode == 0
        before = len(api.api_requests)
        done = pull(lake)
    assert done.returncode == 0, done.stdout + done.stderr
    again = query(api.api_requests[before])
    assert again["startDate"] == (date.today() - timedelta(days=LOOKBACK_DAYS)).isoformat()


def test_a_refused_token_without_refresh_is_skipped_with_a_warning(tmp_path: Path) -> None:
    with FakeYouTube().running() as api:
        lake = new_lake(tmp_path / "lake", api)
        first = pull(lake, token=EXPIRED_TOKEN)
        again = pull(lake, token=EXPIRED_TOKEN)
    assert (first.returncode, again.returncode) == (0, 0), first.stdout + first.stderr
    assert len(api.api_requests) == 1 and landed(lake) == []  # never retried
    executor = (lake.logs / "pipeline_executor.log").read_text(encoding="utf-8")
    assert "WARNING" in executor and "YOUTUBE_ACCESS_TOKEN" in executor
    assert "HTTP 401" in executor and EXPIRED_TOKEN not in log_text(lake)


def test_a_refresh_token_renews_the_access_token_saved_0600_and_never_logged(
    tmp_path: Path,
) -> None:
    with FakeYouTube().running() as api:
        lake = new_lake(tmp_path / "lake", api)
        done = pull(lake, token=EXPIRED_TOKEN, refresh=REFRESH_TOKEN)
        second = pull(lake, token=EXPIRED_TOKEN, refresh=REFRESH_TOKEN)
    assert (done.returncode, second.returncode) == (0, 0), done.stdout + done.stderr
    [renewed] = api.renewed  # the second pull uses the saved token: no new renewal
    assert api.token_requests[0].form()["grant_type"] == "refresh_token"
    saved = lake.src / "youtube" / "cookies" / "youtube.json"
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert json.loads(saved.read_text(encoding="utf-8"))["api_token"]["access_token"] == renewed
    assert len(landed(lake)) == 6
    logs = log_text(lake) + done.stdout + done.stderr + second.stdout + second.stderr
    assert "renewed the access token" in logs
    for secret in (renewed, EXPIRED_TOKEN, REFRESH_TOKEN, CLIENT_SECRET):
        assert secret not in logs


def test_a_refused_refresh_token_skips_with_a_warning(tmp_path: Path) -> None:
    with FakeYouTube().running() as api:
        api.refresh_tokens.clear()
        lake = new_lake(tmp_path / "lake", api)
        done = pull(lake, token=EXPIRED_TOKEN, refresh=REFRESH_TOKEN)
        again = pull(lake, token=EXPIRED_TOKEN, refresh=REFRESH_TOKEN)
    assert (done.returncode, again.returncode) == (0, 0), done.stdout + done.stderr
    assert len(api.token_requests) == 1 and landed(lake) == []
    executor = (lake.logs / "pipeline_executor.log").read_text(encoding="utf-8")
    assert "WARNING" in executor and "invalid_grant" in executor
    assert REFRESH_TOKEN not in log_text(lake)


def test_a_quota_answer_is_waited_out_then_the_pull_goes_on(tmp_path: Path) -> None:
    with FakeYouTube().running() as api:
        lake = new_lake(tmp_path / "lake", api)
        api.quota("quotaExceeded")
        done = pull(lake)
    assert done.returncode == 0, done.stdout + done.stderr
    assert query(api.api_requests[0]) == query(api.api_requests[1])
    assert api.times[1] - api.times[0] >= BACKOFF and len(landed(lake)) == 3
    assert "quotaExceeded" in log_text(lake)


def test_a_quota_that_does_not_end_stops_after_the_retries(tmp_path: Path) -> None:
    with FakeYouTube().running() as api:
        lake = new_lake(tmp_path / "lake", api, backoff_seconds=0.01)
        for _ in range(5):
            api.quota("rateLimitExceeded", retry_after="0")
        done = pull(lake)
    assert done.returncode == 1
    assert len(api.api_requests) == 3 and landed(lake) == []  # 1 try + max_retries, no loop
    errors = (lake.logs / "pipeline_executor_errors.log").read_text(encoding="utf-8")
    assert "still refused the channel report after 2 retries" in errors

"""Step 6's retention: old logs into 5_archive/logs/, archive files past retention deleted."""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from common import maintenance
from common.lake import Lake
from common.logs import COOKIE_HISTORY, EXECUTOR_LOG, close_logging, setup_logging
from common.maintenance import apply_retention, move_old_logs
from tests.conftest import RunBedrot
from tests.reports.conftest import make_run

NOW = datetime.now()


def aged(path: Path, days: float, content: str = "line\n") -> Path:
    """A file last written `days` ago."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    moment = (NOW - timedelta(days=days)).timestamp()
    os.utime(path, (moment, moment))
    return path


def test_bedrot_run_moves_an_old_log_into_the_archive_and_leaves_a_new_one(
    lake: Lake, bedrot: RunBedrot
) -> None:
    old = aged(lake.logs / "pipeline_20251001_0600.log", 31, "old run\n")
    new = aged(lake.logs / "pipeline_20261101_0600.log", 2, "recent run\n")

    result = bedrot("run", "--automated")

    assert result.returncode == 0, result.stdout + result.stderr
    archived = lake.zone("5_archive") / "logs" / old.name
    assert archived.read_text(encoding="utf-8") == "old run\n"
    assert not old.exists() and new.exists()
    assert (lake.logs / EXECUTOR_LOG).exists()
    assert (
        "Retention: moved 1 log file(s) older than 30 days into 5_archive/logs/ and deleted 0 "
        "archive file(s) older than 7 years."
    ) in result.stdout


def test_the_current_runs_log_files_hidden_files_and_locks_stay(lake: Lake) -> None:
    setup_logging(lake.logs, "pipeline", executor_log=True)
    try:
        aged(lake.logs / EXECUTOR_LOG, 40)
        aged(lake.logs / ".gitkeep", 40, "")
        aged(lake.logs / "cookies.lock", 40, "")
        aged(lake.logs / COOKIE_HISTORY, 40, '{"event": "refreshed"}\n')  # state, not a log
        old = aged(lake.logs / "pipeline_20250101_0600.log", 40)

        outcome = apply_retention(make_run(lake))
    finally:
        close_logging()

    assert not outcome.failed
    assert outcome.message.startswith("Retention: moved 1 log file(s)")
    assert not old.exists()
    kept = {EXECUTOR_LOG, ".gitkeep", "cookies.lock", COOKIE_HISTORY}
    assert {p.name for p in lake.logs.iterdir()} >= kept


def test_a_locked_log_is_left_for_a_later_run(lake: Lake, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = aged(lake.logs / "pipeline_20250101_0600.log", 40)
    other = aged(lake.logs / "pipeline_20250102_0600.log", 40)
    replace = os.replace

    def windows_lock(source: Path, target: Path) -> None:
        if Path(source) == locked:
            raise PermissionError(32, "The process cannot access the file", str(source))
        replace(source, target)

    monkeypatch.setattr(os, "replace", windows_lock)

    outcome = apply_retention(make_run(lake))

    assert not outcome.failed
    assert "moved 1 log file(s) older than 30 days into 5_archive/logs/ (1 in use" in (
        outcome.message
    )
    assert locked.exists() and not other.exists()


def test_a_log_archived_before_under_the_same_name_is_not_overwritten(lake: Lake) -> None:
    earlier = aged(lake.zone("5_archive") / "logs" / "pipeline_executor_errors.log", 60, "first")
    aged(lake.logs / "pipeline_executor_errors.log", 31, "second")

    moved = move_old_logs(lake, NOW - timedelta(days=30))

    assert len(moved.moved) == 1
    assert earlier.read_text(encoding="utf-8") == "first"
    again = earlier.with_name("pipeline_executor_errors_1.log")
    assert again.read_text(encoding="utf-8") == "second"


def test_archive_files_past_retention_are_deleted_and_recent_ones_kept(lake: Lake) -> None:
    archive = lake.zone("5_archive")
    expired = aged(archive / "4_curated" / "old" / "dk_archived_20180101_000000.csv", 7 * 366)
    kept = aged(archive / "4_curated" / "dk_bank_details_archived_20250101_000000.csv", 6 * 365)
    gitkeep = aged(archive / ".gitkeep", 8 * 366, "")

    outcome = apply_retention(make_run(lake))

    assert not expired.exists() and not expired.parent.exists()
    assert kept.exists() and gitkeep.exists()
    assert outcome.message.endswith("and deleted 1 archive file(s) older than 7 years.")


def test_both_windows_come_from_config(lake: Lake) -> None:
    (lake.config / "maintenance.json").write_text(
        json.dumps({"log_retention_days": 10, "archive_retention_years": 1}), encoding="utf-8"
    )
    log = aged(lake.logs / "pipeline_20261101_0600.log", 11)
    snapshot = aged(lake.zone("5_archive") / "4_curated" / "x_archived_20241101.csv", 400)

    outcome = apply_retention(make_run(lake))

    assert outcome.message == (
        "Retention: moved 1 log file(s) older than 10 days into 5_archive/logs/ and deleted 1 "
        "archive file(s) older than 1 years."
    )
    assert not snapshot.exists()
    assert (lake.zone("5_archive") / "logs" / log.name).exists()


@pytest.mark.parametrize(
    "config",
    ['{"log_retention_days": 0}', '{"archive_retention_years": "seven"}', "not json", "[30]"],
)
def test_a_bad_config_fails_the_hook_with_a_sentence_and_moves_nothing(
    lake: Lake, config: str
) -> None:
    (lake.config / "maintenance.json").write_text(config, encoding="utf-8")
    log = aged(lake.logs / "pipeline_20250101_0600.log", 40)

    outcome = apply_retention(make_run(lake))

    assert outcome.failed
    assert outcome.message.startswith("Retention not applied: ")
    assert "maintenance.json" in outcome.message
    assert log.exists()


def test_seven_years_before_a_leap_day_is_the_28th() -> None:
    assert maintenance.years_before(datetime(2028, 2, 29, 6), 7) == datetime(2021, 2, 28, 6)

"""The log files the label's people look for by name, each after the action that writes it:
`extractor_YYYYMMDD.log`, `cookie_refresh.log`, and the wrappers' `bedrot_pipeline.log` and
`bedrot_pipeline_errors.log` (SPEC §6's four files keep being written beside them)."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from common.lake import Lake, init_lake
from common.logs import extractor_log_name
from common.testing import lake_with_services, run_in_lake
from tests.conftest import BEDROT, bedrot_env
from tests.fakes.lakes import CHECKOUT, extractor_lake

META_EXTRACTOR = Path("src/metaads/extractors/meta_daily_campaigns_extractor.py")
WRAPPERS = CHECKOUT.root / "6_automated_cronjob"
SPEC_LOGS = (
    "pipeline_executor.log",
    "pipeline_executor_errors.log",
    "pipeline_executor_structured.jsonl",
)
SECRET_HOOK_PATH = "/services/T000/B000/never-in-a-log-0123456789"


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def lines_of(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def test_every_extractor_run_of_the_day_appends_to_the_days_extractor_log(
    tmp_path: Path,
) -> None:
    lake = extractor_lake(tmp_path / "lake", ["metaads"], {})
    no_token = {"META_ACCESS_TOKEN": "", "META_AD_ACCOUNT_ID": "123"}
    runs = [run_in_lake(lake, [str(META_EXTRACTOR), "--automated"], env=no_token) for _ in "ab"]
    assert [run.returncode for run in runs] == [0, 0], runs[-1].stderr
    day_log = lake.logs / extractor_log_name(datetime.now())
    lines = lines_of(day_log)
    skipped = [line for line in lines if "WARNING" in line and "skipped metaads" in line]
    finished = [line for line in lines if "[OK] meta_daily_campaigns_extractor.py exited 0" in line]
    assert len(skipped) == 2 and len(finished) == 2, lines
    assert all(re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d (INFO|WARNING) ", ln) for ln in lines)
    for name in SPEC_LOGS:
        assert (lake.logs / name).is_file(), name


def cookie_schedule(lake: Lake, settings: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`bedrot cookies schedule` once, as Task Scheduler runs it, with these .env settings."""
    return subprocess.run(
        [str(BEDROT), "cookies", "schedule"],
        cwd=lake.root,
        env=bedrot_env(lake.root, settings),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_cookie_tools_write_cookie_refresh_log_without_a_secret(tmp_path: Path) -> None:
    lake = lake_with_services(tmp_path / "lake", CHECKOUT, ["distrokid", "tiktok"])
    mail = {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(closed_port()),
        "SMTP_USER": "owner",
        "SMTP_PASSWORD": "smtp-password-0123456789",
        "NOTIFY_EMAIL_TO": "owner@bedrot.test",
    }
    scheduled = cookie_schedule(lake, mail)
    assert scheduled.returncode == 0, scheduled.stderr
    export = tmp_path / "cookies.json"
    export.write_text(
        json.dumps([{"name": "sessionid", "value": "v-0123456789abcdef", "domain": ".x.com"}]),
        encoding="utf-8",
    )
    manage = CHECKOUT.src / "tiktok" / "manage_cookies.py"
    imported = run_in_lake(lake, [str(manage), "import", "--account", "pig1987", str(export)])
    assert imported.returncode == 0, imported.stderr

    log = lines_of(lake.logs / "cookie_refresh.log")
    assert any("WARNING" in line and "email to owner@bedrot.test failed" in line for line in log)
    assert any("tiktok/pig1987: imported 1 cookie(s) from cookies.json" in line for line in log)
    text = "\n".join(log)
    assert "smtp-password-0123456789" not in text and "v-0123456789abcdef" not in text
    # SPEC §6's files are still written as before.
    structured = (lake.logs / "pipeline_executor_structured.jsonl").read_text(encoding="utf-8")
    assert "imported 1 cookie(s)" in structured


def test_a_failed_slack_notification_does_not_write_the_webhook_into_cookie_refresh_log(
    tmp_path: Path,
) -> None:
    lake = lake_with_services(tmp_path / "lake", CHECKOUT, ["distrokid"])
    hook = f"http://127.0.0.1:{closed_port()}{SECRET_HOOK_PATH}"
    assert cookie_schedule(lake, {"SLACK_WEBHOOK_URL": hook}).returncode == 0
    log = (lake.logs / "cookie_refresh.log").read_text(encoding="utf-8")
    assert "Slack message failed" in log
    assert SECRET_HOOK_PATH not in log


@pytest.mark.skipif(os.name == "nt" or not shutil.which("bash"), reason="needs bash")
def test_run_bedrot_pipeline_sh_keeps_bedrot_pipeline_logs(tmp_path: Path) -> None:
    lake = init_lake(tmp_path / "lake")
    wrapper = WRAPPERS / "run_bedrot_pipeline.sh"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["bash", str(wrapper), "--automated", "--no-extract", "--no-warehouse", *args],
            cwd=tmp_path,
            env=bedrot_env(lake.root),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    failed = run("--services", "nosuch")
    ok = run()
    assert (failed.returncode, ok.returncode) == (1, 0), failed.stdout + ok.stdout + ok.stderr
    # The console still shows the run, so a scheduler's redirect keeps working.
    assert "[STEP 6/6]" in ok.stdout

    everything = lines_of(lake.logs / "bedrot_pipeline.log")
    started = [line for line in everything if "==== bedrot run --automated" in line]
    assert len(started) == 4  # each run: started, finished
    assert sum("[STEP 3/6] Extractors" in line for line in everything) == 2
    assert any("finished with exit 1" in line for line in everything)
    assert any("finished with exit 0" in line for line in everything)
    assert all(re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d ", line) for line in everything)

    errors = lines_of(lake.logs / "bedrot_pipeline_errors.log")
    assert any("[FAIL] No service named nosuch" in line for line in errors), errors
    assert any(
        "`bedrot run --automated --no-extract --no-warehouse --services nosuch` exited 1" in line
        for line in errors
    )
    assert not any("[STEP" in line or "exited 0" in line for line in errors)
    for name in SPEC_LOGS:
        assert (lake.logs / name).is_file(), name


def test_a_run_that_cannot_start_is_written_to_bedrot_pipeline_errors_log(tmp_path: Path) -> None:
    not_a_lake = tmp_path / "not-a-lake"
    not_a_lake.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "common.wrapper_log", str(BEDROT), "run"],
        cwd=not_a_lake,
        env=bedrot_env(not_a_lake),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    errors = (not_a_lake / "logs" / "bedrot_pipeline_errors.log").read_text(encoding="utf-8")
    assert "exited 2" in errors and "the lake root is wrong" in errors


@pytest.mark.parametrize(
    "wrapper", ["run_bedrot_pipeline", "run_datalake_cron", "run_datalake_cron_no_extractors"]
)
def test_the_windows_twin_keeps_the_same_logs_as_the_shell_wrapper(wrapper: str) -> None:
    shell = (WRAPPERS / f"{wrapper}.sh").read_text(encoding="utf-8").splitlines()[-1]
    batch = [
        line
        for line in (WRAPPERS / f"{wrapper}.bat").read_text(encoding="utf-8").splitlines()
        if "-m common.wrapper_log" in line
    ]
    sh_args = shell.split("common.wrapper_log", 1)[1].replace('"$BEDROT"', "").replace('"$@"', "")
    assert shell.startswith('exec "$PYTHON" -m common.wrapper_log "$BEDROT" run')
    assert len(batch) == 1
    assert batch[0].startswith('"%PYTHON%" -m common.wrapper_log "%BEDROT%" run')
    bat_args = batch[0].split("common.wrapper_log", 1)[1].replace('"%BEDROT%"', "")
    assert sh_args.split() == bat_args.replace("%*", "").split()

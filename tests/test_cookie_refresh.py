"""The seed's cookie commands (`src/common/cookie_refresh/*.py`, `python -m
common.cookie_refresh.refresher`, `common.cookies`) as the label's users type them."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from dotenv import dotenv_values

from common.lake import Lake
from common.testing import run_in_lake
from tests.conftest import bedrot_env
from tests.fakes.distrokid import distrokid_site
from tests.fakes.lakes import extractor_lake, save_login
from tests.fakes.metaads import OAUTH_ERROR, VALID_TOKEN, FakeGraphApi
from tests.fakes.site import FakeSite, Request, Response
from tests.fakes.smtp import Inbox, running_inbox
from tests.fakes.user import free_port

CHECKOUT = Path(__file__).resolve().parents[1]
SCRIPTS = CHECKOUT / "src" / "common" / "cookie_refresh"
TOOLS = (
    "check_status",
    "manual_refresh",
    "scheduler",
    "view_history",
    "test_notifications",
    "clear_cookies",
    "restore_backup",
    "configure",
    "view_logs",
    "test_auth",
    "health_check",
    "view_metrics",
    "setup_notifications",
    "refresher",
)
STATE = {
    "cookies": [
        {"name": "sid", "value": "secret-cookie-value-1", "domain": "x", "path": "/", "expires": -1}
    ],
    "origins": [],
}
needs_chromium = pytest.mark.skipif(
    not Path("/usr/bin/chromium").is_file(), reason="Debian's chromium is not installed"
)


def tool(
    lake: Lake, name: str, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`python src/common/cookie_refresh/<name>.py ARGS` in the lake, PROJECT_ROOT set."""
    return run_in_lake(lake, [str(SCRIPTS / f"{name}.py"), *args], env=env)


def in_checkout(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`python ARGS` from the checkout's root, as the seed's quick start runs things."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=CHECKOUT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def session(lake: Lake, service: str, state: dict[str, Any] = STATE) -> Path:
    path = lake.src / service / "cookies" / f"{service}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(state), encoding="utf-8")
    return path


@pytest.mark.parametrize("name", TOOLS)
def test_every_cookie_script_answers_help_with_its_own_usage(lake: Lake, name: str) -> None:
    done = tool(lake, name, "--help")
    assert done.returncode == 0, done.stderr
    assert f"Usage: {name}" in done.stdout
    description = done.stdout.split("Options")[0].split("\n", 1)[1]
    assert len(description.split()) >= 5


def test_the_quick_start_runs_from_the_checkout_with_or_without_project_root(lake: Lake) -> None:
    session(lake, "distrokid")
    with_root = bedrot_env(lake.root, {"PYTHONPATH": str(CHECKOUT / "src")})
    ok = in_checkout(
        "-m",
        "common.cookie_refresh.refresher",
        "--check-only",
        "--service",
        "distrokid",
        env=with_root,
    )
    assert ok.returncode == 0, ok.stderr
    assert re.search(r"distrokid\s+distrokid\s+OK", ok.stdout)
    unusable = in_checkout(
        "-m",
        "common.cookie_refresh.refresher",
        "--check-only",
        "--service",
        "toolost",
        env=with_root,
    )
    assert unusable.returncode == 1 and "MISSING" in unusable.stdout
    nothing_to_do = in_checkout(
        "-m", "common.cookie_refresh.refresher", "--service", "distrokid", env=with_root
    )
    assert nothing_to_do.returncode == 0 and "nothing to do" in nothing_to_do.stdout

    code = (
        "from common.cookies import load_cookies, validate_cookies;"
        "print(validate_cookies('distrokid'), validate_cookies('spotify'));"
        "print([c['name'] for c in load_cookies('distrokid')], load_cookies('spotify'))"
    )
    helpers = in_checkout("-c", code, env=with_root)
    assert helpers.stdout.splitlines() == ["True False", "['sid'] []"], helpers.stderr

    without_root = bedrot_env(None)
    status = in_checkout(str(SCRIPTS / "check_status.py"), env=without_root)
    assert status.returncode in (0, 1), status.stderr
    assert status.stdout.startswith("Service ")
    printed = in_checkout(
        "-c",
        "from common.cookies import validate_cookies;" "print(validate_cookies('spotify'))",
        env=without_root,
    )
    assert printed.stdout.strip() in ("True", "False"), printed.stderr


def test_configure_changes_one_service_and_refuses_mistakes_with_a_sentence(lake: Lake) -> None:
    config = lake.config / "cookie_refresh_config.json"
    original = (CHECKOUT / "config" / "cookie_refresh_config.json").read_text(encoding="utf-8")
    config.write_text(original, encoding="utf-8")

    shown = tool(lake, "configure")
    assert shown.returncode == 0
    assert re.search(r"toolost\s+yes\s+jwt\s+7d\s+5d\s+CRITICAL", shown.stdout)

    changed = tool(
        lake,
        "configure",
        "--service",
        "spotify",
        "--max-age-days",
        "45",
        "--refresh-interval-days",
        "10",
        "--priority",
        "critical",
        "--disable",
    )
    assert changed.returncode == 0, changed.stderr
    document = json.loads(config.read_text(encoding="utf-8"))
    spotify = document["services"]["spotify"]
    assert (spotify["max_age_days"], spotify["refresh_interval_days"]) == (45, 10)
    assert (spotify["priority"], spotify["enabled"]) == ("CRITICAL", False)
    untouched = [line for line in original.splitlines() if '"spotify"' not in line]
    assert untouched == [
        line for line in config.read_text(encoding="utf-8").splitlines() if '"spotify"' not in line
    ]
    status = tool(lake, "check_status")
    assert "spotify" not in status.stdout and "toolost" in status.stdout

    before = config.read_bytes()
    wrong = tool(
        lake, "configure", "--service", "spotify", "--priority", "URGENT", "--max-age-days", "-1"
    )
    assert wrong.returncode == 1
    assert "--priority must be one of CRITICAL, HIGH, MEDIUM, LOW; 'URGENT' is not one." in (
        wrong.stderr
    )
    assert "--max-age-days must be a number of days above 0, not -1." in wrong.stderr
    longer = tool(lake, "configure", "--service", "linktree", "--refresh-interval-days", "60")
    assert longer.returncode == 1 and "refresh_interval_days is longer" in longer.stderr
    assert config.read_bytes() == before


def test_restore_lists_backups_then_restores_the_newest_or_a_chosen_one(lake: Lake) -> None:
    current = session(lake, "linktree", {**STATE, "origins": ["current"]})
    folder = current.parent / "backups"
    folder.mkdir()
    for day, label in ((1, "older"), (2, "newer")):
        backup = folder / f"linktree_2025010{day}_120000.json"
        backup.write_text(json.dumps({**STATE, "origins": [label]}), encoding="utf-8")
        stamp = datetime(2025, 1, day, 12, tzinfo=timezone.utc).timestamp()
        os.utime(backup, (stamp, stamp))

    def restored() -> object:
        return json.loads(current.read_text(encoding="utf-8"))["origins"][0]

    listing = tool(lake, "restore_backup", "--service", "linktree")
    assert listing.returncode == 0, listing.stderr
    assert re.search(
        r"1\s+linktree_20250102_120000\.json.*\n\s+2\s+linktree_20250101", listing.stdout
    )
    assert restored() == "current"

    chosen = tool(lake, "restore_backup", "--service", "linktree", "--backup", "2")
    assert chosen.returncode == 0, chosen.stderr
    assert restored() == "older"
    latest = tool(lake, "restore_backup", "--service", "linktree", "--latest")
    assert latest.returncode == 0 and restored() == "current"  # backed up by the first restore
    by_name = tool(
        lake, "restore_backup", "--service", "linktree", "--backup", "linktree_20250102_120000"
    )
    assert by_name.returncode == 0 and restored() == "newer"
    unknown = tool(lake, "restore_backup", "--service", "linktree", "--backup", "9")
    assert unknown.returncode == 1 and "no backup number 9" in unknown.stderr


@needs_chromium
def test_test_auth_says_valid_expired_or_missing_and_changes_nothing(tmp_path: Path) -> None:
    env = {"BEDROT_BROWSER_HEADLESS": "1"}
    with distrokid_site().running() as site:
        lake = extractor_lake(tmp_path / "lake", ["distrokid"], {"distrokid": site.base_url})
        saved = save_login(lake, "distrokid", site.storage_state())
        before = saved.read_bytes()
        valid = tool(lake, "test_auth", "--service", "distrokid", env=env)
        assert valid.returncode == 0, valid.stdout + valid.stderr
        assert "distrokid: VALID" in valid.stdout

        save_login(lake, "distrokid", site.storage_state(token="fake-session-the-site-forgot"))
        refused_bytes = saved.read_bytes()
        expired = tool(lake, "test_auth", "--service", "distrokid", env=env)
        assert expired.returncode == 1
        assert "distrokid: EXPIRED" in expired.stdout and "login page" in expired.stdout
        assert saved.read_bytes() == refused_bytes and saved.read_bytes() != before
        assert not saved.with_suffix(".expired").exists()
        assert not (saved.parent / "backups").exists()
        assert not [r for r in site.requests if r.method == "POST"]

        saved.unlink()
        missing = tool(lake, "test_auth", "--service", "distrokid", env=env)
        asked = len(site.requests)
    assert missing.returncode == 1 and "distrokid: MISSING" in missing.stdout
    assert asked == len(site.requests)


def test_test_auth_shows_the_meta_token_to_the_api_read_only(tmp_path: Path) -> None:
    api = FakeGraphApi()

    @api.site.route("GET", "/v25.0/me", protected=False)
    def me(request: Request) -> Response:
        if api.token_of(request) == VALID_TOKEN:
            return Response.json({"id": "1", "name": "BEDROT system user"})
        return Response.json(OAUTH_ERROR, 400)

    with api.running():
        lake = extractor_lake(tmp_path / "lake", ["metaads"], {"metaads": api.base_url})
        valid = tool(
            lake, "test_auth", "--service", "metaads", env={"META_ACCESS_TOKEN": VALID_TOKEN}
        )
        expired = tool(
            lake, "test_auth", "--service", "metaads", env={"META_ACCESS_TOKEN": "EAAGrevokedToken"}
        )
    assert valid.returncode == 0 and "metaads: VALID" in valid.stdout, valid.stderr
    assert expired.returncode == 1 and "metaads: EXPIRED" in expired.stdout
    assert "EAAGrevokedToken" not in expired.stdout + expired.stderr
    assert not list((lake.src / "metaads" / "cookies").glob("*.expired"))


def event(days_ago: float, service: str, action: str, outcome: str, **extra: Any) -> str:
    when = datetime.now(timezone.utc) - timedelta(days=days_ago)
    line = {
        "timestamp": when.isoformat(timespec="seconds"),
        "service": service,
        "login": service,
        "action": action,
        "outcome": outcome,
        "detail": "",
        **extra,
    }
    return json.dumps(line)


def test_view_metrics_counts_refreshes_expiries_failures_and_age_at_refresh(lake: Lake) -> None:
    history = [
        event(40, "distrokid", "login", "saved"),
        event(20, "distrokid", "notify", "EXPIRED"),
        event(19, "distrokid", "extract", "skipped"),
        event(18, "distrokid", "refresh", "failed"),
        event(17, "distrokid", "login", "saved"),
        event(5, "distrokid", "login", "saved", replaced_age_days=12.0),
        event(3, "linktree", "extract", "skipped"),
        event(1, "scheduler", "schedule", "checked"),
    ]
    (lake.logs / "cookie_refresh_history.jsonl").write_text(
        "\n".join(history) + "\n", encoding="utf-8"
    )
    month = tool(lake, "view_metrics", "--days", "30")
    assert month.returncode == 0, month.stderr
    rows = {line.split()[0]: line.split()[1:] for line in month.stdout.splitlines()[3:]}
    assert rows["distrokid"] == ["2", "1", "1", "17.5d"]
    assert rows["linktree"] == ["0", "1", "0", "-"]
    assert rows["spotify"] == ["0", "0", "0", "-"] and "scheduler" not in rows
    week = tool(lake, "view_metrics", "--days", "10")
    rows = {line.split()[0]: line.split()[1:] for line in week.stdout.splitlines()[3:]}
    assert rows["distrokid"] == ["1", "0", "0", "12.0d"]


def test_view_logs_shows_one_services_lines(lake: Lake) -> None:
    now = datetime.now(timezone.utc)

    def line(days_ago: float, level: str, service: str, message: str) -> str:
        when = (now - timedelta(days=days_ago)).isoformat(timespec="milliseconds")
        return json.dumps(
            {
                "timestamp": when,
                "level": level,
                "service": service,
                "message": message,
                "correlation_id": "run42",
            }
        )

    planted = [
        line(10, "INFO", "distrokid", "an old distrokid line"),
        line(1, "INFO", "distrokid", "distrokid: landed 3 file(s)."),
        line(1, "DEBUG", "distrokid", "a debug detail"),
        line(1, "WARNING", "cookies", "distrokid: a browser window is open"),
        line(1, "INFO", "linktree", "linktree: landed 1 file(s)."),
    ]
    (lake.logs / "pipeline_executor_structured.jsonl").write_text(
        "\n".join(planted) + "\n", encoding="utf-8"
    )
    day_log = lake.logs / f"extractor_{now:%Y%m%d}.log"
    day_log.write_text(
        f"{now.astimezone():%Y-%m-%d %H:%M:%S} DEBUG   [distrokid] GET /stats/ answered 200\n"
        f"{now.astimezone():%Y-%m-%d %H:%M:%S} INFO    [distrokid] distrokid: landed 3 file(s).\n"
        "    | captured output\n",
        encoding="utf-8",
    )
    plain = tool(lake, "view_logs", "--service", "distrokid", "--days", "7")
    assert plain.returncode == 0, plain.stderr
    assert "landed 3 file(s)" in plain.stdout and "[cookies] distrokid: a browser" in plain.stdout
    assert "linktree" not in plain.stdout and "old distrokid" not in plain.stdout
    assert "debug detail" not in plain.stdout and "run42" not in plain.stdout
    assert "answered 200" not in plain.stdout
    verbose = tool(lake, "view_logs", "--service", "distrokid", "--verbose")
    assert "a debug detail" in verbose.stdout and "correlation_id=run42" in verbose.stdout
    assert "GET /stats/ answered 200" in verbose.stdout
    assert verbose.stdout.count("landed 3 file(s)") == 1 and "captured" not in verbose.stdout


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    with running_inbox() as running:
        yield running


def test_setup_notifications_writes_a_private_env_and_sends_a_test(
    lake: Lake, inbox: tuple[Inbox, int]
) -> None:
    mail, port = inbox
    env_file = lake.root / ".env"
    env_file.write_text("# my settings\nWAREHOUSE_URL=sqlite:///w.db\nSMTP_HOST=old\n", "utf-8")
    password = "s3cret pass#word"
    done = tool(
        lake,
        "setup_notifications",
        "--smtp-host",
        "127.0.0.1",
        "--smtp-port",
        str(port),
        "--smtp-user",
        "",
        "--smtp-password",
        password,
        "--no-smtp-starttls",
        "--email-to",
        "owner@bedrot.test",
    )
    assert done.returncode == 0, done.stderr
    assert "[OK] email sent to owner@bedrot.test" in done.stdout and len(mail.messages) == 1
    assert "SMTP_PASSWORD (hidden)" in done.stdout and password not in done.stdout + done.stderr
    assert env_file.stat().st_mode & 0o777 == 0o600
    text = env_file.read_text(encoding="utf-8")
    assert text.startswith("# my settings\nWAREHOUSE_URL=sqlite:///w.db\n")
    assert text.count("SMTP_HOST=") == 1
    values = dotenv_values(env_file)
    assert (values["SMTP_HOST"], values["SMTP_PORT"]) == ("127.0.0.1", str(port))
    assert (values["SMTP_PASSWORD"], values["SMTP_STARTTLS"]) == (password, "0")

    webhook = "https://hooks.slack.test/services/T0/B0/webhook-secret"
    quiet = tool(lake, "setup_notifications", "--slack-webhook", webhook, "--no-test")
    assert quiet.returncode == 0 and len(mail.messages) == 1
    assert "webhook-secret" not in quiet.stdout
    assert dotenv_values(env_file)["SLACK_WEBHOOK_URL"] == webhook
    assert dotenv_values(env_file)["SMTP_PASSWORD"] == password


@needs_chromium
def test_health_check_reports_channels_scheduler_and_logins(
    lake: Lake, inbox: tuple[Inbox, int]
) -> None:
    _, port = inbox
    session(lake, "distrokid")
    channels = {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(port),
        "SMTP_STARTTLS": "0",
        "NOTIFY_EMAIL_TO": "owner@bedrot.test",
        "SLACK_WEBHOOK_URL": f"http://127.0.0.1:{free_port()}/hook",
    }
    broken = tool(lake, "health_check", env=channels)
    assert broken.returncode == 1
    assert "[FAIL] notifications slack: 127.0.0.1:" in broken.stdout
    assert "[OK] notifications email: 127.0.0.1" in broken.stdout
    assert "scheduler: has never run" in broken.stdout
    assert "[OK] login distrokid/distrokid: OK" in broken.stdout

    hook = FakeSite()
    hook.route("POST", "/hook", protected=False)(lambda request: Response(200, b"ok"))
    with hook.running():
        working = {**channels, "SLACK_WEBHOOK_URL": hook.base_url + "/hook"}
        assert tool(lake, "scheduler", env=working).returncode == 0
        posted = len(hook.requests)
        healthy = tool(lake, "health_check", env=working)
        assert len(hook.requests) == posted  # reachability only: nothing posted
    assert healthy.returncode == 0, healthy.stdout
    assert "[OK] scheduler: last ran" in healthy.stdout and "[OK] browser:" in healthy.stdout


def test_every_tool_leaves_the_session_file_alone_when_it_only_reads(lake: Lake) -> None:
    saved = session(lake, "distrokid")
    when = time.time() - 86400
    os.utime(saved, (when, when))
    before = (saved.read_bytes(), saved.stat().st_mtime)
    for name, args in (
        ("check_status", ["--service", "distrokid"]),
        ("view_history", ["--service", "all", "--days", "7"]),
        ("manual_refresh", ["--all", "--force", "--dry-run"]),
    ):
        done = tool(lake, name, *args)
        assert done.returncode == 0, (name, done.stderr)
    assert (saved.read_bytes(), saved.stat().st_mtime) == before

"""Expired and expiring logins are announced by email (a local aiosmtpd server) and Slack (a
local webhook), once per repeat window; a channel that is down is reported, not fatal."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from email import message_from_bytes
from pathlib import Path
from typing import Any

import pytest

from common.lake import Lake
from tests.conftest import RunBedrot
from tests.fakes.site import FakeSite, Request, Response
from tests.fakes.smtp import Inbox, running_inbox
from tests.fakes.user import free_port

HOOK_PATH = "/services/T000/B000/webhook-secret-part"


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    with running_inbox() as running:
        yield running


@pytest.fixture
def slack() -> Iterator[tuple[list[dict[str, Any]], str]]:
    received: list[dict[str, Any]] = []
    site = FakeSite()

    @site.route("POST", HOOK_PATH, protected=False)
    def hook(request: Request) -> Response:
        received.append(request.json())
        return Response(200, b"ok", "text/plain")

    with site.running():
        yield received, site.base_url + HOOK_PATH


def channels(smtp_port: int, webhook: str) -> dict[str, str]:
    return {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp_port),
        "SMTP_STARTTLS": "0",
        "SMTP_USER": "",
        "NOTIFY_EMAIL_FROM": "lake@bedrot.test",
        "NOTIFY_EMAIL_TO": "owner@bedrot.test",
        "SLACK_WEBHOOK_URL": webhook,
    }


def old_login(lake: Lake, service: str, days: float) -> None:
    path = lake.src / service / "cookies" / f"{service}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{"cookies": [], "origins": []}', encoding="utf-8")
    when = time.time() - days * 86400
    os.utime(path, (when, when))


def test_expired_and_expiring_logins_reach_email_and_slack_once(
    lake: Lake, bedrot: RunBedrot, inbox: tuple[Inbox, int], slack: tuple[list[Any], str]
) -> None:
    mail, port = inbox
    posted, webhook = slack
    old_login(lake, "distrokid", 95)
    old_login(lake, "linktree", 25)
    env = channels(port, webhook)

    first = bedrot("cookies", "schedule", env=env)
    assert first.returncode == 0, first.stderr
    assert len(mail.messages) == 1 and len(posted) == 1
    email = message_from_bytes(mail.messages[0])
    assert email["To"] == "owner@bedrot.test"
    assert "login(s) need you" in email["Subject"]
    body = email.get_payload()
    assert "distrokid (distrokid): the saved login has expired" in body
    assert "linktree (linktree): the saved login expires soon" in body
    assert "bedrot cookies refresh --service distrokid" in posted[0]["text"]

    again = bedrot("cookies", "schedule", env=env)
    assert again.returncode == 0
    assert (len(mail.messages), len(posted)) == (1, 1)
    assert "webhook-secret-part" not in "".join(
        p.read_text(encoding="utf-8") for p in lake.logs.rglob("*") if p.is_file()
    )


def test_notify_test_sends_on_both_channels(
    bedrot: RunBedrot, inbox: tuple[Inbox, int], slack: tuple[list[Any], str]
) -> None:
    mail, port = inbox
    posted, webhook = slack
    done = bedrot("cookies", "notify-test", env=channels(port, webhook))
    assert done.returncode == 0, done.stderr
    assert "[OK] email sent to owner@bedrot.test" in done.stdout
    assert len(mail.messages) == 1 and "test" in posted[0]["text"]


def test_a_channel_that_is_down_is_reported_and_the_other_still_sends(
    lake: Lake, bedrot: RunBedrot, slack: tuple[list[Any], str]
) -> None:
    posted, webhook = slack
    done = bedrot("cookies", "notify-test", env=channels(free_port(), webhook))
    assert done.returncode == 1
    assert "[FAIL] email to owner@bedrot.test failed" in done.stdout
    assert len(posted) == 1


def test_no_channel_configured_says_what_to_set(bedrot: RunBedrot) -> None:
    done = bedrot("cookies", "notify-test")
    assert done.returncode == 1 and "SMTP_HOST" in done.stderr


def test_scheduler_script_is_the_same_command(
    lake: Lake, inbox: tuple[Inbox, int], slack: tuple[list[Any], str]
) -> None:
    from common.testing import run_in_lake

    mail, port = inbox
    _, webhook = slack
    old_login(lake, "spotify", 40)
    script = Path(__file__).resolve().parents[2] / "src/common/cookie_refresh/scheduler.py"
    done = run_in_lake(lake, [str(script)], env=channels(port, webhook))
    assert done.returncode == 0, done.stderr
    assert "spotify/spotify: EXPIRED" in done.stdout
    assert len(mail.messages) == 1
    history = [
        json.loads(line)
        for line in (lake.logs / "cookie_refresh_history.jsonl").read_text().splitlines()
    ]
    assert {(h["service"], h["action"], h["outcome"]) for h in history} >= {
        ("spotify", "notify", "EXPIRED")
    }

"""Is the login system itself in working order? Each login's state, the scheduler's last run,
the browser the login window needs, and whether the notification channels can be reached.

An expired login is a normal event, not a broken system (SPEC §4), so logins and the scheduler
are reported without failing; what is *needed* is a browser for the login window and every
channel that is set up being reachable (else expiries go unannounced).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from common.lake import Lake
from common.sessions.history import last_scheduler_run
from common.sessions.notify import Channel, email_channel, reach, slack_channel
from common.sessions.policy import CookiePolicy
from common.sessions.status import all_statuses

SCHEDULER_LATE = timedelta(days=2)


@dataclass(frozen=True)
class Check:
    area: str
    ok: bool
    detail: str
    needed: bool = False

    @property
    def broken(self) -> bool:
        return self.needed and not self.ok

    def line(self) -> str:
        mark = "[OK]" if self.ok else ("[FAIL]" if self.needed else "[WARNING]")
        return f"{mark} {self.area}: {self.detail}"


def login_checks(lake: Lake, policy: CookiePolicy, now: datetime) -> list[Check]:
    return [
        Check(f"login {s.service}/{s.login}", s.usable, f"{s.state} ({s.reason})")
        for s in all_statuses(lake, policy, now)
    ]


def scheduler_check(lake: Lake, now: datetime) -> Check:
    last = last_scheduler_run(lake)
    if last is None:
        return Check(
            "scheduler",
            False,
            "has never run; schedule `bedrot cookies schedule` (see docs/scheduling.md)",
        )
    hours = (now - last.timestamp).total_seconds() / 3600
    detail = f"last ran {last.timestamp:%Y-%m-%d %H:%M} UTC ({hours:.0f} h ago): {last.detail}"
    return Check("scheduler", now - last.timestamp <= SCHEDULER_LATE, detail)


def browser_check() -> Check:
    """The login window needs Chromium: BEDROT_CHROMIUM_PATH, Debian's, or Playwright's own."""
    from common.browser import chromium_path

    configured = chromium_path()
    if configured:
        found = Path(configured).is_file()
        return Check("browser", found, configured + ("" if found else " does not exist"), True)
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            bundled = playwright.chromium.executable_path
    except Exception as error:  # any failure here means no login window can open
        return Check("browser", False, f"Playwright cannot start: {error}", True)
    if Path(bundled).is_file():
        return Check("browser", True, bundled, True)
    return Check("browser", False, "no Chromium: run `python -m playwright install chromium`", True)


def channel_check(channel: Channel, enabled: bool) -> Check:
    area = f"notifications {channel.name}"
    if not enabled:
        return Check(area, True, "off in config/cookie_refresh_config.json")
    if not channel.configured:
        return Check(area, False, "not set up (run setup_notifications.py)")
    problem = reach(channel)
    return Check(area, problem is None, problem or f"{channel.where} reachable", True)


def system_checks(lake: Lake, policy: CookiePolicy, now: datetime) -> list[Check]:
    notes = policy.notifications
    return [
        *login_checks(lake, policy, now),
        scheduler_check(lake, now),
        browser_check(),
        channel_check(email_channel(), notes.email),
        channel_check(slack_channel(), notes.slack),
    ]

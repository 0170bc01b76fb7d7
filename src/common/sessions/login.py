"""The semi-manual login: a visible browser on the service's login page, the user logs in
(2FA included), and the session is saved. Nothing here ever types a password."""

from __future__ import annotations

import logging
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from common.browser import launch_chromium
from common.extractor_config import ExtractorConfig
from common.lake import Lake
from common.sessions.history import HistoryEvent, record
from common.sessions.policy import CookiePolicy, ServicePolicy
from common.sessions.store import save_session, saved_age_days, stored_value

POLL_MILLISECONDS = 500


class LoginNotCompleted(Exception):
    """The user did not finish logging in (time ran out or the window was closed)."""


def _logged_in(config: ExtractorConfig, policy: ServicePolicy, url: str, state: Any) -> bool:
    if not config.is_logged_in_page(url):
        return False
    return policy.jwt_name is None or bool(stored_value(state, policy.jwt_name))


def wait_for_login(
    lake: Lake,
    config: ExtractorConfig,
    cookie_policy: CookiePolicy,
    policy: ServicePolicy,
    login: str,
    log: logging.Logger,
) -> Path:
    """Open the login page in a visible browser and wait (bounded) until the user is in."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    timeout = cookie_policy.login_timeout_seconds
    page_url = config.absolute(config.login_url)
    log.warning(
        "%s: a browser window is open on %s; log in as %s (2FA included). Waiting up to %.0f s.",
        policy.service,
        page_url,
        login,
        timeout,
        extra={"service": policy.service},
    )
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright, visible=True)
        try:
            context = browser.new_context()
            page = context.new_page()
            page.goto(page_url)
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                try:
                    if _logged_in(config, policy, page.url, context.storage_state()):
                        state = context.storage_state()
                        break
                    page.wait_for_timeout(POLL_MILLISECONDS)
                except PlaywrightError as error:
                    raise LoginNotCompleted(
                        f"{policy.service}: the login window closed before the login finished."
                    ) from error
            else:
                raise LoginNotCompleted(
                    f"{policy.service}: nobody logged in within {timeout:.0f} s."
                )
        finally:
            browser.close()
    now = datetime.now(timezone.utc)
    replaced_age = saved_age_days(lake, policy.service, login, now)
    saved = save_session(lake, policy.service, login, dict(state), cookie_policy.keep_backups, now)
    event = HistoryEvent(
        now, policy.service, login, "login", "saved", "logged in by hand", replaced_age
    )
    record(lake, event)
    log.info(
        "%s: logged in as %s; the session is saved in %s.",
        policy.service,
        login,
        saved.relative_to(lake.root).as_posix(),
        extra={"service": policy.service},
    )
    return saved

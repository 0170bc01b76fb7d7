"""Does the site still take a saved login? One read-only visit, nothing saved or marked.

A browser login is loaded into a headless Chromium that opens one logged-in page of the
service: landing on the login page means the site refused it. A token from `.env` (Meta Ads)
is shown to the API in one cheap read. The probe never fills a form, never writes the session
back, and never leaves an `.expired` mark: it only answers the user's question. A login the
site already turned away (it carries a mark) is not tried again, as in every run.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from common.browser import launch_chromium
from common.extractor_config import ExtractorConfig, ExtractorConfigError
from common.lake import Lake
from common.sessions.policy import CookiePolicy, ServicePolicy
from common.sessions.status import session_status
from common.sessions.store import expired_reason, read_session, session_path

if TYPE_CHECKING:
    from requests import Response

Verdict = Literal["VALID", "EXPIRED", "MISSING", "UNKNOWN"]
AUTH_CHECK_URL = "auth_check"
# The Graph API's cheapest read: who the token belongs to.
DEFAULT_TOKEN_CHECK_PATH = "/{api_version}/me"
# A single-page site may send a refused visitor to its login page by script after loading.
SETTLE_MILLISECONDS = 2000
REFUSED_STATUSES = frozenset({401, 403})
TOKEN_REFUSED_CODE = 190


@dataclass(frozen=True)
class ProbeResult:
    service: str
    login: str
    verdict: Verdict
    reason: str

    @property
    def valid(self) -> bool:
        return self.verdict == "VALID"

    def line(self) -> str:
        name = self.service if self.login == self.service else f"{self.service}/{self.login}"
        return f"{name}: {self.verdict} ({self.reason})"


def auth_check_url(config: ExtractorConfig) -> str:
    """The page to open: a url named `auth_check`, else the first named page (no API, no
    placeholder) that counts as logged in, else the site's home when that does."""
    if AUTH_CHECK_URL in config.urls:
        return config.url(AUTH_CHECK_URL)
    for path in config.urls.values():
        url = config.absolute(path)
        if "{" not in path and "/api/" not in path and config.is_logged_in_page(url):
            return url
    home = config.absolute("/")
    if config.is_logged_in_page(home):
        return home
    raise ExtractorConfigError(
        f"{config.file} names no page to check the login on; add a url named {AUTH_CHECK_URL}."
    )


def probe_login(
    lake: Lake,
    cookie_policy: CookiePolicy,
    policy: ServicePolicy,
    login: str,
    config: ExtractorConfig,
    now: datetime,
) -> ProbeResult:
    """Try the saved login once against the service; see the module docstring."""
    status = session_status(lake, cookie_policy, policy, login, now)

    def result(verdict: Verdict, reason: str) -> ProbeResult:
        return ProbeResult(policy.service, login, verdict, reason)

    if status.state == "MISSING":
        return result("MISSING", status.reason)
    token = os.environ.get(policy.token_env or "", "") if policy.token_env else None
    refused = expired_reason(lake, policy.service, login, token)
    if refused:
        return result("EXPIRED", f"the site turned it away before ({refused}); not tried again")
    aged_out = status.age_days is not None and status.age_days >= policy.max_age_days
    if status.state == "EXPIRED" and not aged_out:
        return result("EXPIRED", status.reason)
    if token is not None:
        verdict, reason = _probe_token(config, token)
    else:
        verdict, reason = _probe_browser(lake, policy, login, config)
    return result(verdict, reason)


def _probe_browser(
    lake: Lake, policy: ServicePolicy, login: str, config: ExtractorConfig
) -> tuple[Verdict, str]:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    url = auth_check_url(config)
    state = read_session(session_path(lake, policy.service, login))
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            context = browser.new_context(storage_state=state)  # type: ignore[arg-type]
            page = context.new_page()
            response = page.goto(url, timeout=config.timeout_seconds * 1000)
            try:
                page.wait_for_url(
                    lambda url: config.is_login_page(url), timeout=SETTLE_MILLISECONDS
                )
            except PlaywrightTimeout:
                pass
            landed = page.url
        except PlaywrightError as error:
            return "UNKNOWN", f"{url} could not be opened: {str(error).splitlines()[0]}"
        finally:
            browser.close()
    if config.is_login_page(landed):
        return "EXPIRED", f"{url} sent us to the login page"
    if response is not None and response.status in REFUSED_STATUSES:
        return "EXPIRED", f"{url} answered HTTP {response.status}"
    return "VALID", f"{url} opened logged in"


def _probe_token(config: ExtractorConfig, token: str) -> tuple[Verdict, str]:
    import requests

    path = config.urls.get(AUTH_CHECK_URL, DEFAULT_TOKEN_CHECK_PATH)
    try:
        url = config.absolute(path.format(**{k: str(v) for k, v in config.settings.items()}))
    except (KeyError, IndexError, ValueError):
        raise ExtractorConfigError(
            f"{config.file}: the {AUTH_CHECK_URL} url needs values its settings do not hold."
        ) from None
    try:
        response = requests.get(
            url, headers={"Authorization": f"Bearer {token}"}, timeout=config.timeout_seconds
        )
    except requests.RequestException as error:
        return "UNKNOWN", f"{url} could not be reached: {type(error).__name__}"
    if response.status_code == 200:
        return "VALID", f"{url} accepted the token"
    if response.status_code in REFUSED_STATUSES or _refused_token(response):
        return "EXPIRED", f"{url} refused the token (HTTP {response.status_code})"
    return "UNKNOWN", f"{url} answered HTTP {response.status_code}"


def _refused_token(response: Response) -> bool:
    """Meta answers a dead token with HTTP 400 and error code 190."""
    try:
        document = response.json()
    except ValueError:
        return False
    error = document.get("error") if isinstance(document, dict) else None
    return isinstance(error, dict) and error.get("code") == TOKEN_REFUSED_CODE

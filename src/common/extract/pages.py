"""A browser page bound to one service's config: named URLs and selectors, downloads, captured
XHR responses, and the two ways a page lets us down (the login page, a missing selector)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from common.browser import launch_options, window_description
from common.extract.errors import SelectorNotFound
from common.sessions.store import read_session

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Locator, Page, Response

    from common.extract.runtime import ExtractorContext

MILLISECONDS = 1000


@dataclass
class SitePage:
    """One logged-in page of a service; every name refers to its config/extractors file."""

    ctx: ExtractorContext
    login: str
    page: Page
    context: BrowserContext
    captured: list[Response] = field(default_factory=list)

    @property
    def timeout_ms(self) -> float:
        return self.ctx.config.timeout_seconds * MILLISECONDS

    def goto(self, url_name: str, **params: str) -> None:
        """Open a named URL; a redirect to the login page means the saved login was refused."""
        url = self.ctx.config.url(url_name, **params)
        self.page.goto(url, timeout=self.timeout_ms)
        self.visited(url_name)
        if not self.ctx.config.is_login_page(self.page.url):
            return
        refused = self.ctx.turned_away(self.login, f"{url_name} sent us to the login page")
        if self.ctx.automated:
            raise refused
        # Interactive: the user logs in once more, and the page is tried once with the new login.
        self.ctx.login_again(self.login, refused.reason)
        self.context.add_cookies(read_session(self.ctx.session_file(self.login))["cookies"])
        self.page.goto(url, timeout=self.timeout_ms)
        self.visited(url_name)
        if self.ctx.config.is_login_page(self.page.url):
            raise self.ctx.turned_away(self.login, f"{url_name} refused even a fresh login")

    def visited(self, url_name: str) -> None:
        """Say where the page landed; with `--debug`, keep a screenshot of it as well."""
        log = self.ctx.script.log
        extra = {"service": self.ctx.service}
        log.debug("%s: opened %s: %s", self.ctx.service, url_name, self.page.url, extra=extra)
        if not self.ctx.debug:
            return
        shot = self.screenshot(url_name)
        if shot is not None:
            log.debug("%s: screenshot of %s: %s", self.ctx.service, url_name, shot, extra=extra)

    def find(self, selector_name: str) -> Locator:
        """The first element a named selector matches, once in the page; else SelectorNotFound."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        selector = self.ctx.config.selector(selector_name)
        locator = self.page.locator(selector).first
        try:
            locator.wait_for(state="attached", timeout=self.timeout_ms)
        except PlaywrightTimeout:
            shot = self.screenshot(selector_name)
            raise SelectorNotFound(selector_name, selector, self.page.url, shot) from None
        self.ctx.script.log.debug(
            "%s: found %s (%s).",
            self.ctx.service,
            selector_name,
            selector,
            extra={"service": self.ctx.service},
        )
        return locator

    def screenshot(self, name: str) -> Path | None:
        shot = self.ctx.screenshot_path(name)
        try:
            self.page.screenshot(path=str(shot), full_page=True)
        except Exception:  # the screenshot is a courtesy; what was missing is the news
            return None
        return shot

    def click(self, selector_name: str) -> None:
        self.find(selector_name).click(timeout=self.timeout_ms)

    def download(self, selector_name: str) -> tuple[str, bytes]:
        """Click a named element and return the downloaded file's suggested name and bytes."""
        return self.download_from(self.find(selector_name))

    def download_from(self, target: Locator) -> tuple[str, bytes]:
        """Click an element already found (e.g. one button among several) and download."""
        with self.page.expect_download(timeout=self.timeout_ms) as info:
            target.click(timeout=self.timeout_ms)
        download = info.value
        content = download.path().read_bytes()
        self.ctx.script.log.debug(
            "%s: downloaded %s (%d bytes).",
            self.ctx.service,
            download.suggested_filename,
            len(content),
            extra={"service": self.ctx.service},
        )
        return download.suggested_filename, content

    def content(self) -> str:
        return self.page.content()

    @contextmanager
    def capturing(self, url_pattern: str) -> Iterator[list[Response]]:
        """Collect the responses whose URL matches `url_pattern` while the block runs."""
        pattern = re.compile(url_pattern)
        seen: list[Response] = []

        def keep(response: Response) -> None:
            if pattern.search(response.url):
                seen.append(response)

        self.page.on("response", keep)
        try:
            yield seen
        finally:
            self.page.remove_listener("response", keep)

    def wait_until(self, condition: Callable[[], bool], what: str) -> None:
        """Poll `condition` until it holds or the config's timeout passes."""
        waited = 0.0
        while not condition():
            if waited >= self.timeout_ms:
                shot = self.screenshot(what)
                raise SelectorNotFound(what, "(awaited on the page)", self.page.url, shot)
            self.page.wait_for_timeout(200)
            waited += 200


@contextmanager
def site_page(ctx: ExtractorContext, login: str | None = None) -> Iterator[SitePage]:
    """A page carrying the saved login (after an interactive login when needed); headless,
    unless the run asked to watch it with `--debug`."""
    from playwright.sync_api import sync_playwright

    name = login or ctx.service
    ctx.ensure_login(name)
    state = read_session(ctx.session_file(name))
    options = launch_options(visible=ctx.debug, remote_debugging=False)
    ctx.script.log.debug(
        "%s: launching Chromium for %s: %s.",
        ctx.service,
        name,
        window_description(ctx.debug, options),
        extra={"service": ctx.service},
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**options)
        try:
            context = browser.new_context(
                storage_state=state, accept_downloads=True  # type: ignore[arg-type]
            )
            context.set_default_timeout(ctx.config.timeout_seconds * MILLISECONDS)
            yield SitePage(ctx, name, context.new_page(), context)
        finally:
            browser.close()

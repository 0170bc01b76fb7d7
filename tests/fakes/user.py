"""The test acting as the person at the keyboard: it attaches to the visible login browser over
Chrome's debugging port and types the fake site's username, password and 2FA code."""

from __future__ import annotations

import socket
import threading
import time

from tests.fakes.site import PASSWORD, TWO_FACTOR_CODE, USERNAME


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def log_in_by_hand(debug_port: int, login_url_part: str, timeout: float = 60) -> None:
    """Wait for a browser page on the login URL, then log in there as the user would."""
    from playwright.sync_api import Error, sync_playwright

    deadline = time.monotonic() + timeout
    with sync_playwright() as playwright:
        while True:
            try:
                browser = playwright.chromium.connect_over_cdp(f"http://127.0.0.1:{debug_port}")
                pages = [p for c in browser.contexts for p in c.pages if login_url_part in p.url]
                if pages:
                    break
                browser.close()
            except Error:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError("no login page was opened")
            time.sleep(0.3)
        page = pages[0]
        page.fill("#username", USERNAME)
        page.fill("#password", PASSWORD)
        page.click("#submit")
        page.wait_for_selector("#code")
        page.fill("#code", TWO_FACTOR_CODE)
        page.click("#verify")
        browser.close()


class UserAtKeyboard(threading.Thread):
    """Logs in by hand in the background; `join()` re-raises what went wrong."""

    def __init__(self, debug_port: int, login_url_part: str) -> None:
        super().__init__(daemon=True)
        self.debug_port, self.login_url_part = debug_port, login_url_part
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            log_in_by_hand(self.debug_port, self.login_url_part)
        except BaseException as error:  # handed to the test thread in join()
            self.error = error

    def join(self, timeout: float | None = None) -> None:
        super().join(timeout)
        if self.error is not None:
            raise self.error

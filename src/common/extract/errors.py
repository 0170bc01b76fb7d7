"""The two ways an extractor stops that are not bugs: a login that no longer works, a page that
changed."""

from __future__ import annotations

from pathlib import Path


class SessionExpired(Exception):
    """The saved login is missing, expired or turned away by the site: skip, never retry."""

    def __init__(self, service: str, login: str, reason: str) -> None:
        super().__init__(f"{service}: the saved login {login!r} cannot be used: {reason}.")
        self.service, self.login, self.reason = service, login, reason


class SelectorNotFound(Exception):
    """A configured selector did not appear: the page changed (edit the extractor's config)."""

    def __init__(self, name: str, selector: str, url: str, screenshot: Path | None) -> None:
        shot = f"; screenshot {screenshot}" if screenshot else ""
        super().__init__(
            f"selector {name!r} ({selector}) was not found on {url}{shot}. If the site changed, "
            "update it in the service's config/extractors file."
        )
        self.name, self.selector, self.url, self.screenshot = name, selector, url, screenshot


class ExtractionFailed(Exception):
    """The site or API answered with something we cannot use; the message says what."""

"""One file per service, `config/extractors/<service>.json`: URLs, selectors, API versions.

A changed site is a config edit: `base_url` + named `urls` (paths or absolute), named
`selectors`, the `login` page (`url`, optional `pages` pattern of other login URLs) and the URL
pattern that means "logged in" (`logged_in_url`), and free `settings`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from common.config_files import read_config_object
from common.lake import Lake

EXTRACTOR_CONFIG_FOLDER = "extractors"
DEFAULT_TIMEOUT_SECONDS = 30.0


class ExtractorConfigError(Exception):
    """The service's extractor config is missing or wrong; the message names the file and key."""


@dataclass(frozen=True)
class ExtractorConfig:
    service: str
    base_url: str
    login_url: str = ""
    logged_in_url: str = ""
    login_pages: str = ""
    urls: dict[str, str] = field(default_factory=dict)
    selectors: dict[str, str] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS

    @property
    def file(self) -> str:
        return f"config/{EXTRACTOR_CONFIG_FOLDER}/{self.service}.json"

    def absolute(self, path: str) -> str:
        return urljoin(self.base_url.rstrip("/") + "/", path.lstrip("/")) if path else self.base_url

    def url(self, name: str, **params: str) -> str:
        if name not in self.urls:
            raise ExtractorConfigError(f"{self.file} has no url named {name!r}.")
        return self.absolute(self.urls[name].format(**params))

    def selector(self, name: str) -> str:
        if name not in self.selectors:
            raise ExtractorConfigError(f"{self.file} has no selector named {name!r}.")
        return self.selectors[name]

    def setting(self, name: str, default: Any = None) -> Any:
        return self.settings.get(name, default)

    def is_login_page(self, url: str) -> bool:
        """The login URL's path, or any URL `login.pages` (a pattern) matches: sites redirect
        to other locales and hosts of their login page."""
        if self.login_pages and re.search(self.login_pages, url):
            return True
        login_path = urlsplit(self.absolute(self.login_url)).path.rstrip("/")
        return bool(login_path) and urlsplit(url).path.rstrip("/") == login_path

    def is_logged_in_page(self, url: str) -> bool:
        if self.is_login_page(url):
            return False
        return bool(self.logged_in_url) and re.search(self.logged_in_url, url) is not None


def _strings(document: dict[str, Any], key: str, file: str) -> dict[str, str]:
    value = document.get(key, {})
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise ExtractorConfigError(f"{file}: {key} must map names to text.")
    return {str(k): v for k, v in value.items()}


def load_extractor_config(lake: Lake, service: str) -> ExtractorConfig:
    file = f"config/{EXTRACTOR_CONFIG_FOLDER}/{service}.json"
    path = lake.config / EXTRACTOR_CONFIG_FOLDER / f"{service}.json"
    document = read_config_object(path, ExtractorConfigError, file)
    if document is None:
        raise ExtractorConfigError(f"{file} is missing; the extractor needs its URLs.")
    if not isinstance(document.get("base_url"), str):
        raise ExtractorConfigError(f"{file} must be an object with a base_url.")
    login = document.get("login", {})
    if not isinstance(login, dict):
        raise ExtractorConfigError(f"{file}: login must be an object with url and logged_in_url.")
    settings = document.get("settings", {})
    if not isinstance(settings, dict):
        raise ExtractorConfigError(f"{file}: settings must be an object.")
    timeout = document.get("timeout_seconds", DEFAULT_TIMEOUT_SECONDS)
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0:
        raise ExtractorConfigError(f"{file}: timeout_seconds must be a number above 0.")
    return ExtractorConfig(
        service=service,
        base_url=document["base_url"],
        login_url=str(login.get("url", "")),
        logged_in_url=str(login.get("logged_in_url", "")),
        login_pages=str(login.get("pages", "")),
        urls=_strings(document, "urls", file),
        selectors=_strings(document, "selectors", file),
        settings=settings,
        timeout_seconds=float(timeout),
    )

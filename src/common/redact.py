"""Removes secrets from every log line: secret settings, cookies, Authorization headers, JWTs."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping

MASK = "[REDACTED]"
MIN_SECRET_LENGTH = 4
SECRET_NAME = re.compile(r"(PASSWORD|PASSWD|TOKEN|SECRET|COOKIE|API_KEY|_KEY$|JWT|SESSION|WEBHOOK)")
_PATTERNS = (
    re.compile(r"eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*"),
    re.compile(
        r"(?i)(authorization[\"']?\s*[:=]\s*[\"']?)(?:bearer\s+|basic\s+|token\s+)?[^\s\"',}]+"
    ),
    re.compile(r"(?i)((?:set-)?cookie[\"']?\s*[:=]\s*[\"']?)[^\"'\r\n]+"),
    re.compile(r"(?i)((?:access_token|refresh_token|password|client_secret)=)[^&\s\"']+"),
    re.compile(r"(://[^:/@\s]+:)[^@\s]+(?=@)"),
)


class Redactor:
    """Masks this run's secret values, and secret-shaped text, in any string."""

    def __init__(self) -> None:
        self._values: set[str] = set()

    def add(self, value: str | None) -> None:
        if value and len(value) >= MIN_SECRET_LENGTH:
            self._values.add(value)
            self._add_url_parts(value)

    def _add_url_parts(self, value: str) -> None:
        """A secret URL (a Slack webhook) leaks through errors that quote only its path or query."""
        from urllib.parse import urlsplit

        if "://" not in value:
            return
        parts = urlsplit(value)
        for part in (parts.path, parts.query):
            if len(part.strip("/")) >= 8:  # short paths (/v1) are not secrets
                self._values.add(part)

    def add_secret_settings(
        self, settings: Mapping[str, str | None], extra: Iterable[str] = ()
    ) -> None:
        """Remember the values of settings whose names mark them secret, or are in `extra`."""
        named = set(extra)
        for name, value in settings.items():
            if name in named or SECRET_NAME.search(name.upper()):
                self.add(value)

    def __call__(self, text: str) -> str:
        for value in sorted(self._values, key=len, reverse=True):
            if value in text:
                text = text.replace(value, MASK)
        for pattern in _PATTERNS:
            text = pattern.sub(lambda m: (m.group(1) if m.groups() else "") + MASK, text)
        return text


REDACTOR = Redactor()


def load_secrets_from_environment(dotenv: Mapping[str, str | None]) -> None:
    """Register the secret values of the environment and the lake's `.env`."""
    extra = [name.strip() for name in os.environ.get("BEDROT_SECRET_NAMES", "").split(",")]
    REDACTOR.add_secret_settings(dict(os.environ), extra)
    REDACTOR.add_secret_settings(dotenv, extra)


def redact(text: str) -> str:
    return REDACTOR(text)

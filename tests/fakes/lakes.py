"""A test lake for one service's extractor, pointed at that service's fake site."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from common.lake import Lake
from common.sessions.store import PRIVATE
from common.testing import lake_with_services

CHECKOUT = Lake(Path(__file__).resolve().parents[2])


def extractor_lake(root: Path, services: list[str], base_urls: dict[str, str]) -> Lake:
    """Copies of `services` with the checkout's extractor configs, their base_url on the fakes."""
    lake = lake_with_services(root, CHECKOUT, services)
    folder = lake.config / "extractors"
    folder.mkdir(parents=True, exist_ok=True)
    for service in services:
        document = json.loads(
            (CHECKOUT.config / "extractors" / f"{service}.json").read_text(encoding="utf-8")
        )
        if service in base_urls:
            document["base_url"] = base_urls[service]
        (folder / f"{service}.json").write_text(json.dumps(document, indent=2), encoding="utf-8")
    return lake


def save_login(lake: Lake, service: str, state: dict[str, Any], login: str | None = None) -> Path:
    path = lake.src / service / "cookies" / f"{login or service}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(state), encoding="utf-8")
    path.chmod(PRIVATE)
    return path


def age(path: Path, days: float) -> None:
    """Make a saved file look `days` old."""
    when = path.stat().st_mtime - days * 86400
    os.utime(path, (when, when))


def extractor_env(**extra: str) -> dict[str, str]:
    """Browsers stay headless in tests, even the login window."""
    return {"BEDROT_BROWSER_HEADLESS": "1", **extra}

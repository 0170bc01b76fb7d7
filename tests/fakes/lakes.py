"""Test lakes: one for a service's extractor, pointed at that service's fake site, and one for
its cleaners, with files dropped into its landing zone and its curated files read back."""

from __future__ import annotations

import csv
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from common.lake import Lake
from common.sessions.store import PRIVATE
from common.testing import lake_with_services
from tests.steps_support import Runs, clean_in_process, clean_ok

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


def curated_rows(lake: Lake, name: str) -> list[dict[str, str]]:
    """The rows of a curated CSV, as text."""
    with (lake.zone("4_curated") / name).open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


@dataclass(frozen=True)
class ServiceLake:
    """A throwaway lake holding one service: its golden samples, the files a test drops into
    its landing zone, its cleaners run in this process and its quarantine read back."""

    service: str

    @property
    def fixtures(self) -> Path:
        return CHECKOUT.root / "tests" / "fixtures" / self.service

    def new_lake(self, root: Path, etl: bool = False) -> Lake:
        """A lake with the service (with `etl`, the warehouse ETL scripts too)."""
        return lake_with_services(root, CHECKOUT, [self.service], etl=etl)

    def landing(self, lake: Lake) -> Path:
        folder = lake.zone("1_landing") / self.service
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def drop(self, lake: Lake, fixture: Path, name: str) -> Path:
        """Land a copy of a golden sample under `name`."""
        target = self.landing(lake) / name
        shutil.copyfile(fixture, target)
        return target

    def drop_bytes(self, lake: Lake, name: str, content: bytes) -> Path:
        target = self.landing(lake) / name
        target.write_bytes(content)
        return target

    def drop_text(self, lake: Lake, name: str, text: str, encoding: str = "utf-8") -> Path:
        return self.drop_bytes(lake, name, text.encode(encoding))

    def drop_json(self, lake: Lake, name: str, payload: object) -> Path:
        return self.drop_text(lake, name, json.dumps(payload, indent=2))

    def run_steps(self, lake: Lake) -> Runs:
        """The three cleaner steps in this process, as the cleaner scripts run them."""
        return clean_in_process(lake, self.service)

    def run_ok(self, lake: Lake) -> Runs:
        """`run_steps`, every step finished (quarantined files count as finished)."""
        return clean_ok(lake, self.service)

    def quarantined(self, lake: Lake) -> dict[str, dict[str, object]]:
        """Reason files of 1_landing's quarantine, by the quarantined file's name."""
        folder = lake.zone("1_landing") / "_quarantine" / self.service
        return {
            path.name.removesuffix(".reason.json"): json.loads(path.read_text(encoding="utf-8"))
            for path in sorted(folder.glob("*.reason.json"))
        }

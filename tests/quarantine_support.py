"""What the services' quarantine tests share: a lake where good and bad files land together and
are cleaned twice, and the reason file a quarantined file gets."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from common.lake import Lake
from common.testing import run_cleaners

Runs = list[subprocess.CompletedProcess[str]]


@dataclass(frozen=True)
class MixedDrop:
    lake: Lake
    first: Runs
    second: Runs


def clean_twice(
    lake: Lake,
    service: str,
    files: Mapping[str, bytes],
    clean: Callable[[Lake], Runs] | None = None,
) -> MixedDrop:
    """Drop `files` into 1_landing/<service>/ and run the cleaners twice (the second: a no-op)."""
    landing = lake.zone("1_landing") / service
    landing.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (landing / name).write_bytes(content)
    run = clean or (lambda target: run_cleaners(target, service))
    first = run(lake)
    return MixedDrop(lake, first, run(lake))


def quarantine_reason(lake: Lake, service: str, name: str) -> dict[str, object]:
    path = lake.root / Path("1_landing") / "_quarantine" / service / f"{name}.reason.json"
    reason = json.loads(path.read_text("utf-8"))
    assert isinstance(reason, dict)
    return reason

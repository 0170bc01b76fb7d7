"""What a file dropped in 1_landing/metaads/ is: an API response (.json) or an export (.csv)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from common.quarantine import RejectedFile
from metaads import ads_manager, graph_api
from metaads.insights import InsightRow, validated
from metaads.settings import API_SUFFIXES, EXPORT_SUFFIXES


@dataclass(frozen=True)
class LandedFile:
    """The checked rows of a landed file and how to say where a row is in it."""

    rows: list[InsightRow]
    where: Callable[[int], str]


def _line(number: int) -> str:
    return f"line {number}"


def read_landed(path: Path) -> LandedFile:
    """The rows of a landed file, every one checked, or a rejection saying what is wrong."""
    suffix = path.suffix.lower()
    if suffix in API_SUFFIXES:
        response = graph_api.read_response(path)
        landed = LandedFile(response.rows, response.where)
    elif suffix in EXPORT_SUFFIXES:
        landed = LandedFile(ads_manager.read_export(path), _line)
    else:
        raise RejectedFile(
            f"{path.name} is neither a Graph API response (.json) nor an Ads Manager export "
            "(.csv); export the Ads Manager report as CSV.",
            rule="unknown-format",
        )
    validated(landed.rows, path.name, landed.where)
    return landed

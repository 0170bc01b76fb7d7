"""What a file dropped in 1_landing/instagram/ is: a Graph API pull (.json) or a Business Suite
export (.csv)."""

from __future__ import annotations

from pathlib import Path

from common.quarantine import RejectedFile
from instagram.api_document import read_api_file
from instagram.business_suite import read_export
from instagram.records import LandedFile
from instagram.settings import API_SUFFIXES, EXPORT_SUFFIXES


def read_landed(path: Path) -> LandedFile:
    """The records of a landed file, every value checked, or a rejection saying what is wrong."""
    suffix = path.suffix.lower()
    if suffix in API_SUFFIXES:
        return read_api_file(path)
    if suffix in EXPORT_SUFFIXES:
        return LandedFile(daily=read_export(path))
    raise RejectedFile(
        f"{path.name} is neither a Graph API pull (.json) nor a Meta Business Suite export "
        "(.csv); export the Instagram insights from Business Suite as CSV.",
        rule="unknown-format",
    )

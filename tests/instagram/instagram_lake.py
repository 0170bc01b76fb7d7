"""A throwaway lake holding the instagram service, files to drop in it, and zone readers."""

from __future__ import annotations

from common.lake import Lake
from tests.fakes.lakes import ServiceLake, curated_rows

SERVICE = "instagram"
LAKE = ServiceLake(SERVICE)
FIXTURES = LAKE.fixtures
API_SAMPLE = FIXTURES / "ig_user_insights_response.json"
EXPORT_SAMPLE = FIXTURES / "meta_business_suite_Views_utf16le.csv"
DAILY = "instagram_daily_curated.csv"
MEDIA = "instagram_media_curated.csv"
MEDIA_DAILY = "instagram_media_daily_curated.csv"

new_lake, landing, drop, drop_bytes = LAKE.new_lake, LAKE.landing, LAKE.drop, LAKE.drop_bytes
drop_json, run_steps, run_ok, quarantine_reasons = (
    LAKE.drop_json, LAKE.run_steps, LAKE.run_ok, LAKE.quarantined
)  # fmt: skip


def business_suite(title: str, rows: list[tuple[str, str]]) -> bytes:
    """A Business Suite export as Meta writes it: UTF-16LE with a BOM, sep=, and a title."""
    lines = ["sep=,", f'"{title}"', '"Date","Primary"'] + [f'"{d}","{v}"' for d, v in rows]
    return "\ufeff".encode("utf-16-le") + ("\n".join(lines) + "\n").encode("utf-16-le")


def by_day(lake: Lake, column: str) -> dict[str, str]:
    return {row["date"]: row[column] for row in curated_rows(lake, DAILY)}

"""A throwaway lake holding the tiktok service and the label's artists, and Studio-like exports."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import zipfile
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path

from common.lake import Lake
from common.testing import lake_with_services
from tests.lineage_support import with_source_paths
from tests.steps_support import clean_in_process
from tiktok.demo import studio_csv

SERVICE = "tiktok"
THIS_LAKE = Lake(Path(__file__).resolve().parents[2])
FIXTURES = THIS_LAKE.root / "tests" / "fixtures" / SERVICE
OVERVIEW_HEADER = ["Date", "Video Views", "Profile Views", "Likes", "Comments", "Shares"]
HISTORY_HEADER = ["Date", "Followers", "Difference in followers from previous day"]
FRENCH = {
    "December 30": "30 décembre",
    "December 31": "31 décembre",
    "January 1": "1 janvier",
    "January 2": "2 janvier",
}


def tiktok_lake(root: Path, etl: bool = False) -> Lake:
    """A lake with the tiktok service and the repository's config/artists.json (with `etl`, the
    warehouse ETL scripts too)."""
    lake = lake_with_services(root, THIS_LAKE, [SERVICE], etl=etl)
    shutil.copyfile(THIS_LAKE.config / "artists.json", lake.config / "artists.json")
    return lake


def epoch(moment: str) -> int:
    """Unix seconds of a UTC time written 'YYYY-MM-DDTHH:MM'."""
    return int(datetime.fromisoformat(moment).replace(tzinfo=timezone.utc).timestamp())


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def in_french(content: bytes) -> bytes:
    text = content.decode("utf-8-sig")
    for english, french in FRENCH.items():
        text = text.replace(f'"{english}"', f'"{french}"')
    return text.encode("utf-8-sig")


def export_csv(header: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    """A CSV as Studio writes it: UTF-8 BOM, LF, every field quoted."""
    return studio_csv(header, rows)


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2025, 1, 2, 12, 0, 0)), content)
    return buffer.getvalue()


def land(lake: Lake, name: str, content: bytes) -> Path:
    landed = lake.zone("1_landing") / SERVICE / name
    landed.write_bytes(content)
    return landed


def run_steps(lake: Lake) -> list[subprocess.CompletedProcess[str]]:
    """The three cleaner steps in this process, as the cleaner scripts run them."""
    return clean_in_process(lake, SERVICE)


def run(lake: Lake) -> list[subprocess.CompletedProcess[str]]:
    results = run_steps(lake)
    assert [r.returncode for r in results] == [0, 0, 0], [r.stderr for r in results]
    return results


def curated(lake: Lake, name: str) -> list[dict[str, str]]:
    path = lake.zone("4_curated") / name
    with path.open(encoding="utf-8", newline="") as stream:
        return with_source_paths(list(csv.DictReader(stream)), path)


def daily(lake: Lake, account: str | None = None) -> list[dict[str, str]]:
    rows = curated(lake, "tiktok_daily_curated.csv")
    return [row for row in rows if account is None or row["account"] == account]


def zone_files(lake: Lake) -> dict[str, bytes]:
    """Every file of every zone but landing, by lake-relative path (registries included)."""
    found = {}
    for zone in ("2_raw", "3_staging", "4_curated", "5_archive"):
        for path in sorted(lake.zone(zone).rglob("*")):
            if path.is_file():
                found[path.relative_to(lake.root).as_posix()] = path.read_bytes()
    return found

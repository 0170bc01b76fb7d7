"""The TikTok demo exports: byte-identical on every run, both accounts, and every day dated."""

from __future__ import annotations

import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest

from common.lake import Lake
from tests.tiktok.tiktok_lake import SERVICE, curated, daily, run, tiktok_lake
from tiktok.demo import write_tiktok

DEMO_NAMES = [
    "Followers_2025-03-01_1772359200_pig1987.zip",
    "Followers_2025-03-01_1772359200_zone.a0.zip",
    "Overview_2025-03-01_1772359200_pig1987.zip",
    "Overview_2025-03-01_1772359200_zone.a0.zip",
]


@pytest.fixture(scope="module")
def demo_lake(tmp_path_factory: pytest.TempPathFactory) -> Lake:
    lake = tiktok_lake(tmp_path_factory.mktemp("lake"))
    write_tiktok(lake.zone("1_landing") / SERVICE)
    run(lake)
    return lake


def _contents(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_the_demo_exports_are_byte_identical_on_every_run(tmp_path: Path) -> None:
    first = write_tiktok(tmp_path / "first")
    write_tiktok(tmp_path / "second")

    assert sorted(p.name for p in first) == DEMO_NAMES
    assert _contents(tmp_path / "first") == _contents(tmp_path / "second")


def test_one_account_is_in_english_and_the_other_in_french(tmp_path: Path) -> None:
    write_tiktok(tmp_path)

    def overview(account: str) -> str:
        with zipfile.ZipFile(tmp_path / f"Overview_2025-03-01_1772359200_{account}.zip") as zipped:
            return zipped.read("Overview.csv").decode("utf-8-sig")

    assert '"March 1"' in overview("zone.a0") and '"January 1"' in overview("zone.a0")
    assert '"1 mars"' in overview("pig1987") and '"1 janvier"' in overview("pig1987")


def test_every_demo_day_from_march_to_february_is_dated_for_both_accounts(
    demo_lake: Lake,
) -> None:
    window = [(date(2025, 3, 1) + timedelta(days=n)).isoformat() for n in range(365)]

    for account in ("zone.a0", "pig1987"):
        rows = daily(demo_lake, account)
        assert [r["date"] for r in rows] == window
        assert rows[0]["followers"] == "" and rows[1]["followers"] != ""


def test_the_demo_quirks_come_through(demo_lake: Lake) -> None:
    by_day = {(r["account"], r["date"]): r for r in daily(demo_lake)}

    assert by_day[("pig1987", "2025-09-14")]["comments"] == "-1"
    assert by_day[("zone.a0", "2025-06-01")]["video_views"] == "0"
    assert by_day[("zone.a0", "2025-06-01")]["engagement_rate"] == ""
    activity = curated(demo_lake, "tiktok_follower_activity_curated.csv")
    last_day = [r for r in activity if r["account"] == "zone.a0" and r["date"] == "2026-03-01"]
    assert [r["hour"] for r in last_day] == [str(hour) for hour in range(11)]

"""The Instagram demo files: the same bytes every time, curated without a quarantine, the
re-pull revising the days it shares with the first pull, and the export's days kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from common.lake import Lake
from instagram.demo import EXPORT, FIRST_PULL, REPULL, USERNAME, write_instagram
from tests.instagram.instagram_lake import (
    DAILY,
    MEDIA,
    MEDIA_DAILY,
    curated_rows,
    landing,
    new_lake,
    quarantine_reasons,
    run_ok,
)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Lake:
    lake = new_lake(tmp_path_factory.mktemp("demo") / "lake")
    write_instagram(landing(lake))
    run_ok(lake)
    return lake


def _totals(lake: Lake, name: str, metric: str) -> dict[str, int]:
    document = json.loads((landing(lake) / name).read_text(encoding="utf-8"))
    return {
        answer["day"]: item["total_value"]["value"]
        for answer in document["totals"]
        for item in answer["data"]
        if item["name"] == metric
    }


def test_the_files_are_the_same_bytes_on_every_run(tmp_path: Path) -> None:
    first = write_instagram(tmp_path / "one")
    second = write_instagram(tmp_path / "two")

    assert [p.name for p in first] == [FIRST_PULL[0], REPULL[0], EXPORT]
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def test_every_demo_file_is_curated_and_none_quarantined(demo: Lake) -> None:
    assert quarantine_reasons(demo) == {}
    days = [row["date"] for row in curated_rows(demo, DAILY)]
    assert days[0] == "2025-03-01" and days[-1] == "2025-05-08"
    assert len(curated_rows(demo, MEDIA)) == 4
    assert len(curated_rows(demo, MEDIA_DAILY)) == 3 + 4  # three posts first, four a week later


def test_the_export_and_the_pulls_are_one_account(demo: Lake) -> None:
    # The Business Suite export names no account; the demo's pulls name zone.a0.
    march = [row for row in curated_rows(demo, DAILY) if row["date"].startswith("2025-03")]
    assert march and all(row["views"] for row in march)
    assert {row["account"] for row in curated_rows(demo, DAILY)} == {USERNAME}


def test_the_repull_revises_the_days_the_first_pull_had(demo: Lake) -> None:
    first = _totals(demo, FIRST_PULL[0], "views")
    repull = _totals(demo, REPULL[0], "views")
    overlap = sorted(set(first) & set(repull))
    curated = {row["date"]: int(row["views"]) for row in curated_rows(demo, DAILY) if row["views"]}

    assert overlap and any(first[day] != repull[day] for day in overlap)
    assert all(curated[day] == repull[day] for day in overlap)
    assert all(curated[day] == first[day] for day in set(first) - set(repull))


def test_media_keep_their_newest_metrics(demo: Lake) -> None:
    media = {row["media_id"]: row for row in curated_rows(demo, MEDIA)}
    snapshots = [r for r in curated_rows(demo, MEDIA_DAILY) if r["media_id"] == "18000000000000101"]

    assert [r["date"] for r in snapshots] == ["2025-05-01", "2025-05-08"]
    assert media["18000000000000101"]["reach"] == snapshots[-1]["reach"]
    assert int(snapshots[-1]["reach"]) > int(snapshots[0]["reach"])

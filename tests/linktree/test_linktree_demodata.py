"""The Linktree demo captures: byte-identical on every run, and revised the way real ones are."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from common.lake import Lake
from linktree.demo import write_linktree
from tests.linktree.linktree_lake import (
    LINKS,
    REFERRERS,
    curated_rows,
    daily,
    landing,
    new_lake,
    run,
)

FIRST = "graphql_analytics_20260102_183000.json"
SECOND = "graphql_analytics_20260103_091500.json"


@pytest.fixture(scope="module")
def demo_files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_linktree(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="module")
def demo_lake(
    tmp_path_factory: pytest.TempPathFactory, demo_files: list[Path]
) -> tuple[Lake, dict[str, tuple[str, str, str]]]:
    """The demo's two captures landed one after the other; the daily overview after the first."""
    lake = new_lake(tmp_path_factory.mktemp("demo_lake") / "lake")
    shutil.copyfile(demo_files[0], landing(lake) / FIRST)
    run(lake)
    after_first = daily(lake)
    shutil.copyfile(demo_files[1], landing(lake) / SECOND)
    run(lake)
    return lake, after_first


def test_the_generator_writes_the_same_bytes_every_time(
    tmp_path: Path, demo_files: list[Path]
) -> None:
    again = write_linktree(tmp_path / "again")

    assert [p.name for p in again] == [FIRST, SECOND]
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in demo_files]


def test_each_capture_ends_on_its_own_day_in_early_2026(demo_files: list[Path]) -> None:
    last_days = []
    for path in demo_files:
        records = json.loads(path.read_text(encoding="utf-8"))
        (analytics,) = [r for r in records if r["operationName"] == "getAccountAnalytics"]
        timeseries = analytics["response"]["data"]["getAccountAnalytics"]["overview"]["timeseries"]
        last_days.append((timeseries[0]["date"], timeseries[-1]["date"], len(timeseries)))

    assert last_days == [("2025-01-03", "2026-01-02", 365), ("2025-01-04", "2026-01-03", 365)]


def test_the_first_captures_last_day_is_partial(
    demo_lake: tuple[Lake, dict[str, tuple[str, str, str]]],
) -> None:
    _, after_first = demo_lake

    assert [day for day, (*_, partial) in after_first.items() if partial == "true"] == [
        "2026-01-02"
    ]


def test_the_second_capture_completes_that_day_and_revises_a_late_counted_one(
    demo_lake: tuple[Lake, dict[str, tuple[str, str, str]]],
) -> None:
    lake, after_first = demo_lake
    after_second = daily(lake)

    revised = sorted(day for day in after_first if after_first[day] != after_second[day])
    assert revised == ["2025-12-31", "2026-01-02"]
    assert int(after_second["2026-01-02"][0]) > int(after_first["2026-01-02"][0])
    assert after_second["2026-01-02"][2] == "false"
    assert after_second["2026-01-03"][2] == "true"
    assert len(after_second) == 366 and min(after_second) == "2025-01-03"


def test_the_demo_links_are_titled_and_the_deleted_one_keeps_its_id(
    demo_lake: tuple[Lake, dict[str, tuple[str, str, str]]],
) -> None:
    lake, _ = demo_lake
    titles = {r["link_id"]: r["title"] for r in curated_rows(lake, LINKS)}

    assert titles["400000105"] == "ZONE A0 – CAFÉ NOIR (out now)"
    assert titles["400000099"] == "400000099"
    assert {r["captured_on"] for r in curated_rows(lake, LINKS)} == {"2026-01-02", "2026-01-03"}


def test_every_demo_ctr_is_a_fraction(
    demo_lake: tuple[Lake, dict[str, tuple[str, str, str]]],
) -> None:
    lake, _ = demo_lake
    ctrs = [float(r["ctr"]) for r in curated_rows(lake, REFERRERS)]
    ctrs += [float(r["ctr"]) for r in curated_rows(lake, "linktree_analytics_curated.csv")]

    assert ctrs and all(0 <= ctr <= 1 for ctr in ctrs)

"""The Meta Ads demo files: the same bytes every time, and a story the cleaners tell correctly."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from common.lake import Lake
from metaads.demo import write_metaads
from tests.metaads.metaads_lake import (
    ACTIONS,
    DAILY,
    SUMMARY,
    curated_rows,
    landing,
    money,
    new_lake,
    run_ok,
)

FIRST_PULL = "metaads_insights_20250501_080000.json"
REPULL = "metaads_insights_20250510_080000.json"
LIFETIME = "metaads_campaign_lifetime_20250510_080500.json"
EXPORT = "BEDROT-ADS-Jun-2025_20250606_091500.csv"
PIG1987 = "PIG1987 - NIGHT SHIFT - BROAD"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Lake:
    lake = new_lake(tmp_path_factory.mktemp("demo") / "lake")
    write_metaads(landing(lake))
    run_ok(lake)
    return lake


def _data(path: Path) -> list[dict[str, Any]]:
    payload = json.loads(path.read_text(encoding="utf-8"))
    pages = payload if isinstance(payload, list) else [payload]
    return [row for page in pages for row in page["data"]]


def test_the_files_are_the_same_bytes_on_every_run(tmp_path: Path) -> None:
    first = write_metaads(tmp_path / "one")
    second = write_metaads(tmp_path / "two")

    assert [p.name for p in first] == [FIRST_PULL, REPULL, LIFETIME, EXPORT]
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def test_every_date_is_in_the_2025_demo_year(tmp_path: Path) -> None:
    for path in write_metaads(tmp_path):
        years = set(re.findall(r"\b(20\d\d)-\d\d-\d\d\b", path.read_text(encoding="utf-8")))
        assert years == {"2025"}, path.name


def test_each_pull_is_saved_as_two_pages(tmp_path: Path) -> None:
    write_metaads(tmp_path)

    for name in (FIRST_PULL, REPULL):
        pages = json.loads((tmp_path / name).read_text(encoding="utf-8"))
        assert len(pages) == 2 and "next" in pages[0]["paging"] and "next" not in pages[1]["paging"]
        assert all(isinstance(v, str) for row in pages[0]["data"] for k, v in row.items()
                   if k != "actions")  # fmt: skip


def test_the_repull_revises_days_the_first_pull_had(demo: Lake) -> None:
    first = {(r["adset_id"], r["date_start"]): r for r in _data(landing(demo) / FIRST_PULL)}
    repull = {(r["adset_id"], r["date_start"]): r for r in _data(landing(demo) / REPULL)}
    overlap = sorted(set(first) & set(repull))
    daily = {(r["adset_id"], r["date"]): r for r in curated_rows(demo, DAILY)}

    assert overlap and any(first[key]["spend"] != repull[key]["spend"] for key in overlap)
    assert all(daily[key]["spend"] == repull[key]["spend"] for key in overlap)
    assert all(daily[key]["spend"] == first[key]["spend"] for key in set(first) - set(repull))
    assert len(daily) == len(set(first) | set(repull)) + 14


def test_the_summary_reach_is_the_lifetime_reach_not_the_sum_of_days(demo: Lake) -> None:
    lifetime = {r["campaign_name"]: r for r in _data(landing(demo) / LIFETIME)}
    summary = {r["campaign"]: r for r in curated_rows(demo, SUMMARY)}
    days = [r for r in curated_rows(demo, DAILY) if r["campaign"] == PIG1987]

    assert summary[PIG1987]["reach"] == lifetime[PIG1987]["reach"]
    assert sum(int(r["reach"]) for r in days) > int(str(lifetime[PIG1987]["reach"]))
    assert summary[PIG1987]["spend"] == lifetime[PIG1987]["spend"]
    assert money(days) == Decimal(summary[PIG1987]["spend"])


def test_every_campaign_is_summarised_with_its_parsed_name(demo: Lake) -> None:
    summary = curated_rows(demo, SUMMARY)

    assert [(r["artist"], r["track"], r["targeting"], r["currency"]) for r in summary] == [
        ("PIG1987", "NIGHT SHIFT", "BROAD", "USD"),
        ("ZONE A0", "PARALLAX", "TECHNO SPOTIFY", "USD"),
        ("IWARY", "SOFT MACHINES", "BROAD", "USD"),
    ]
    assert [r["reach"] == "" for r in summary] == [False, False, True]


def test_days_without_actions_have_no_action_rows(demo: Lake) -> None:
    quiet = {r["date"] for r in curated_rows(demo, DAILY) if r["link_clicks"] == "0"}
    action_days = {r["date"] for r in curated_rows(demo, ACTIONS)}

    assert quiet == {"2025-04-13", "2025-04-27", "2025-05-04"}
    assert not quiet & action_days

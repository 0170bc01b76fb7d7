"""The Mailchimp demo files: the same bytes every time, and a story the cleaners tell correctly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from common.declarations import load_declaration
from common.lake import Lake
from mailchimp.demo import FIRST_PULL, SECOND_PULL, write_mailchimp
from tests.mailchimp.mailchimp_lake import (
    AUDIENCE,
    CAMPAIGNS,
    GROWTH,
    clean,
    curated_rows,
    landing,
    new_lake,
)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Lake:
    lake = new_lake(tmp_path_factory.mktemp("demo") / "lake")
    write_mailchimp(landing(lake))
    clean(lake)
    return lake


def _reports(lake: Lake, name: str) -> dict[str, dict[str, object]]:
    document = json.loads((landing(lake) / name).read_text(encoding="utf-8"))
    return {r["id"]: r for r in document["reports"]}


def test_the_demo_is_declared_and_writes_the_same_bytes_every_time(tmp_path: Path) -> None:
    writer = load_declaration("mailchimp").demo()
    first = write_mailchimp(tmp_path / "one")

    again = write_mailchimp(tmp_path / "two")

    assert [p.name for p in first] == [FIRST_PULL, SECOND_PULL]
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in again]
    assert writer is write_mailchimp


def test_the_second_pull_revises_the_campaigns_it_asked_for_again(demo: Lake) -> None:
    first, second = _reports(demo, FIRST_PULL), _reports(demo, SECOND_PULL)
    curated = {r["campaign_id"]: r for r in curated_rows(demo, CAMPAIGNS)}
    both = sorted(set(first) & set(second))

    assert len(curated) == len(set(first) | set(second)) == 6
    assert any(first[c]["opens"] != second[c]["opens"] for c in both)
    for campaign in both:
        opens = second[campaign]["opens"]
        assert isinstance(opens, dict)
        assert int(curated[campaign]["unique_opens"]) == opens["unique_opens"]


def test_growth_has_every_month_and_the_audience_one_snapshot_per_pull(demo: Lake) -> None:
    months = [r["month"] for r in curated_rows(demo, GROWTH)]
    sizes = [(r["snapshot_date"], r["member_count"]) for r in curated_rows(demo, AUDIENCE)]

    assert months == [f"2025-0{m}" for m in range(1, 7)]
    assert sizes == [("2025-04-15", "1390"), ("2025-06-15", "1510")]

"""A throwaway lake holding the linktree service, GraphQL capture builders and zone readers."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
from pathlib import Path

from common.lake import Lake
from common.testing import lake_with_services
from tests.lineage_support import with_source_paths
from tests.steps_support import clean_in_process

SERVICE = "linktree"
REPO = Lake(Path(__file__).resolve().parents[2])
FIXTURES = REPO.root / "tests" / "fixtures" / SERVICE
OVERVIEW_SAMPLE = FIXTURES / "graphql_getAccountAnalytics_overview.json"
LINKS_SOCIALS_SAMPLE = FIXTURES / "graphql_getAccountAnalytics_links_socials.json"
LIFETIME_LOCATIONS_SAMPLE = FIXTURES / "graphql_getAccountAnalytics_lifetime_locations.json"
ANALYTICS = "linktree_analytics_curated.csv"
LINKS = "linktree_links_curated.csv"
SOCIALS = "linktree_socials_curated.csv"
REFERRERS = "linktree_referrers_curated.csv"
LOCATIONS = "linktree_locations_curated.csv"
CURATED = (ANALYTICS, LINKS, SOCIALS, REFERRERS, LOCATIONS)
LOGIN_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>Log in | Linktree</title></head>\n"
    b'<body><form action="/login"><input name="email"></form></body></html>\n'
)

Day = tuple[int, int]  # (total views, total clicks)


def new_lake(root: Path, etl: bool = False) -> Lake:
    """A lake with the service (with `etl`, the warehouse ETL scripts too)."""
    return lake_with_services(root, REPO, [SERVICE], etl=etl)


def landing(lake: Lake) -> Path:
    return lake.zone("1_landing") / SERVICE


def drop(lake: Lake, name: str, content: object) -> Path:
    """Land `content` (bytes as they are, anything else as JSON) under `name`."""
    target = landing(lake) / name
    data = content if isinstance(content, bytes) else json.dumps(content).encode("utf-8")
    target.write_bytes(data)
    return target


def drop_fixture(lake: Lake, fixture: Path, name: str) -> Path:
    target = landing(lake) / name
    shutil.copyfile(fixture, target)
    return target


def run_steps(lake: Lake) -> list[subprocess.CompletedProcess[str]]:
    """The three cleaner steps in this process, as the cleaner scripts run them."""
    return clean_in_process(lake, SERVICE)


def run(lake: Lake) -> list[subprocess.CompletedProcess[str]]:
    results = run_steps(lake)
    assert [r.returncode for r in results] == [0, 0, 0], [r.stderr for r in results]
    return results


def activity(day: str, views: int, clicks: int, **extra: object) -> dict[str, object]:
    """One day of the overview timeseries as Linktree sends it."""
    return {
        "totalViews": views,
        "totalClicks": clicks,
        "uniqueViews": views * 4 // 5,
        "uniqueClicks": clicks * 4 // 5,
        "clickThroughRate": round(clicks / views, 4) if views else 0,
        "date": day,
        "__typename": "AccountActivity",
        **extra,
    }


def analytics(**sections: object) -> dict[str, object]:
    """A GraphQL response body answering getAccountAnalytics with `sections`."""
    return {"data": {"getAccountAnalytics": {**sections, "__typename": "AccountAnalytics"}}}


def overview(days: dict[str, Day]) -> dict[str, object]:
    timeseries = [activity(day, views, clicks) for day, (views, clicks) in days.items()]
    return analytics(overview={"timeseries": timeseries, "__typename": "AccountOverview"})


def breakdown(name: str, views: int, clicks: int) -> dict[str, object]:
    return {
        "name": name,
        "views": {"total": views},
        "clicks": {"total": clicks},
        "clickThroughRate": round(clicks / views, 4),
    }


def referrers(counts: dict[str, Day]) -> dict[str, object]:
    entries = [breakdown(name, views, clicks) for name, (views, clicks) in counts.items()]
    return analytics(referrers={"referrers": entries})


def link_titles(titles: dict[int, str | None]) -> dict[str, object]:
    """The link-titles query: one alias `link<ID>` per link; a deleted link answers null."""
    return {
        "data": {
            f"link{link_id}": None if title is None else {"id": str(link_id), "title": title}
            for link_id, title in titles.items()
        }
    }


def links(clicks: dict[int, int]) -> dict[str, object]:
    return analytics(
        links=[
            {"id": link_id, "clicks": {"total": n}, "breakdown": None}
            for link_id, n in clicks.items()
        ]
    )


def record(operation: str, response: object, variables: object = None) -> dict[str, object]:
    """One captured operation, as the extractor records it."""
    return {
        "operationName": operation,
        "query": "query { … }",
        "variables": variables,
        "response": response,
    }


CURRENT_USER = record("currentUser", {"data": {"currentUser": {"id": "1", "username": "bedrot"}}})
WALLET = record("getWallet", {"data": {"getWallet": {"balance": {"amount": 0}}}})


def curated_rows(lake: Lake, name: str) -> list[dict[str, str]]:
    path = lake.zone("4_curated") / name
    with path.open(encoding="utf-8", newline="") as stream:
        return with_source_paths(list(csv.DictReader(stream)), path)


def daily(lake: Lake) -> dict[str, tuple[str, str, str]]:
    """date → (total_views, total_clicks, is_partial_day) of the curated daily overview."""
    return {
        row["date"]: (row["total_views"], row["total_clicks"], row["is_partial_day"])
        for row in curated_rows(lake, ANALYTICS)
    }


def curated_bytes(lake: Lake) -> dict[str, bytes]:
    return {name: (lake.zone("4_curated") / name).read_bytes() for name in CURATED}


def raw_lines(lake: Lake) -> list[dict[str, object]]:
    lines = []
    for path in sorted((lake.zone("2_raw") / SERVICE).glob("*.ndjson")):
        lines += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return lines

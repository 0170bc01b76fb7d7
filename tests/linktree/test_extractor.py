"""The Linktree extractor in real headless Chromium against a local fake of the linktr.ee admin."""

from __future__ import annotations

import csv
import json
import subprocess
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest

from common.lake import Lake
from common.testing import run_cleaners, run_in_lake
from tests.fakes.lakes import extractor_env, extractor_lake, save_login
from tests.fakes.linktree import LINK_ID, LINK_TITLE, LinktreeSite, day_counts, linktree_site

SERVICE = "linktree"
EXTRACTOR = Path("src/linktree/extractors/linktree_analytics_extractor.py")
KEPT = (
    "AccountAnalyticsLifetimeLocations",
    "AccountAnalyticsLinksSocials",
    "AccountAnalyticsOverview",
    "LinkTitles",
)
pytestmark = pytest.mark.skipif(
    not Path("/usr/bin/chromium").is_file(), reason="Debian's chromium is not installed"
)


@dataclass
class AdminRun:
    lake: Lake
    site: LinktreeSite
    done: subprocess.CompletedProcess[str]

    def landed(self) -> dict[str, dict[str, object]]:
        """Operation name → landed capture record."""
        folder = self.lake.zone("1_landing") / SERVICE
        return {
            path.name.split("_")[2]: json.loads(path.read_text(encoding="utf-8"))
            for path in sorted(folder.iterdir())
        }

    def curated(self, name: str) -> list[dict[str, str]]:
        with (self.lake.zone("4_curated") / name).open(encoding="utf-8", newline="") as stream:
            return list(csv.DictReader(stream))


@pytest.fixture(scope="module")
def admin_run(tmp_path_factory: pytest.TempPathFactory) -> AdminRun:
    with linktree_site().running() as site:
        root = tmp_path_factory.mktemp("linktree") / "lake"
        lake = extractor_lake(root, [SERVICE], {SERVICE: site.base_url})
        save_login(lake, SERVICE, site.storage_state())
        done = run_in_lake(lake, [str(EXTRACTOR)], env=extractor_env())
    return AdminRun(lake, site, done)


def test_saved_session_lands_the_configured_operations_the_cleaners_accept(
    admin_run: AdminRun,
) -> None:
    assert admin_run.done.returncode == 0, admin_run.done.stdout + admin_run.done.stderr
    assert tuple(admin_run.landed()) == KEPT
    results = run_cleaners(admin_run.lake, SERVICE)
    assert [r.returncode for r in results] == [0, 0, 0], [r.stderr for r in results]
    assert not (admin_run.lake.zone("1_landing") / "_quarantine").exists()
    daily = admin_run.curated("linktree_analytics_curated.csv")
    first = date.today() - timedelta(days=364)
    assert len(daily) == 365 and daily[0]["date"] == first.isoformat()
    assert (daily[0]["total_views"], daily[0]["total_clicks"]) == tuple(map(str, day_counts(first)))
    assert daily[-1]["is_partial_day"] == "true" and daily[-2]["is_partial_day"] == "false"
    links = admin_run.curated("linktree_links_curated.csv")
    assert [(r["link_id"], r["title"], r["clicks"]) for r in links] == [
        (str(LINK_ID), LINK_TITLE, "18")
    ]


def test_current_user_is_asked_by_the_page_but_never_landed(admin_run: AdminRun) -> None:
    assert "currentUser" in [name for name, _ in admin_run.site.asked()]
    landed = admin_run.lake.zone("1_landing") / SERVICE
    assert all("currentUser" not in p.read_text(encoding="utf-8") for p in landed.iterdir())


def test_the_365_day_daily_overview_lands_not_the_first_7_day_one(admin_run: AdminRun) -> None:
    overviews = [v for name, v in admin_run.site.asked() if name == "AccountAnalyticsOverview"]
    assert overviews[0] == {"range": {"days": 7}, "granularity": "DAILY"}
    record = admin_run.landed()["AccountAnalyticsOverview"]
    assert record["variables"] == {"range": {"days": 365}, "granularity": "DAILY"}
    answer = record["response"]
    assert isinstance(answer, dict)
    days = [p["date"] for p in answer["data"]["getAccountAnalytics"]["overview"]["timeseries"]]
    assert days == [(date.today() - timedelta(days=n)).isoformat() for n in range(364, -1, -1)]


def test_a_session_the_site_turns_away_is_skipped_and_marked(tmp_path: Path) -> None:
    with linktree_site().running() as site:
        lake = extractor_lake(tmp_path / "lake", [SERVICE], {SERVICE: site.base_url})
        save_login(lake, SERVICE, site.storage_state(token="fake-session-signed-out"))
        done = run_in_lake(lake, [str(EXTRACTOR), "--automated"], env=extractor_env())
    assert done.returncode == 0, done.stdout + done.stderr
    log = (lake.logs / "pipeline_executor.log").read_text(encoding="utf-8")
    assert "WARNING" in log and "linktree: skipped linktree" in log
    assert list((lake.zone("1_landing") / SERVICE).iterdir()) == []
    assert (lake.src / SERVICE / "cookies" / "linktree.expired").is_file()
    assert site.asked() == []

"""The TooLost extractor in real headless Chromium against a local fake of the portal."""

from __future__ import annotations

import csv
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from common.lake import Lake
from common.testing import run_cleaners, run_in_lake
from tests.fakes.lakes import extractor_env, extractor_lake, save_login
from tests.fakes.toolost import ToolostSite, sales_report, toolost_site

SERVICE = "toolost"
EXTRACTOR = Path("src/toolost/extractors/toolost_scraper.py")
SPOTIFY_PATH = "/api/portal/analytics/spotify"
EARLIER_REPORT = "toolost_sales_report_2024-12_20250105_080000.csv"
pytestmark = pytest.mark.skipif(
    not Path("/usr/bin/chromium").is_file(), reason="Debian's chromium is not installed"
)


@dataclass
class PortalRun:
    lake: Lake
    site: ToolostSite
    done: subprocess.CompletedProcess[str]

    def landed(self) -> list[str]:
        return sorted(p.name for p in (self.lake.zone("1_landing") / SERVICE).iterdir())


@pytest.fixture(scope="module")
def portal_run(tmp_path_factory: pytest.TempPathFactory) -> PortalRun:
    """A valid saved JWT; December's sales report was landed by an earlier run."""
    with toolost_site(sales_months=("01-2025", "12-2024")).running() as site:
        lake = extractor_lake(
            tmp_path_factory.mktemp("toolost") / "lake", [SERVICE], {SERVICE: site.base_url}
        )
        (lake.zone("1_landing") / SERVICE / EARLIER_REPORT).write_bytes(sales_report("12-2024"))
        save_login(lake, SERVICE, site.jwt_state(site.jwt()))
        done = run_in_lake(lake, [str(EXTRACTOR)], env=extractor_env())
    return PortalRun(lake, site, done)


def test_saved_jwt_lands_both_analytics_that_reach_tidy_daily_streams(
    portal_run: PortalRun,
) -> None:
    assert portal_run.done.returncode == 0, portal_run.done.stdout + portal_run.done.stderr
    analytics = [n.rsplit("_", 2)[0] for n in portal_run.landed() if n.endswith(".json")]
    assert analytics == ["toolost_apple_analytics", "toolost_spotify_analytics"]
    results = run_cleaners(portal_run.lake, SERVICE)
    assert [r.returncode for r in results] == [0, 0, 0], [r.stderr for r in results]
    curated = portal_run.lake.zone("4_curated") / "tidy_daily_streams.csv"
    with curated.open(encoding="utf-8", newline="") as stream:
        rows = [
            (r["date"], r["spotify_streams"], r["apple_streams"]) for r in csv.DictReader(stream)
        ]
    assert rows == [("2025-01-01", "61", "5"), ("2025-01-02", "47", "3"), ("2025-01-03", "58", "")]
    # The sales report's format is unknown: the cleaners keep it aside, with the reason.
    quarantine = portal_run.lake.zone("1_landing") / "_quarantine" / SERVICE
    reasons = [p.read_text(encoding="utf-8") for p in quarantine.glob("*.reason.json")]
    assert len(reasons) == 2 and all("monthly sales report" in r for r in reasons)


def test_only_the_sales_month_not_landed_before_is_downloaded(portal_run: PortalRun) -> None:
    reports = [n for n in portal_run.landed() if n.startswith("toolost_sales_report_")]
    assert len(reports) == 2 and reports[0] == EARLIER_REPORT
    assert reports[1].startswith("toolost_sales_report_2025-01_") and reports[1].endswith(".csv")
    new_report = portal_run.lake.zone("1_landing") / SERVICE / reports[1]
    assert new_report.read_bytes() == sales_report("01-2025")
    downloads = portal_run.site.attachment_requests()
    assert [r.query["month"] for r in downloads] == [["01-2025"]]


def _refused_run(lake: Lake) -> subprocess.CompletedProcess[str]:
    return run_in_lake(lake, [str(EXTRACTOR), "--automated"], env=extractor_env())


@pytest.mark.parametrize("known, days", [(True, -1), (False, 6)], ids=["expired", "revoked"])
def test_a_refused_jwt_is_skipped_with_a_warning_and_never_asked_again(
    tmp_path: Path, known: bool, days: float
) -> None:
    with toolost_site().running() as site:
        lake = extractor_lake(tmp_path / "lake", [SERVICE], {SERVICE: site.base_url})
        save_login(lake, SERVICE, site.jwt_state(site.jwt(days=days, known=known)))
        first = _refused_run(lake)
        seen_first = list(site.api_requests())
        second = _refused_run(lake)
        seen_second = site.api_requests()[len(seen_first) :]

    assert (first.returncode, second.returncode) == (0, 0), first.stderr + second.stderr
    log = (lake.logs / "pipeline_executor.log").read_text(encoding="utf-8")
    assert "WARNING" in log and "toolost: skipped toolost" in log
    assert list((lake.zone("1_landing") / SERVICE).iterdir()) == []
    # The status check catches a JWT past its `exp` before any request; a revoked one costs
    # exactly one refused request, after which the login is marked expired.
    assert [r.path for r in seen_first] == ([] if days < 0 else [SPOTIFY_PATH])
    assert seen_second == []
    if not known:
        mark = lake.src / SERVICE / "cookies" / "toolost.expired"
        assert "the API answered 401" in mark.read_text(encoding="utf-8")

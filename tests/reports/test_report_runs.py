"""Step 6 inside `bedrot run`: an unchanged report is left alone, a changed one is archived first
(and built in the script host the ETL used, the runner importing none of polars, SQLAlchemy or
pygal), a report failure fails the run without stopping it, and `bedrot --help` does not load
pygal."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime

import pytest

from common.lake import Lake
from common.reports.build import reports_folder
from common.reports.figures import CHARTS
from common.reports.settings import REPORT_NAME
from linktree.demo import capture, full_days
from tests.conftest import RunBedrot, bedrot_env, heavy_imports_probe
from tests.reports.conftest import run_bedrot

NEXT_MORNING_CAPTURE = datetime(2026, 1, 4, 9, 0)


def drop_next_capture(lake: Lake) -> None:
    landing = lake.zone("1_landing") / "linktree"
    stamp = NEXT_MORNING_CAPTURE.strftime("%Y%m%d_%H%M%S")
    (landing / f"graphql_analytics_{stamp}.json").write_text(
        json.dumps(capture(NEXT_MORNING_CAPTURE, full_days())), encoding="utf-8"
    )


def archived_reports(lake: Lake) -> list[str]:
    folder = lake.zone("5_archive") / "4_curated" / "reports"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


@pytest.mark.slow
def test_a_second_run_archives_the_report_only_when_its_content_changed(
    report_lake: Lake,
) -> None:
    page = reports_folder(report_lake) / REPORT_NAME
    first_version = page.read_bytes()

    unchanged = run_bedrot(report_lake, "run", "--automated", "--no-extract")

    assert unchanged.returncode == 0, unchanged.stdout + unchanged.stderr
    assert "Report 4_curated/reports/bedrot_report.html unchanged" in unchanged.stdout
    assert page.read_bytes() == first_version
    assert archived_reports(report_lake) == []

    drop_next_capture(report_lake)
    changed = subprocess.run(  # `bedrot run --automated --no-extract`, telling what it imported
        heavy_imports_probe("run", "--automated", "--no-extract"),
        cwd=report_lake.root,
        env=bedrot_env(report_lake.root),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert changed.returncode == 0, changed.stdout + changed.stderr
    assert "Report 4_curated/reports/bedrot_report.html written" in changed.stdout
    assert "Warehouse upkeep: statistics refreshed after the load" in changed.stdout
    # The runner imported none of what drawing and the warehouse need: the report and the
    # upkeep ran in the script host that had just loaded the warehouse.
    assert "HEAVY []" in changed.stdout
    archived = archived_reports(report_lake)
    assert [n for n in archived if n.startswith("bedrot_report_archived_")] != []
    assert [n for n in archived if n.startswith("linktree_clicks_archived_")] != []
    assert not [n for n in archived if n.startswith("daily_streams_by_platform")]
    previous = next(
        report_lake.zone("5_archive").rglob("bedrot_report_archived_*.html")
    ).read_bytes()
    assert previous == first_version
    assert page.read_bytes() != first_version


def test_a_report_failure_fails_the_run_but_retention_still_runs(
    lake: Lake, bedrot: RunBedrot
) -> None:
    (lake.zone("4_curated") / "tidy_daily_streams.csv").write_text(
        "date,streams\n2026-01-01,4\n", encoding="utf-8"
    )

    result = bedrot("run", "--automated")

    assert result.returncode == 1
    assert (
        "[ERROR] Report 4_curated/reports/bedrot_report.html written (0 chart(s) drawn, "
        f"{len(CHARTS) - 1} with no data yet, 1 unreadable (daily_streams_by_platform))."
    ) in result.stdout
    assert "lacks the column(s) spotify_streams, apple_streams" in result.stdout
    assert "Retention: moved 0 log file(s)" in result.stdout
    assert "Run finished" in result.stdout


def test_help_stays_fast_without_pygal() -> None:
    probe = (
        "import sys; import common.cli, common.pipeline.run; "
        "print(sorted(m for m in ('pygal', 'sqlalchemy', 'polars') if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout

    assert loaded.strip() == "[]"

"""Steps 3 and 5 run real scripts, services run side by side, and an auth skip is not a failure."""

from __future__ import annotations

import io

import pytest

from common.lake import Lake
from common.ledger import read_records
from common.pipeline.display import PlainDisplay
from common.pipeline.hooks import HookOutcome, StepHooks
from common.pipeline.run import PipelineRun, RunOptions, run_pipeline
from common.settings import PipelineSettings
from tests.conftest import RunBedrot

EXTRACTOR = """from datetime import datetime
from common.script import run_script
from common.zones import LANDING, atomic_write_text, service_zone, timestamped_name

def main(ctx):
    name = timestamped_name("fetched", "daily", "csv", datetime(2026, 11, 2, 6, 0, 0))
    target = service_zone(ctx.lake, LANDING, "fetched") / name
    atomic_write_text(target, "date,plays\\n2026-11-01,9\\n")

raise SystemExit(run_script("fetched", main))
"""
STAMPED_SLEEP = """import os, sys, time
from pathlib import Path
folder = Path(os.environ["PROJECT_ROOT"], "stamps")
folder.mkdir(exist_ok=True)
start = time.time()
time.sleep(1.0)
(folder / Path(sys.argv[0]).name).write_text(f"{start} {time.time()}")
"""
ETL = """import os
from pathlib import Path
Path(os.environ["PROJECT_ROOT"], "etl_ran").write_text("yes")
"""
COUNTING_ETL = """import os
from pathlib import Path
root = Path(os.environ["PROJECT_ROOT"])
with (root / "etl_runs.txt").open("a") as out:
    out.write("ran\\n")
warehouse = root / "data_warehouse" / "bedrot_analytics.db"
warehouse.parent.mkdir(exist_ok=True)
if not warehouse.exists():
    warehouse.write_bytes(b"")
"""


def test_extractors_land_files_that_the_cleaners_of_the_same_run_carry_to_curated(
    lake: Lake, bedrot: RunBedrot
) -> None:
    bedrot("new-service", "fetched")
    (lake.src / "fetched" / "extractors" / "fetch_daily.py").write_text(EXTRACTOR)

    result = bedrot("run", "--automated")

    assert result.returncode == 0, result.stdout
    assert "[OK] fetch_daily.py exited 0" in result.stdout
    curated = lake.zone("4_curated") / "fetched" / "fetched_daily.csv"
    assert curated.read_text() == "date,plays\n2026-11-01,9\n"


def test_no_extract_leaves_the_extractors_alone(lake: Lake, bedrot: RunBedrot) -> None:
    bedrot("new-service", "fetched")
    (lake.src / "fetched" / "extractors" / "fetch_daily.py").write_text(EXTRACTOR)

    result = bedrot("run", "--automated", "--no-extract")

    assert "extractors are off for this run" in result.stdout
    assert list((lake.zone("1_landing") / "fetched").iterdir()) == []


def _intervals(lake: Lake) -> list[tuple[float, float]]:
    stamps = sorted((lake.root / "stamps").iterdir())
    pairs = [tuple(float(x) for x in p.read_text().split()) for p in stamps]
    return [(a, b) for a, b in pairs]


@pytest.mark.parametrize("workers,overlap", [("2", True), ("1", False)])
def test_independent_services_run_side_by_side_up_to_the_worker_count(
    lake: Lake, bedrot: RunBedrot, workers: str, overlap: bool
) -> None:
    for service in ("alpha", "beta"):
        bedrot("new-service", service)
        (lake.src / service / "cleaners" / f"{service}_landing2raw.py").write_text(STAMPED_SLEEP)

    assert bedrot("run", "--no-extract", "--workers", workers).returncode == 0

    (a_start, a_end), (b_start, b_end) = _intervals(lake)
    assert (a_start < b_end and b_start < a_end) is overlap


def test_step_five_runs_the_lakes_etl_unless_told_not_to(lake: Lake, bedrot: RunBedrot) -> None:
    (lake.etl / "run_all_etl.py").write_text(ETL)

    skipped = bedrot("run", "--no-extract", "--no-warehouse")
    assert "warehouse load is off" in skipped.stdout
    assert not (lake.root / "etl_ran").exists()

    ran = bedrot("run", "--no-extract")
    assert ran.returncode == 0
    assert "[OK] run_all_etl.py exited 0" in ran.stdout
    assert (lake.root / "etl_ran").read_text() == "yes"


def test_the_etl_runs_only_when_the_curated_zone_config_or_warehouse_changed(
    lake: Lake, bedrot: RunBedrot
) -> None:
    (lake.etl / "run_all_etl.py").write_text(COUNTING_ETL)
    bedrot("new-service", "alpha")
    landing = lake.zone("1_landing") / "alpha" / "alpha_daily_20261101_060000.csv"
    landing.write_text("date,plays\n2026-10-31,7\n", encoding="utf-8")

    def etl_runs() -> int:
        return len((lake.root / "etl_runs.txt").read_text().splitlines())

    assert bedrot("run", "--no-extract").returncode == 0
    assert etl_runs() == 1
    nothing_new = bedrot("run", "--no-extract")
    assert nothing_new.returncode == 0 and etl_runs() == 1
    assert "[SKIP] run_all_etl.py: nothing in the curated zone" in nothing_new.stdout
    etl_records = [r for r in read_records(lake.logs) if r.script == "run_all_etl.py"]
    assert [r.outcome for r in etl_records] == ["ok", "up_to_date"]

    # Step 6's own files in the curated zone are not ETL input; a new export is.
    (lake.zone("4_curated") / "reports").mkdir(exist_ok=True)
    (lake.zone("4_curated") / "reports" / "page.html").write_text("<p>new</p>")
    assert bedrot("run", "--no-extract").returncode == 0 and etl_runs() == 1
    lake.zone("1_landing").joinpath("alpha", "alpha_daily_20261102_060000.csv").write_text(
        "date,plays\n2026-11-01,8\n", encoding="utf-8"
    )
    assert bedrot("run", "--no-extract").returncode == 0 and etl_runs() == 2
    # A warehouse deleted by hand, a config change, or --force: it runs.
    (lake.root / "data_warehouse" / "bedrot_analytics.db").unlink()
    assert bedrot("run", "--no-extract").returncode == 0 and etl_runs() == 3
    (lake.config / "artists.json").write_text('{"artists": []}\n', encoding="utf-8")
    assert bedrot("run", "--no-extract").returncode == 0 and etl_runs() == 4
    assert bedrot("run", "--no-extract", "--force").returncode == 0 and etl_runs() == 5


def test_a_service_skipped_for_authentication_is_a_warning_and_the_run_exits_0(
    lake: Lake, bedrot: RunBedrot
) -> None:
    for service in ("expired", "fresh"):
        bedrot("new-service", service)
        (lake.src / service / "extractors" / "fetch.py").write_text(
            f"from pathlib import Path\nPath(r'{lake.root}', '{service}_fetched').touch()\n"
        )

    def cookie_check(run: PipelineRun) -> HookOutcome:
        return HookOutcome(
            "expired: session expired", skip_for_authentication=frozenset({"expired"})
        )

    shown = io.StringIO()

    code = run_pipeline(
        lake,
        RunOptions(automated=True),
        PipelineSettings(),
        PlainDisplay(shown),
        StepHooks(cookie_checks=(cookie_check,)),
    )

    assert code == 0
    assert (lake.root / "fresh_fetched").exists()
    assert not (lake.root / "expired_fetched").exists()
    assert "[SKIP] expired: its saved session is missing or expired" in shown.getvalue()
    assert "1 service(s) skipped for authentication; exit 0" in shown.getvalue()
    skipped = [r for r in read_records(lake.logs) if r.service == "expired" and r.step == "extract"]
    assert [(r.script, r.outcome, r.exit_code, r.recorded_by) for r in skipped] == [
        ("fetch.py", "skipped_login", None, "runner")
    ]


def test_nothing_to_do_steps_say_so_without_pretending(lake: Lake, bedrot: RunBedrot) -> None:
    result = bedrot("run", "--automated")

    assert result.returncode == 0
    for line in (
        "[STEP 1/6] Cookie status check\nNothing to do",
        "[STEP 2/6] Health check and remediation\nNothing to do",
        "[STEP 3/6] Extractors\nNothing to do",
        "[STEP 5/6] Warehouse ETL\nNothing to do",
        "[STEP 6/6] Reports and maintenance\nReport 4_curated/reports/bedrot_report.html "
        "written (0 chart(s) drawn",
    ):
        assert line in result.stdout

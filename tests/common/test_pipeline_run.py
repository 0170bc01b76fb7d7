"""A scaffolded service's CSV travels landing → curated under `bedrot run`, with the four logs."""

from __future__ import annotations

import json

from common.lake import Lake
from common.logs import ERRORS_LOG, EXECUTOR_LOG, STRUCTURED_LOG
from common.zones import data_files
from tests.conftest import RunBedrot

JSONL_FIELDS = {"timestamp", "level", "service", "message", "correlation_id"}
SCRIPT_FIELDS = JSONL_FIELDS | {"exit_code", "duration_seconds"}


def test_a_dropped_csv_reaches_every_zone_and_every_log_line_has_the_fields(
    lake: Lake, bedrot: RunBedrot
) -> None:
    assert bedrot("new-service", "bandcamp").returncode == 0
    landing = lake.zone("1_landing") / "bandcamp" / "bandcamp_sales_20261101_060000.csv"
    landing.write_text("Date,Sales\n2026-10-30,4\n2026-10-31,7\n", encoding="utf-8")

    first = bedrot("run", "--automated", "--no-extract")

    assert first.returncode == 0, first.stdout + first.stderr
    assert [p.name for p in data_files(lake.zone("2_raw") / "bandcamp")] == [
        "bandcamp_sales_20261101_060000.csv"
    ]
    assert [p.name for p in data_files(lake.zone("3_staging") / "bandcamp")] == [
        "bandcamp_sales.csv"
    ]
    curated = lake.zone("4_curated") / "bandcamp" / "bandcamp_sales.csv"
    assert curated.read_text(encoding="utf-8") == "date,sales\n2026-10-30,4\n2026-10-31,7\n"
    for step in range(1, 7):
        assert f"[STEP {step}/6]" in first.stdout
    logs = {p.name for p in lake.logs.iterdir()}
    assert {EXECUTOR_LOG, ERRORS_LOG, STRUCTURED_LOG} <= logs
    assert any(name.startswith("pipeline_2") and name.endswith(".log") for name in logs)
    lines = [json.loads(x) for x in (lake.logs / STRUCTURED_LOG).read_text().splitlines()]
    script_lines = [line for line in lines if "exit_code" in line]
    assert len(script_lines) == 3
    assert all(set(line) == SCRIPT_FIELDS for line in script_lines)
    assert all(set(line) == JSONL_FIELDS for line in lines if "exit_code" not in line)
    assert len({line["correlation_id"] for line in script_lines}) == 1
    assert {line["service"] for line in script_lines} == {"bandcamp"}

    published = curated.stat().st_mtime_ns
    second = bedrot("run", "--automated", "--no-extract")

    assert second.returncode == 0
    assert "No work to do" in second.stdout
    assert "[OK]" not in second.stdout
    assert curated.stat().st_mtime_ns == published
    assert not data_files(lake.zone("5_archive"))


def test_a_second_run_with_force_runs_the_scripts_and_they_say_nothing_is_new(
    lake: Lake, bedrot: RunBedrot
) -> None:
    bedrot("new-service", "bandcamp")
    landing = lake.zone("1_landing") / "bandcamp" / "bandcamp_sales_20261101_060000.csv"
    landing.write_text("date,sales\n2026-10-30,4\n", encoding="utf-8")
    bedrot("run", "--automated", "--no-extract")
    curated = lake.zone("4_curated") / "bandcamp" / "bandcamp_sales.csv"
    before = curated.stat().st_mtime_ns

    forced = bedrot("run", "--automated", "--no-extract", "--force")

    assert forced.returncode == 0
    assert "landing2raw: nothing new in 1_landing/bandcamp" in forced.stdout
    assert "staging2curated: nothing new in 3_staging/bandcamp" in forced.stdout
    assert curated.stat().st_mtime_ns == before


def test_an_identical_file_dropped_again_under_another_name_is_a_logged_no_op(
    lake: Lake, bedrot: RunBedrot
) -> None:
    bedrot("new-service", "bandcamp")
    folder = lake.zone("1_landing") / "bandcamp"
    content = "date,sales\n2026-10-30,4\n"
    (folder / "bandcamp_sales_20261101_060000.csv").write_text(content, encoding="utf-8")
    bedrot("run", "--automated", "--no-extract")
    (folder / "bandcamp_sales_20261102_060000.csv").write_text(content, encoding="utf-8")

    again = bedrot("run", "--automated", "--no-extract")

    assert again.returncode == 0
    assert len(data_files(lake.zone("2_raw") / "bandcamp")) == 1
    executor = (lake.logs / EXECUTOR_LOG).read_text(encoding="utf-8")
    assert (
        "1_landing/bandcamp/bandcamp_sales_20261102_060000.csv is identical to "
        "1_landing/bandcamp/bandcamp_sales_20261101_060000.csv" in executor
    )


def test_last_months_executor_logs_are_rotated_so_retention_can_archive_them(
    lake: Lake, bedrot: RunBedrot
) -> None:
    old_line = '{"timestamp": "2026-01-31T23:59:00+00:00", "level": "INFO", "message": "old"}\n'
    (lake.logs / STRUCTURED_LOG).write_text(old_line)
    (lake.logs / EXECUTOR_LOG).write_text("2026-01-31 23:59:00 INFO    [pipeline] old\n")

    result = bedrot("run", "--automated", "--no-extract")

    assert result.returncode == 0
    assert (lake.logs / "pipeline_executor_structured_202601.jsonl").read_text() == old_line
    assert (lake.logs / "pipeline_executor_202601.log").exists()
    assert old_line not in (lake.logs / STRUCTURED_LOG).read_text()
    assert "last month's is pipeline_executor_structured_202601.jsonl" in result.stdout

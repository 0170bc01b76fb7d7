"""`bedrot health`, the monitor script and step 2's drain, run as a user runs them."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from common.lake import Lake
from common.testing import run_in_lake
from common.zones import TIMESTAMP_FORMAT
from tests.conftest import RunBedrot

MONITOR = Path(__file__).resolve().parents[2] / "src" / "common" / "pipeline_health_monitor.py"
ANSI_ESCAPE = "\x1b["
REPORT_KEYS = {"generated_at", "lake", "exit_code", "summary", "services"}
SERVICE_KEYS = {
    "service",
    "status",
    "score",
    "priority",
    "issues",
    "stale_days",
    "freshness_window",
    "zones",
    "blocks",
    "block_count",
    "cookie",
    "last_run",
    "findings",
}
ZONE_KEYS = {"files", "newest", "age_days", "state"}
FINDING_KEYS = {"kind", "issue", "severity", "penalty", "recommendation"}
FAILING = "raise SystemExit(3)\n"
FUTURE = "from __future__ import annotations\n"
FAIL_WHILE_FLAGGED = """import os, pathlib
if pathlib.Path(os.environ["PROJECT_ROOT"], "FAIL").exists():
    raise SystemExit(3)
"""


def drop(lake: Lake, service: str, age: timedelta, day: str = "2026-11-01") -> Path:
    when = datetime.now() - age
    path = (
        lake.zone("1_landing") / service / f"{service}_sales_{when.strftime(TIMESTAMP_FORMAT)}.csv"
    )
    path.write_text(f"date,sales\n{day},4\n", encoding="utf-8")
    return path


def health_json(bedrot: RunBedrot) -> tuple[int, dict[str, Any]]:
    result = bedrot("health", "--json")
    return result.returncode, json.loads(result.stdout)


def service_entry(report: dict[str, Any], name: str) -> dict[str, Any]:
    return next(entry for entry in report["services"] if entry["service"] == name)


def test_aged_data_is_stale_in_the_table_and_the_command_exits_1(
    lake: Lake, bedrot: RunBedrot
) -> None:
    bedrot("new-service", "bandcamp")
    drop(lake, "bandcamp", timedelta(days=12, hours=2))
    assert bedrot("run", "--automated", "--no-extract").returncode == 0

    shown = bedrot("health")

    assert shown.returncode == 1
    assert ANSI_ESCAPE not in shown.stdout
    row = next(line for line in shown.stdout.splitlines() if line.startswith("bandcamp "))
    assert row.split()[1:4] == ["[FAIL]", "50%", "HIGH"]
    assert row.endswith("12d STALE")
    assert "  bandcamp: 12d STALE -> drop a new export into 1_landing/bandcamp/" in shown.stdout
    assert "1 service(s): 0 [OK], 0 [XX], 1 [FAIL]; exit 1." in shown.stdout


def test_a_hand_dropped_file_is_a_block_that_step_4_cleans_once(
    lake: Lake, bedrot: RunBedrot
) -> None:
    bedrot("new-service", "bandcamp")
    waiting = drop(lake, "bandcamp", timedelta(hours=1))

    code, before = health_json(bedrot)

    blocked = service_entry(before, "bandcamp")
    assert code == 0 and blocked["status"] == "[XX]"
    assert blocked["issues"] == "1 block"
    assert blocked["blocks"] == [
        {
            "zone": "1_landing",
            "next_zone": "2_raw",
            "cleaner": "bandcamp_landing2raw.py",
            "files": [f"1_landing/bandcamp/{waiting.name}"],
        }
    ]

    run = bedrot("run", "--automated", "--no-extract")

    assert run.returncode == 0, run.stdout
    step2 = run.stdout.split("[STEP 2/6]")[1].split("[STEP 3/6]")[0]
    assert (
        "Nothing to do: nothing was left behind by a previous run; step 4 cleans the 1 new "
        "file(s): bandcamp 1_landing->2_raw (1)." in step2
    )
    assert "exited" not in step2
    assert "[OK] bandcamp_landing2raw.py exited 0" in run.stdout.split("[STEP 4/6]")[1]
    code, after = health_json(bedrot)
    cleaned = service_entry(after, "bandcamp")
    assert code == 0 and cleaned["status"] == "[OK]" and cleaned["score"] == 100
    assert cleaned["blocks"] == [] and cleaned["block_count"] == 0


def test_step_2_drains_what_a_previous_run_left_and_a_failing_drain_fails_the_run(
    lake: Lake, bedrot: RunBedrot
) -> None:
    for service in ("broken", "healthy"):
        bedrot("new-service", service)
        drop(lake, service, timedelta(hours=1))
    (lake.src / "broken" / "cleaners" / "broken_landing2raw.py").write_text(FAILING)
    raw2staging = lake.src / "healthy" / "cleaners" / "healthy_raw2staging.py"
    # The same code both runs (code changes re-run a service's cleaners): a flag file fails it.
    raw2staging.write_text(raw2staging.read_text().replace(FUTURE, FUTURE + FAIL_WHILE_FLAGGED))
    assert FAIL_WHILE_FLAGGED in raw2staging.read_text()  # the failure is really in the script
    (lake.root / "FAIL").touch()
    assert bedrot("run", "--automated", "--no-extract").returncode == 1
    (lake.root / "FAIL").unlink()

    run = bedrot("run", "--automated", "--no-extract")

    assert run.returncode == 1
    step2 = run.stdout.split("[STEP 2/6]")[1].split("[STEP 3/6]")[0]
    assert "Draining healthy: 2_raw->3_staging (1) left behind by a previous run." in step2
    assert "Draining broken: 1_landing->2_raw (1) left behind by a previous run." in step2
    assert "[OK] healthy_raw2staging.py exited 0" in step2
    assert "[FAIL] broken_landing2raw.py exited 3" in step2
    assert "Drained 1 stuck file(s): healthy 2_raw->3_staging (1)." in step2
    assert "Still stuck: broken 1_landing->2_raw (1)." in step2
    assert "Failed while draining: broken_landing2raw.py." in step2
    step4 = run.stdout.split("[STEP 4/6]")[1].split("[STEP 5/6]")[0]
    assert "exited" not in step4
    assert "[SKIP] broken_landing2raw.py: already ran in this run" in step4
    assert "[STEP 6/6]" in run.stdout
    assert (
        "2 script(s) ok, 1 up to date, 1 failed, 0 service(s) skipped for authentication; "
        "exit 1. Failed: broken/broken_landing2raw.py." in run.stdout
    )
    _, report = health_json(bedrot)
    assert service_entry(report, "healthy")["status"] == "[OK]"
    assert service_entry(report, "broken")["issues"] == (
        "1 block, last run failed: broken_landing2raw.py"
    )


def test_a_failing_cleaner_of_the_last_run_is_in_the_issues_with_its_command(
    lake: Lake, bedrot: RunBedrot
) -> None:
    bedrot("new-service", "bandcamp")
    drop(lake, "bandcamp", timedelta(hours=1))
    (lake.src / "bandcamp" / "cleaners" / "bandcamp_raw2staging.py").write_text(FAILING)
    assert bedrot("run", "--automated", "--no-extract").returncode == 1

    code, report = health_json(bedrot)

    entry = service_entry(report, "bandcamp")
    assert code == 1 and report["exit_code"] == 1
    assert entry["status"] == "[FAIL]"
    assert entry["issues"] == "1 block, last run failed: bandcamp_raw2staging.py"
    assert entry["last_run"]["exit_codes"] == {
        "bandcamp_landing2raw.py": 0,
        "bandcamp_raw2staging.py": 3,
    }
    commands = {f["kind"]: f["recommendation"] for f in entry["findings"]}
    assert commands == {
        "blocks": "bedrot run --services bandcamp --no-extract",
        "failed_script": "python src/bandcamp/cleaners/bandcamp_raw2staging.py",
    }


def test_the_json_report_has_its_documented_shape(lake: Lake, bedrot: RunBedrot) -> None:
    bedrot("new-service", "bandcamp")
    bedrot("new-service", "nodata")
    drop(lake, "bandcamp", timedelta(days=1, hours=1))
    bedrot("run", "--automated", "--no-extract")

    code, report = health_json(bedrot)

    assert code == 1
    assert set(report) == REPORT_KEYS
    assert report["lake"] == str(lake.root)
    assert report["summary"] == {"[OK]": 1, "[XX]": 0, "[FAIL]": 1}
    assert [entry["service"] for entry in report["services"]] == ["nodata", "bandcamp"]
    for entry in report["services"]:
        assert set(entry) == SERVICE_KEYS
        assert list(entry["zones"]) == ["1_landing", "2_raw", "3_staging", "4_curated"]
        assert all(set(zone) == ZONE_KEYS for zone in entry["zones"].values())
        assert all(set(finding) == FINDING_KEYS for finding in entry["findings"])
        assert entry["freshness_window"] == {"warn_days": 3, "fail_days": 7}
        assert entry["cookie"] == {"state": "n/a", "age_days": None}
    fresh = service_entry(report, "bandcamp")
    assert (fresh["score"], fresh["priority"], fresh["stale_days"]) == (100, "LOW", 1)
    assert fresh["zones"]["2_raw"]["files"] == 1 and fresh["zones"]["2_raw"]["state"] == "ok"
    assert fresh["last_run"]["exit_codes"] == {
        "bandcamp_landing2raw.py": 0,
        "bandcamp_raw2staging.py": 0,
        "bandcamp_staging2curated.py": 0,
    }
    empty = service_entry(report, "nodata")
    assert empty["zones"]["1_landing"] == {
        "files": 0,
        "newest": None,
        "age_days": None,
        "state": "empty",
    }
    assert empty["findings"] == [
        {
            "kind": "no_data",
            "issue": "no data in 1_landing",
            "severity": "fail",
            "penalty": 60,
            "recommendation": "drop a new export into 1_landing/nodata/",
        }
    ]


def test_the_monitor_script_prints_what_bedrot_health_prints(lake: Lake, bedrot: RunBedrot) -> None:
    bedrot("new-service", "bandcamp")
    drop(lake, "bandcamp", timedelta(hours=3))

    script = run_in_lake(lake, [str(MONITOR), "--json"])
    _, command = health_json(bedrot)

    assert script.returncode == 0, script.stderr
    by_script = json.loads(script.stdout)
    assert by_script["services"] == command["services"]
    table = run_in_lake(lake, [str(MONITOR)])
    assert table.returncode == 0
    assert "bandcamp: 1 block -> bedrot run --services bandcamp --no-extract" in table.stdout


def test_a_wrong_root_or_a_bad_config_stops_with_one_sentence_and_exit_2(
    lake: Lake, bedrot: RunBedrot, tmp_path: Path
) -> None:
    not_a_lake = tmp_path / "elsewhere"
    not_a_lake.mkdir()

    script = run_in_lake(Lake(not_a_lake), [str(MONITOR)])
    command = bedrot("health", env={"PROJECT_ROOT": str(not_a_lake)})

    for result in (script, command):
        assert result.returncode == 2
        assert result.stderr.count("\n") == 1 and "is not a BEDROT lake" in result.stderr
    (lake.config / "health.json").write_text('{"default": {"warn_days": 0}}', encoding="utf-8")
    bad_config = bedrot("health")
    assert bad_config.returncode == 2
    assert "default.warn_days must be a number of days greater than zero" in bad_config.stderr

"""`bedrot run` and the run ledger: one record per script run, the summary counted from it, each
script once per run, and step 2 draining only what a previous run left behind."""

from __future__ import annotations

import json
import logging
import os
import re
import signal
import sys
import time
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from common.lake import Lake
from common.ledger import LedgerRecord, Outcome, read_records
from common.pipeline.execute import NOT_STARTED, run_script
from common.pipeline.records import settle_script_run
from common.pipeline.summary import count_run
from common.testing import run_in_lake
from common.zones import TIMESTAMP_FORMAT
from tests.conftest import RunBedrot, kill_run_once

FUTURE = "from __future__ import annotations\n"
PAUSE_WHILE_FLAGGED = """import os, pathlib, time
if pathlib.Path(os.environ["PROJECT_ROOT"], "PAUSE").exists():
    pathlib.Path(os.environ["PROJECT_ROOT"], "PAUSED").write_text(str(os.getpid()))
    time.sleep(600)
"""
SKIPS_FOR_LOGIN = """from common.extract.errors import SessionExpired
from common.extract.runtime import run_extractor


def main(ctx):
    raise SessionExpired("bandcamp", "bandcamp", "no saved login")


raise SystemExit(run_extractor("bandcamp", main))
"""
# A plain script that says the old sentence: words in the output no longer count as a skip.
SAYS_THE_WORDS = 'print("chatty: its saved session is missing or expired")\n'


def drop(lake: Lake, service: str = "bandcamp", day: int = 1) -> Path:
    when = datetime(2026, 11, day, 6, 0, 0)
    path = (
        lake.zone("1_landing") / service / f"{service}_sales_{when.strftime(TIMESTAMP_FORMAT)}.csv"
    )
    path.write_text(f"date,sales\n2026-11-{day:02},{day}\n", encoding="utf-8")
    return path


def run_id_of(output: str) -> str:
    found = re.search(r"BEDROT pipeline run (\w+) ", output)
    assert found, output
    return found[1]


def records_of(lake: Lake, output: str) -> list[LedgerRecord]:
    correlation_id = run_id_of(output)
    return [r for r in read_records(lake.logs) if r.correlation_id == correlation_id]


def summary(output: str) -> str:
    return next(line for line in output.splitlines() if "Run finished in " in line)


def test_a_hand_dropped_file_runs_each_of_its_cleaners_once_and_the_summary_says_so(
    lake: Lake, bedrot: RunBedrot
) -> None:
    bedrot("new-service", "bandcamp")
    assert bedrot("run", "--automated", "--no-extract").returncode == 0
    dropped = drop(lake)
    # Copied by hand with its modification time kept, as Windows Explorer does.
    three_days_ago = time.time() - 3 * 86400
    os.utime(dropped, (three_days_ago, three_days_ago))

    run = bedrot("run", "--automated", "--no-extract")

    assert run.returncode == 0, run.stdout
    step2 = run.stdout.split("[STEP 2/6]")[1].split("[STEP 3/6]")[0]
    assert "exited" not in step2 and "step 4 cleans the 1 new file(s)" in step2
    for script in ("landing2raw", "raw2staging", "staging2curated"):
        assert run.stdout.count(f"bandcamp_{script}.py exited 0") == 1
    assert "3 script(s) ok, 0 up to date, 0 failed, 0 service(s) skipped" in summary(run.stdout)
    records = records_of(lake, run.stdout)
    assert Counter(r.script for r in records) == {
        "bandcamp_landing2raw.py": 1,
        "bandcamp_raw2staging.py": 1,
        "bandcamp_staging2curated.py": 1,
    }
    assert {(r.outcome, r.recorded_by) for r in records} == {("ok", "script")}
    assert [(r.count("read"), r.count("written")) for r in records] == [(1, 1)] * 3
    assert (lake.zone("4_curated") / "bandcamp" / "bandcamp_sales.csv").is_file()

    again = bedrot("run", "--automated", "--no-extract")

    assert "0 script(s) ok, 3 up to date, 0 failed" in summary(again.stdout)
    assert "No work to do: every cleaner's input is unchanged" in again.stdout
    assert {r.outcome for r in records_of(lake, again.stdout)} == {"up_to_date"}


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL of a process group is POSIX")
def test_backlog_left_by_a_killed_run_is_drained_in_step_2_and_counted_once(
    lake: Lake, bedrot: RunBedrot
) -> None:
    bedrot("new-service", "bandcamp")
    raw2staging = lake.src / "bandcamp" / "cleaners" / "bandcamp_raw2staging.py"
    code = raw2staging.read_text().replace(FUTURE, FUTURE + PAUSE_WHILE_FLAGGED)
    assert PAUSE_WHILE_FLAGGED in code  # the pause is really in the script
    raw2staging.write_text(code)
    drop(lake)
    (lake.root / "PAUSE").touch()
    kill_run_once(lake, lake.root / "PAUSED")
    os.kill(int((lake.root / "PAUSED").read_text()), signal.SIGKILL)
    (lake.root / "PAUSE").unlink()
    assert [r.script for r in read_records(lake.logs)] == ["bandcamp_landing2raw.py"]

    run = bedrot("run", "--automated", "--no-extract")

    assert run.returncode == 0, run.stdout
    step2 = run.stdout.split("[STEP 2/6]")[1].split("[STEP 3/6]")[0]
    assert "Draining bandcamp: 2_raw->3_staging (1) left behind by a previous run." in step2
    assert "[OK] bandcamp_raw2staging.py exited 0" in step2
    assert "[OK] bandcamp_staging2curated.py exited 0" in step2
    assert "Drained 1 stuck file(s): bandcamp 2_raw->3_staging (1)." in step2
    step4 = run.stdout.split("[STEP 4/6]")[1].split("[STEP 5/6]")[0]
    assert "exited" not in step4
    assert "2 script(s) ok, 1 up to date, 0 failed" in summary(run.stdout)
    outcomes = {r.script: r.outcome for r in records_of(lake, run.stdout)}
    assert outcomes == {
        "bandcamp_raw2staging.py": "ok",
        "bandcamp_staging2curated.py": "ok",
        "bandcamp_landing2raw.py": "up_to_date",
    }


def test_the_runner_records_only_what_a_script_could_not_record_itself(
    lake: Lake, bedrot: RunBedrot
) -> None:
    bedrot("new-service", "bandcamp")
    bedrot("new-service", "plain")
    cleaners = lake.src / "plain" / "cleaners"
    (cleaners / "plain_landing2raw.py").write_text("print('no shared boundary here')\n")
    (cleaners / "plain_raw2staging.py").write_text("import time\ntime.sleep(60)\n")
    drop(lake)

    run = bedrot("run", "--automated", "--no-extract", "--timeout", "3")

    assert run.returncode == 1
    found = {(r.service, r.script): r for r in records_of(lake, run.stdout)}
    assert len(found) == len(records_of(lake, run.stdout)) == 5
    assert {k[1]: r.recorded_by for k, r in found.items() if k[0] == "bandcamp"} == {
        "bandcamp_landing2raw.py": "script",
        "bandcamp_raw2staging.py": "script",
        "bandcamp_staging2curated.py": "script",
    }
    plain = found[("plain", "plain_landing2raw.py")]
    assert (plain.outcome, plain.exit_code, plain.recorded_by) == ("ok", 0, "runner")
    slow = found[("plain", "plain_raw2staging.py")]
    assert (slow.outcome, slow.exit_code, slow.recorded_by) == ("timeout", 124, "runner")
    assert (
        "4 script(s) ok, 0 up to date, 1 failed, 0 service(s) skipped for authentication; "
        "exit 1. Failed: plain/plain_raw2staging.py." in summary(run.stdout)
    )


def test_a_script_that_cannot_start_is_recorded_as_failed(lake: Lake) -> None:
    script = lake.root / "anything.py"
    script.write_text("pass\n")

    result = run_script(script, lake.root / "gone", "cid", 10)
    record = settle_script_run(lake.logs, "cid", "x", result, 0, logging.getLogger("test"))

    assert result.exit_code == NOT_STARTED and "could not start anything.py" in result.output
    assert (record.outcome, record.exit_code, record.recorded_by) == ("failed", 127, "runner")
    assert [r.to_json() for r in read_records(lake.logs)] == [record.to_json()]


def test_an_extractor_login_skip_is_counted_through_the_ledger(
    lake: Lake, bedrot: RunBedrot
) -> None:
    (lake.config / "extractors").mkdir(exist_ok=True)
    for service in ("bandcamp", "chatty"):
        bedrot("new-service", service)
        (lake.config / "extractors" / f"{service}.json").write_text(
            json.dumps({"base_url": "http://127.0.0.1:9"}), encoding="utf-8"
        )
    (lake.src / "bandcamp" / "extractors" / "bandcamp_extractor.py").write_text(SKIPS_FOR_LOGIN)
    (lake.src / "chatty" / "extractors" / "chatty_extractor.py").write_text(SAYS_THE_WORDS)
    policy = {"services": {"bandcamp": {"max_age_days": 10, "refresh_interval_days": 5}}}
    (lake.config / "cookie_refresh_config.json").write_text(json.dumps(policy), encoding="utf-8")

    run = bedrot("run", "--no-warehouse")

    assert run.returncode == 0, run.stdout
    assert (
        "7 script(s) ok, 0 up to date, 0 failed, 1 service(s) skipped for authentication; exit 0"
        in summary(run.stdout)
    )
    extractors = {r.service: r for r in records_of(lake, run.stdout) if r.step == "extract"}
    assert extractors["bandcamp"].outcome == "skipped_login"
    assert (extractors["bandcamp"].exit_code, extractors["bandcamp"].recorded_by) == (0, "script")
    assert extractors["chatty"].outcome == "ok"
    health = json.loads(bedrot("health", "--json").stdout)
    by_name = {entry["service"]: entry for entry in health["services"]}
    assert by_name["bandcamp"]["last_run"]["skipped_for_login"] is True
    assert by_name["chatty"]["last_run"]["skipped_for_login"] is False


def test_an_extractor_run_alone_records_its_login_skip(lake: Lake, bedrot: RunBedrot) -> None:
    bedrot("new-service", "bandcamp")
    (lake.config / "extractors").mkdir(exist_ok=True)
    (lake.config / "extractors" / "bandcamp.json").write_text('{"base_url": "http://127.0.0.1:9"}')
    policy = {"services": {"bandcamp": {"max_age_days": 10, "refresh_interval_days": 5}}}
    (lake.config / "cookie_refresh_config.json").write_text(json.dumps(policy), encoding="utf-8")
    extractor = lake.src / "bandcamp" / "extractors" / "bandcamp_extractor.py"
    extractor.write_text(SKIPS_FOR_LOGIN)

    done = run_in_lake(lake, [str(extractor), "--automated"])

    assert done.returncode == 0, done.stderr
    [record] = read_records(lake.logs)
    assert (record.step, record.outcome, record.exit_code) == ("extract", "skipped_login", 0)
    assert datetime.now().astimezone() - record.timestamp < timedelta(minutes=5)


def test_the_summary_counts_each_script_once_by_its_worst_outcome() -> None:
    def ran(script: str, outcome: Outcome, cid: str = "run") -> LedgerRecord:
        code = {"ok": 0, "failed": 1, "timeout": 124, "skipped_login": 0}.get(outcome)
        when = datetime(2026, 11, 20, tzinfo=timezone.utc)
        return LedgerRecord(when, cid, script, "svc", script, "x", outcome, code, 0.1, "script")

    counts = count_run(
        [
            ran("drained.py", "ok"),
            ran("drained.py", "up_to_date"),
            ran("flaky.py", "failed"),
            ran("flaky.py", "ok"),
            ran("slow.py", "timeout"),
            ran("fresh.py", "up_to_date"),
            ran("login.py", "skipped_login"),
            ran("other_run.py", "ok", cid="earlier"),
        ],
        "run",
    )

    assert (counts.ok, counts.up_to_date) == (1, 1)
    assert counts.failed == ("svc/flaky.py", "svc/slow.py")
    assert counts.skipped_for_login == ("svc",)

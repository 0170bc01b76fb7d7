"""`bedrot run --automated`: a service whose login expired is skipped with a WARNING, no request
reaches its site, and the rest of the run (other extractors, every cleaner) goes on; exit 0."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from common.lake import Lake
from common.ledger import read_records
from tests.conftest import BEDROT, bedrot_env
from tests.fakes.distrokid import BANK_SAMPLE, distrokid_site
from tests.fakes.lakes import age, extractor_env, extractor_lake, save_login

pytestmark = pytest.mark.skipif(
    not Path("/usr/bin/chromium").is_file(), reason="Debian's chromium is not installed"
)
OTHER_EXTRACTOR = """
from common.script import run_script
from common.zones import atomic_write_text


def main(ctx):
    folder = ctx.lake.zone("1_landing") / "bandcamp"
    folder.mkdir(parents=True, exist_ok=True)
    atomic_write_text(folder / "bandcamp_sales_20261121_060000.csv", "date,sales\\n2026-11-20,3\\n")


raise SystemExit(run_script("bandcamp", main))
"""


def add_service_without_login(lake: Lake) -> None:
    folder = lake.src / "bandcamp" / "extractors"
    folder.mkdir(parents=True)
    (folder / "bandcamp_extractor.py").write_text(OTHER_EXTRACTOR, encoding="utf-8")


def run(lake: Lake, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BEDROT), "run", *args],
        env=bedrot_env(lake.root, extractor_env()),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_expired_login_is_skipped_with_a_warning_while_the_rest_runs(tmp_path: Path) -> None:
    with distrokid_site().running() as site:
        lake = extractor_lake(tmp_path / "lake", ["distrokid"], {"distrokid": site.base_url})
        add_service_without_login(lake)
        age(save_login(lake, "distrokid", site.storage_state()), 95)
        shutil.copyfile(
            BANK_SAMPLE, lake.zone("1_landing") / "distrokid" / "dk_bank_20261120_080000.tsv"
        )
        done = run(lake, "--automated", "--no-warehouse")
        assert site.requests == []
    assert done.returncode == 0, done.stdout + done.stderr
    log = next(lake.logs.glob("pipeline_2*.log")).read_text(encoding="utf-8")
    assert "WARNING" in log and "Login distrokid/distrokid: EXPIRED" in log
    assert "[SKIP] distrokid: its saved session is missing or expired" in log
    assert (lake.zone("1_landing") / "bandcamp" / "bandcamp_sales_20261121_060000.csv").is_file()
    assert (lake.zone("4_curated") / "dk_bank_details.csv").is_file()
    records = [
        json.loads(line)
        for line in (lake.logs / "pipeline_executor_structured.jsonl").read_text().splitlines()
    ]
    skipped = [r for r in records if "[SKIP] distrokid" in r["message"]]
    assert skipped and skipped[0]["level"] == "WARNING"
    # The fact itself is a ledger record: health and the summary count it, not the sentence.
    extractors = [r for r in read_records(lake.logs) if r.step == "extract"]
    assert {(r.service, r.outcome, r.recorded_by) for r in extractors} == {
        ("distrokid", "skipped_login", "runner"),
        ("bandcamp", "ok", "script"),
    }
    assert "1 service(s) skipped for authentication; exit 0" in done.stdout


def test_a_site_that_refuses_the_login_is_not_asked_again(tmp_path: Path) -> None:
    with distrokid_site().running() as site:
        lake = extractor_lake(tmp_path / "lake", ["distrokid"], {"distrokid": site.base_url})
        save_login(lake, "distrokid", site.storage_state(token="revoked-on-the-server"))
        first = run(lake, "--automated", "--no-warehouse")
        asked = len(site.requests)
        second = run(lake, "--automated", "--no-warehouse")
        assert len(site.requests) == asked
    assert (first.returncode, second.returncode) == (0, 0), first.stdout + second.stdout
    pages = [r.path for r in site.requests[:asked] if r.path != "/favicon.ico"]
    assert pages == ["/stats/", "/signin/"]
    status = subprocess.run(
        [str(BEDROT), "cookies", "status", "--service", "distrokid"],
        env=bedrot_env(lake.root),
        capture_output=True,
        text=True,
        check=False,
    )
    assert "EXPIRED" in status.stdout and "sent us to the login page" in status.stdout


def test_cleaners_only_run_checks_no_login(tmp_path: Path) -> None:
    lake = extractor_lake(tmp_path / "lake", ["distrokid"], {})
    done = run(lake, "--automated", "--no-extract", "--no-warehouse")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "[STEP 1/6] Cookie status check\nNothing to do: the extractors are off" in done.stdout
    assert "Login distrokid" not in done.stdout and "[WARNING]" not in done.stdout

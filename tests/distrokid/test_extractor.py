"""The DistroKid extractor in real headless Chromium against a local fake of distrokid.com."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from common.testing import run_cleaners, run_in_lake
from tests.fakes.distrokid import distrokid_site
from tests.fakes.lakes import extractor_env, extractor_lake, save_login

EXTRACTOR = Path("src/distrokid/extractors/dk_auth.py")
pytestmark = pytest.mark.skipif(
    not Path("/usr/bin/chromium").is_file(), reason="Debian's chromium is not installed"
)


def test_saved_login_lands_pages_and_bank_export_the_cleaners_accept(tmp_path: Path) -> None:
    with distrokid_site().running() as site:
        lake = extractor_lake(tmp_path / "lake", ["distrokid"], {"distrokid": site.base_url})
        save_login(lake, "distrokid", site.storage_state())
        done = run_in_lake(lake, [str(EXTRACTOR)], env=extractor_env())
    assert done.returncode == 0, done.stdout + done.stderr
    landed = sorted(p.name for p in (lake.zone("1_landing") / "distrokid").iterdir())
    assert [name.rsplit("_", 2)[0] for name in landed] == [
        "distrokid_applemusic",
        "distrokid_bank_details",
        "distrokid_streams",
    ]
    assert all(run.returncode == 0 for run in run_cleaners(lake, "distrokid"))
    assert not (lake.zone("2_raw") / "distrokid" / "_quarantine").exists()
    curated = lake.zone("4_curated")
    assert (curated / "dk_bank_details.csv").is_file()
    streams = (curated / "tidy_daily_streams.csv").read_text(encoding="utf-8")
    assert "2024-12-31" in streams


def test_renamed_selector_fails_with_its_name_url_and_a_screenshot(tmp_path: Path) -> None:
    with distrokid_site(bank_button_class="download-v2").running() as site:
        lake = extractor_lake(tmp_path / "lake", ["distrokid"], {"distrokid": site.base_url})
        config = lake.config / "extractors" / "distrokid.json"
        document = json.loads(config.read_text(encoding="utf-8"))
        document["selectors"]["bank_download"] = "div.download[onclick^=downloadBank]"
        document["timeout_seconds"] = 2
        config.write_text(json.dumps(document), encoding="utf-8")
        save_login(lake, "distrokid", site.storage_state())
        done = run_in_lake(lake, [str(EXTRACTOR)], env=extractor_env())
    assert done.returncode == 1
    log = (lake.logs / "pipeline_executor_errors.log").read_text(encoding="utf-8")
    assert "'bank_download'" in log and "/bank/details/" in log
    shots = list((lake.logs / "screenshots").glob("distrokid_bank_download_*.png"))
    assert len(shots) == 1 and shots[0].stat().st_size > 1000
    assert str(shots[0].name) in log

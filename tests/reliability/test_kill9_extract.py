"""A `bedrot run` killed with SIGKILL while its extractor talks to the service (the local fake of
Mailchimp's Marketing API) converges on the next run: the same curated rows as an undisturbed
run, and the rerun exits 0. Landed file names carry the download time, so rows are compared
without their provenance (which file, when extracted). The warehouse's convergence after kills
in the ETL and step 6 is `test_kill9.py`'s."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from benchmarks.kill9 import bedrot_env, kill_everything
from common.lake import Lake
from common.zones import TEMP_MARKER
from tests.conftest import BEDROT
from tests.fakes.lakes import extractor_env
from tests.fakes.mailchimp import VALID_KEY, FakeMarketingApi
from tests.mailchimp.test_mailchimp_extractor import new_lake
from tests.reliability.corpus_support import curated_rows, snapshot


def _env(lake: Lake) -> dict[str, str]:
    return {**bedrot_env(lake.root), **extractor_env(MAILCHIMP_API_KEY=VALID_KEY)}


def _run(lake: Lake) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BEDROT), "run", "--automated"],
        env=_env(lake),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.skipif(os.name == "nt", reason="POSIX process groups")
def test_a_run_killed_during_extraction_converges_on_the_next_run(tmp_path: Path) -> None:
    with FakeMarketingApi().running() as api:
        expected = new_lake(tmp_path / "expected", api)
        undisturbed = _run(expected)
        assert undisturbed.returncode == 0, undisturbed.stdout
        asked = len(api.requests)

        lake = new_lake(tmp_path / "killed", api)
        api.hold_after(1)  # the first answer goes out; the second request waits for the kill
        run = subprocess.Popen(
            [str(BEDROT), "run", "--automated"],
            env=_env(lake),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            assert api.held.wait(120), "the extractor never came back for a second answer"
            assert run.poll() is None, "the run ended before it was killed"
            kill_everything(run)  # mid-extraction, with a first answer in hand
        finally:
            api.release()
        assert asked > 2, "the undisturbed run asked too little for a kill in its middle"

        rerun = _run(lake)

    assert rerun.returncode == 0, rerun.stdout
    assert curated_rows(snapshot(lake.zone("4_curated"))) == curated_rows(
        snapshot(expected.zone("4_curated"))
    )
    # Landing holds only whole files (each write is atomic): whatever the killed run landed is
    # either a whole answer or nothing, and the same answer landed again is not counted twice.
    assert not [name for name in snapshot(lake.zone("1_landing")) if TEMP_MARKER in name]

"""`bedrot doctor` and the seed's `test_pipeline_components.py`: an install check a user trusts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from common.doctor import check_disk, check_services, check_warehouse, examine, exit_code
from common.lake import Lake
from common.testing import lake_with_services
from tests.conftest import BEDROT, bedrot_env

CHECKOUT = Lake(Path(__file__).resolve().parents[2])


def _verdicts(lake: Lake) -> dict[str, str]:
    return {finding.check: finding.verdict for finding in examine(lake)}


def test_a_sound_lake_passes_and_names_what_only_warns(tmp_path: Path) -> None:
    lake = lake_with_services(tmp_path / "lake", CHECKOUT, ["distrokid", "capitalone"])
    verdicts = _verdicts(lake)
    assert verdicts["service distrokid"] == "OK"
    assert verdicts["service capitalone"] == "OK"
    assert verdicts["lake root"] == "OK"
    assert verdicts["warehouse"] == "WARN"  # not loaded yet: `bedrot etl` makes it
    assert exit_code(examine(lake)) == 0


def test_a_cleaner_that_does_not_import_fails_with_its_error(tmp_path: Path) -> None:
    lake = lake_with_services(tmp_path / "lake", CHECKOUT, ["capitalone"])
    cleaner = lake.src / "capitalone" / "cleaners" / "capitalone_raw2staging.py"
    cleaner.write_text("import no_such_module_for_bedrot\n", encoding="utf-8")
    (finding,) = [f for f in check_services(lake) if f.check == "service capitalone"]
    assert finding.verdict == "FAIL"
    assert "capitalone_raw2staging.py" in finding.detail
    assert "no_such_module_for_bedrot" in finding.detail


def test_a_migrated_warehouse_is_ok_and_an_unreachable_one_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from common.warehouse.database import make_engine, migrate, warehouse_url

    lake = lake_with_services(tmp_path / "lake", CHECKOUT, ["capitalone"])
    monkeypatch.delenv("WAREHOUSE_URL", raising=False)
    migrate(make_engine(warehouse_url(lake)))
    (ok,) = check_warehouse(lake)
    assert ok.verdict == "OK"
    # A closed port on loopback: the server is down. The password never shows.
    monkeypatch.setenv("WAREHOUSE_URL", "postgresql+psycopg://bedrot:s3cret@127.0.0.1:9/bedrot")
    (down,) = check_warehouse(lake)
    assert down.verdict == "FAIL"
    assert "s3cret" not in down.detail
    assert "WAREHOUSE_URL" in down.remedy


def test_too_little_free_disk_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    lake = lake_with_services(tmp_path / "lake", CHECKOUT, [])
    monkeypatch.setattr(shutil, "disk_usage", lambda _: shutil._ntuple_diskusage(10, 10, 1 << 20))
    (finding,) = check_disk(lake)
    assert finding.verdict == "FAIL"


def test_both_commands_print_the_table_and_exit_1_when_broken(tmp_path: Path) -> None:
    lake = lake_with_services(tmp_path / "lake", CHECKOUT, ["capitalone"])
    for command in (
        [str(BEDROT), "doctor"],
        [sys.executable, str(CHECKOUT.root / "test_pipeline_components.py")],
    ):
        done = subprocess.run(
            command, cwd=lake.root, env=bedrot_env(lake.root), capture_output=True, text=True
        )
        assert done.returncode == 0, done.stdout + done.stderr
        assert "service capitalone" in done.stdout and "[OK]" in done.stdout
    (lake.root / "config" / "pipeline.json").write_text("{not json", encoding="utf-8")
    done = subprocess.run(
        [str(BEDROT), "doctor"],
        cwd=lake.root,
        env=bedrot_env(lake.root),
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert "config/pipeline.json" in done.stdout and "[FAIL]" in done.stdout
    assert "Fix the [FAIL] lines" in done.stdout

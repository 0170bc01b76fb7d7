"""Injected faults: a full disk, a damaged registry, step state or ledger, a warehouse another
program holds, an ETL killed in the middle of a file. Each stops (at most) the script it hits
with a sentence a label owner acts on, leaves nothing half-written that a later run trusts, and
the next run converges to what an undisturbed run gives."""

from __future__ import annotations

import errno
import io
import json
import logging
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

import pytest

import common.zones
from benchmarks.kill9 import bedrot_env, leftover_temp_files, warehouse_rows
from common.lake import Lake
from common.ledger import (
    LedgerRecord,
    append_record,
    ledger_path,
    now_utc,
    read_records,
)
from common.logs import LOGGER_NAME
from common.pipeline import freshness
from common.testing import lake_for, run_step
from common.warehouse import database
from common.warehouse.database import DEFAULT_SQLITE
from common.warehouse.etl import ALL_GROUPS, run_groups
from common.zones import data_files
from tests.steps_support import clean_in_process, clean_ok

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "capitalone"
JANUARY = FIXTURES / "2026-01-31_transaction_download.csv"
FEBRUARY = FIXTURES / "2026-02-28_transaction_download.csv"
SERVICE = "capitalone"


class Said(logging.Handler):
    """What the `bedrot` logger said while a test ran, whatever handlers a step set up."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())

    def containing(self, text: str) -> list[str]:
        return [message for message in self.messages if text in message]


@pytest.fixture
def said() -> Iterator[Said]:
    """Kept on the logger across setup_logging (which replaces handlers) by re-adding it."""
    handler = Said()
    logger = logging.getLogger(LOGGER_NAME)
    original = logger.addHandler

    def add_and_keep(new: logging.Handler) -> None:
        original(new)
        if handler not in logger.handlers:
            original(handler)

    logger.addHandler(handler)
    logger.addHandler = add_and_keep  # type: ignore[method-assign]
    try:
        yield handler
    finally:
        del logger.addHandler
        logger.removeHandler(handler)


def capitalone_lake(root: Path, *exports: Path) -> Lake:
    """A lake running Capital One, with `exports` landed (their modification times kept, so two
    lakes given the same exports name their zone files alike)."""
    lake = lake_for(root, [SERVICE])
    for export in exports:
        shutil.copy2(export, lake.zone("1_landing") / SERVICE / export.name)
    return lake


def land(lake: Lake, export: Path) -> None:
    shutil.copy2(export, lake.zone("1_landing") / SERVICE / export.name)


def zone_files(lake: Lake, zone: str) -> dict[str, bytes]:
    folder = lake.zone(zone)
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in data_files(folder)}


def etl(lake: Lake) -> int:
    return run_step(lake, "warehouse", lambda ctx: run_groups(ctx, ALL_GROUPS))


def as_script(
    lake: Lake, monkeypatch: pytest.MonkeyPatch, main: Callable[[], int]
) -> tuple[int, str]:
    """A script's entry (the script boundary included), in this process; its exit code and what
    it printed."""
    monkeypatch.setenv("PROJECT_ROOT", str(lake.root))
    console = io.StringIO()
    handler = logging.StreamHandler(console)
    logger = logging.getLogger(LOGGER_NAME)
    monkeypatch.setattr("common.logs.console_handler", lambda: handler)
    try:
        code = main()
    finally:
        logger.removeHandler(handler)
    return code, console.getvalue()


def etl_script(lake: Lake, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    from common.warehouse.etl import main

    return as_script(lake, monkeypatch, lambda: main(ALL_GROUPS))


def undisturbed(root: Path, *exports: Path, load: bool = False) -> Lake:
    lake = capitalone_lake(root, *exports)
    clean_ok(lake, SERVICE)
    if load:
        assert etl(lake) == 0
    return lake


# --- a curated file open in Excel -------------------------------------------------------------


def test_a_curated_file_held_open_by_another_program_is_said_in_one_sentence_and_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows refuses to replace a file Excel has open (a sharing violation, PermissionError):
    after the retries, the cleaner says which file in one sentence, the file keeps its previous
    version, and the next run writes it."""
    lake = undisturbed(tmp_path / "lake", JANUARY)
    before = zone_files(lake, "4_curated")
    archive_before = zone_files(lake, "5_archive")
    land(lake, FEBRUARY)
    curated = lake.zone("4_curated") / "capitalone_transactions.csv"
    real = os.replace

    def locked(source: object, target: object) -> None:
        if Path(str(target)) == curated:
            held = PermissionError(13, "The process cannot access the file", str(target))
            held.winerror = 32  # type: ignore[attr-defined]  # Windows: a sharing violation
            raise held
        real(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(common.zones, "REPLACE_FIRST_WAIT_SECONDS", 0.001)
    monkeypatch.setattr(common.zones.os, "replace", locked)

    runs = clean_in_process(lake, SERVICE)

    assert runs[2].returncode == 1
    assert f"{curated} is open in another program (Excel?)" in runs[2].stderr
    assert "Traceback" not in runs[2].stderr
    assert zone_files(lake, "4_curated") == before
    assert leftover_temp_files(lake.root) == []
    assert zone_files(lake, "5_archive") == archive_before  # no copy of a version still current
    monkeypatch.undo()
    clean_ok(lake, SERVICE)


# --- a full disk -------------------------------------------------------------------------------


def disk_fills_under(folder: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every atomic write under `folder` gets a few bytes onto the disk, then ENOSPC."""
    real = common.zones._fill_and_sync
    hit: list[Path] = []

    def full(temp: Path, write: Callable[[Path], object]) -> None:
        if folder in temp.parents:
            hit.append(temp)
            temp.write_bytes(b"date,amo")
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(temp))
        real(temp, write)

    monkeypatch.setattr(common.zones, "_fill_and_sync", full)
    return hit


def test_a_full_disk_while_a_cleaner_writes_stops_it_with_a_sentence_and_the_next_run_converges(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = undisturbed(tmp_path / "expected", JANUARY)
    lake = capitalone_lake(tmp_path / "lake", JANUARY)
    landing_before = zone_files(lake, "1_landing")
    hit = disk_fills_under(lake.zone("4_curated"), monkeypatch)

    runs = clean_in_process(lake, SERVICE)

    assert hit, "the curated write was never attempted"
    assert [r.returncode for r in runs] == [0, 0, 1]
    curated = lake.zone("4_curated") / "capitalone_transactions.csv"
    # The curated file, or its lineage sidecar written just before it.
    sentence = re.search(
        r"The disk is full while writing (\S+); free space and run again\.", runs[2].stderr
    )
    assert sentence and Path(sentence[1]).parent == curated.parent
    assert "capitalone_transactions" in Path(sentence[1]).name
    assert leftover_temp_files(lake.root) == [] and not curated.exists()
    assert zone_files(lake, "1_landing") == landing_before

    monkeypatch.undo()
    assert [r.returncode for r in clean_in_process(lake, SERVICE)] == [0, 0, 0]
    assert zone_files(lake, "4_curated") == zone_files(expected, "4_curated")
    assert zone_files(lake, "2_raw") == zone_files(expected, "2_raw")


def test_a_full_disk_stops_the_script_at_once_with_one_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from capitalone import steps
    from common.script import run_script

    lake = capitalone_lake(tmp_path / "lake", JANUARY, FEBRUARY)
    hit = disk_fills_under(lake.zone("2_raw"), monkeypatch)

    code, output = as_script(
        lake, monkeypatch, lambda: run_script(SERVICE, steps.landing_to_raw, "landing2raw")
    )

    assert code == 1 and len(hit) == 1  # the second export is not tried on a full disk
    assert output.count("The disk is full while writing") == 1
    assert "Traceback" not in output and leftover_temp_files(lake.root) == []


def test_a_full_disk_while_replacing_a_curated_file_keeps_the_previous_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lake = undisturbed(tmp_path / "lake", JANUARY)
    before = zone_files(lake, "4_curated")
    land(lake, FEBRUARY)
    disk_fills_under(lake.zone("4_curated"), monkeypatch)

    runs = clean_in_process(lake, SERVICE)

    assert runs[2].returncode == 1
    assert "The disk is full while writing" in runs[2].stderr
    assert zone_files(lake, "4_curated") == before and leftover_temp_files(lake.root) == []
    monkeypatch.undo()
    clean_ok(lake, SERVICE)
    expected = undisturbed(tmp_path / "expected", JANUARY, FEBRUARY)
    assert zone_files(lake, "4_curated") == zone_files(expected, "4_curated")


def test_a_full_disk_during_the_warehouse_load_loads_nothing_of_that_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lake = undisturbed(tmp_path / "lake", JANUARY, load=True)
    database_file = lake.root / DEFAULT_SQLITE
    with closing(sqlite3.connect(database_file)) as packed:  # pages too small for a month of
        packed.execute("PRAGMA journal_mode=DELETE")  # expenses to fit in their spare bytes:
        packed.execute("PRAGMA page_size=512")  # the next load needs pages the cap won't give
        packed.execute("VACUUM")
        packed.execute("PRAGMA journal_mode=WAL")
    before = warehouse_rows(database_file)
    land(lake, FEBRUARY)
    clean_ok(lake, SERVICE)
    real = database._sqlite_settings

    def nearly_full(dbapi_connection: sqlite3.Connection, record: object) -> None:
        """SQLite's own "database or disk is full": no page beyond the ones in use."""
        real(dbapi_connection, record)
        used = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {used}")

    monkeypatch.setattr(database, "_sqlite_settings", nearly_full)
    code, output = etl_script(lake, monkeypatch)

    assert code == 1
    assert f"The disk is full while writing the warehouse {database_file}" in output
    assert "free space and run again" in output
    assert warehouse_rows(database_file) == before
    monkeypatch.undo()
    assert etl(lake) == 0
    expected = undisturbed(tmp_path / "expected", JANUARY, FEBRUARY, load=True)
    assert warehouse_rows(database_file) == warehouse_rows(expected.root / DEFAULT_SQLITE)


# --- damaged bookkeeping files -----------------------------------------------------------------


def cut_short(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def test_a_cut_short_hash_registry_is_rebuilt_from_the_zone_and_said_once(
    tmp_path: Path, said: Said
) -> None:
    lake = undisturbed(tmp_path / "lake", JANUARY)
    registries = [lake.zone(z) / SERVICE / "_hashes.json" for z in ("2_raw", "3_staging")]
    registries.append(lake.zone("4_curated") / SERVICE / "_hashes.json")
    for registry in registries:
        cut_short(registry)
    land(lake, FEBRUARY)

    clean_ok(lake, SERVICE)
    clean_ok(lake, SERVICE)  # the registries are whole again: nothing more to say

    for registry in registries:
        assert len(said.containing(f"{registry} could not be read")) == 1
        assert json.loads(registry.read_text(encoding="utf-8"))["files"]
    expected = undisturbed(tmp_path / "expected", JANUARY, FEBRUARY)
    for zone in ("2_raw", "3_staging", "4_curated"):
        assert zone_files(lake, zone) == zone_files(expected, zone), zone


LOGIN_PAGE = b"<!DOCTYPE html><html><head><title>Sign in</title></head><body></body></html>\n"


def test_a_rebuilt_registry_keeps_what_was_quarantined_quarantined_once(
    tmp_path: Path, said: Said
) -> None:
    lake = capitalone_lake(tmp_path / "lake", JANUARY)
    page = lake.zone("1_landing") / SERVICE / "2026-04-30_transaction_download.csv"
    page.write_bytes(LOGIN_PAGE)
    clean_ok(lake, SERVICE)
    held = lake.zone("1_landing") / "_quarantine" / SERVICE
    quarantined = sorted(p.name for p in held.iterdir())
    assert quarantined, "the login page was not quarantined"
    registry = lake.zone("2_raw") / SERVICE / "_hashes.json"
    cut_short(registry)
    land(lake, FEBRUARY)

    clean_ok(lake, SERVICE)

    assert sorted(p.name for p in held.iterdir()) == quarantined
    assert said.containing("(1 quarantined file(s) recognised)")
    entries = json.loads(registry.read_text(encoding="utf-8"))["files"].values()
    assert sorted(e["status"] for e in entries) == ["processed", "processed", "quarantined"]


def test_a_registry_that_is_not_a_registry_counts_as_none(tmp_path: Path, said: Said) -> None:
    lake = undisturbed(tmp_path / "lake", JANUARY)
    registry = lake.zone("2_raw") / SERVICE / "_hashes.json"
    registry.write_text('{"version": 1, "files": {"abc": {"source": 3}}}', encoding="utf-8")

    clean_ok(lake, SERVICE)

    assert said.containing(f"{registry} could not be read")
    expected = undisturbed(tmp_path / "expected", JANUARY)
    assert zone_files(lake, "2_raw") == zone_files(expected, "2_raw")


def test_a_cut_short_step_state_makes_its_cleaner_run_again_said_once(
    tmp_path: Path, said: Said
) -> None:
    lake = capitalone_lake(tmp_path / "lake", JANUARY)
    script = lake.root / "src" / SERVICE / "cleaners" / f"{SERVICE}_landing2raw.py"
    fingerprint = "f" * 64
    freshness.remember_success(lake, SERVICE, script, fingerprint)
    assert freshness.is_up_to_date(lake, SERVICE, script, fingerprint)
    state = lake.zone("2_raw") / SERVICE / freshness.STATE_FILE
    cut_short(state)

    assert not freshness.is_up_to_date(lake, SERVICE, script, fingerprint)
    freshness.remember_success(lake, SERVICE, script, fingerprint)

    assert freshness.is_up_to_date(lake, SERVICE, script, fingerprint)
    assert len(said.containing(f"{state} was damaged")) == 1


def ledger_line(service: str) -> LedgerRecord:
    return LedgerRecord(
        timestamp=now_utc(),
        correlation_id="c0ffee",
        run_id=f"run-{service}",
        service=service,
        script=f"{service}_landing2raw.py",
        step="landing2raw",
        outcome="ok",
        exit_code=0,
        duration_seconds=1.0,
        recorded_by="script",
    )


def test_a_damaged_ledger_line_is_passed_over_said_once_and_every_other_record_counts(
    tmp_path: Path, said: Said
) -> None:
    logs = tmp_path / "logs"
    append_record(logs, ledger_line("distrokid"))
    with ledger_path(logs).open("ab") as stream:
        stream.write(b"\x00\xff garbage from a disk that filled up\n")
        stream.write(b'{"outcome": "ok", "service": 3}\n')
    append_record(logs, ledger_line("toolost"))
    with ledger_path(logs).open("ab") as stream:
        stream.write(b'{"timestamp": "2026-11-2')  # a writer killed mid-line

    first = read_records(logs)
    again = read_records(logs)
    append_record(logs, ledger_line("spotify"))  # starts on a line of its own
    after = read_records(logs)

    assert [r.service for r in first] == [r.service for r in again] == ["distrokid", "toolost"]
    assert [r.service for r in after] == ["distrokid", "toolost", "spotify"]
    assert len(said.containing("has a damaged line at byte")) == 3  # two, then the cut-off one
    assert len(said.containing("ended in a line cut short")) == 1


# --- a warehouse another program holds ---------------------------------------------------------


@pytest.fixture
def loaded_twice_over(tmp_path: Path) -> Lake:
    """January loaded, February cleaned and waiting for the ETL."""
    lake = undisturbed(tmp_path / "lake", JANUARY, load=True)
    land(lake, FEBRUARY)
    clean_ok(lake, SERVICE)
    return lake


def hold(database_file: Path) -> sqlite3.Connection:
    """Another program's write transaction on the warehouse (a tool holding it open)."""
    holder = sqlite3.connect(database_file, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")
    return holder


def test_a_held_warehouse_fails_the_load_after_the_wait_with_the_cause(
    loaded_twice_over: Lake, monkeypatch: pytest.MonkeyPatch
) -> None:
    database_file = loaded_twice_over.root / DEFAULT_SQLITE
    before = warehouse_rows(database_file)
    monkeypatch.setenv(database.BUSY_SECONDS_ENV, "1")
    holder = hold(database_file)
    try:
        started = time.monotonic()
        code, output = etl_script(loaded_twice_over, monkeypatch)
        waited = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()

    assert code == 1
    assert f"The warehouse {database_file} is held by another program" in output
    assert "was not free within 1 s" in output and database.BUSY_SECONDS_ENV in output
    assert 1.0 <= waited < 30
    assert warehouse_rows(database_file) == before


def test_a_warehouse_freed_within_the_wait_is_loaded(
    loaded_twice_over: Lake, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    database_file = loaded_twice_over.root / DEFAULT_SQLITE
    monkeypatch.setenv(database.BUSY_SECONDS_ENV, "30")
    holder = hold(database_file)

    def release() -> None:
        time.sleep(0.5)
        holder.execute("ROLLBACK")

    releaser = threading.Thread(target=release)
    releaser.start()
    try:
        assert etl(loaded_twice_over) == 0
    finally:
        releaser.join()
        holder.close()
    expected = undisturbed(tmp_path / "expected", JANUARY, FEBRUARY, load=True)
    assert warehouse_rows(database_file) == warehouse_rows(expected.root / DEFAULT_SQLITE)


def test_the_wait_is_a_setting_that_refuses_what_is_not_seconds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(database.BUSY_SECONDS_ENV, raising=False)
    assert database.busy_seconds() == database.DEFAULT_BUSY_SECONDS == 60
    monkeypatch.setenv(database.BUSY_SECONDS_ENV, "2.5")
    assert database.busy_seconds() == 2.5
    monkeypatch.setenv(database.BUSY_SECONDS_ENV, "a minute")
    with pytest.raises(database.BusySettingError, match="set it to a number of seconds"):
        database.busy_seconds()
    monkeypatch.setenv(database.BUSY_SECONDS_ENV, "inf")
    with pytest.raises(database.BusySettingError, match="set it to a number of seconds"):
        database.busy_seconds()


# --- an ETL killed in the middle of a file -----------------------------------------------------

PAUSED_ETL = """
import sys
import time
from pathlib import Path

import common.warehouse.loading as loading

flag = Path(sys.argv[1])
real = loading._replace_rows


def paused(*args, **kwargs):
    outcome = real(*args, **kwargs)  # every row of the file inserted, not yet committed
    written = flag.with_suffix(".tmp")  # whole or absent: the test reads it once it exists
    written.write_text(str(outcome.rows))
    written.replace(flag)
    time.sleep(600)
    return outcome


loading._replace_rows = paused
from common.warehouse.etl import ALL_GROUPS, main

raise SystemExit(main(ALL_GROUPS))
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_an_etl_killed_mid_file_leaves_that_files_rows_as_before_and_the_next_loads_it(
    loaded_twice_over: Lake, tmp_path: Path
) -> None:
    database_file = loaded_twice_over.root / DEFAULT_SQLITE
    before = warehouse_rows(database_file)
    flag = tmp_path / "mid-file"
    driver = tmp_path / "paused_etl.py"
    driver.write_text(PAUSED_ETL, encoding="utf-8")
    env = bedrot_env(loaded_twice_over.root)
    etl_run = subprocess.Popen(
        [sys.executable, str(driver), str(flag)],
        cwd=loaded_twice_over.root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not flag.exists():
            assert etl_run.poll() is None, "the ETL ended before it loaded a file"
            assert time.monotonic() < deadline, "the ETL never reached a file"
            time.sleep(0.02)
    finally:
        os.killpg(etl_run.pid, signal.SIGKILL)
        etl_run.wait()

    assert int(flag.read_text()) > 0  # it had inserted the file's rows when it was killed
    assert warehouse_rows(database_file) == before
    assert etl(loaded_twice_over) == 0
    expected = undisturbed(tmp_path / "expected", JANUARY, FEBRUARY, load=True)
    assert warehouse_rows(database_file) == warehouse_rows(expected.root / DEFAULT_SQLITE)


def test_a_full_disk_when_the_run_lock_is_taken_still_takes_the_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from common.lock import LockHeld, RunLock

    def full(self: Path, *args: object, **kwargs: object) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))

    monkeypatch.setattr(Path, "write_text", full)
    with RunLock(tmp_path, "bedrot run"):
        monkeypatch.undo()
        with pytest.raises(LockHeld, match="its details could not be read"):
            RunLock(tmp_path, "bedrot run").acquire()
    RunLock(tmp_path, "bedrot run").acquire()  # released: the next run takes it


def test_a_full_disk_as_polars_reports_it_stops_the_step_and_never_quarantines_the_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """polars writes its own files: ENOSPC reaches us as a ComputeError naming "os error 28",
    not an OSError. It is the disk, not the export: nothing is quarantined, the next run stages it.
    """
    import polars as pl

    from common.demodata.bank import write_legacy_bank_export
    from common.script import run_script
    from distrokid import steps

    lake = lake_for(tmp_path / "lake", ["distrokid"])
    landing = lake.zone("1_landing") / "distrokid"
    write_legacy_bank_export(landing / "dk_bank_details_20260105_090000.tsv", 200)
    assert run_step(lake, "distrokid", steps.landing_to_raw) == 0
    real = pl.collect_all

    def full(*args: object, **kwargs: object) -> object:
        raise pl.exceptions.ComputeError("failed to write: No space left on device (os error 28)")

    monkeypatch.setattr(pl, "collect_all", full)
    code, output = as_script(
        lake, monkeypatch, lambda: run_script("distrokid", steps.raw_to_staging, "raw2staging")
    )

    assert code == 1
    assert "The disk is full while writing" in output
    assert not list(lake.root.rglob("*.reason.json"))
    assert leftover_temp_files(lake.root) == []
    monkeypatch.setattr(pl, "collect_all", real)
    assert run_step(lake, "distrokid", steps.raw_to_staging) == 0
    assert list(lake.zone("3_staging").rglob("*dk_bank_details_20260105_090000.parquet"))


@pytest.mark.parametrize("in_host", [False, True], ids=["in-process", "in-a-script-host"])
def test_upkeep_on_a_held_warehouse_fails_its_hook_with_the_cause_and_never_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, in_host: bool
) -> None:
    from common.pipeline.execute import WorkerPool
    from common.warehouse.upkeep import warehouse_upkeep
    from tests.reports.conftest import make_run

    lake = undisturbed(tmp_path / "lake", JANUARY, load=True)  # loaded: statistics are due
    monkeypatch.delenv("WAREHOUSE_URL", raising=False)
    monkeypatch.setenv(database.BUSY_SECONDS_ENV, "0.5")
    run = make_run(lake)
    if in_host:  # as `bedrot run` does it: in the script host the ETL used
        run.pool = WorkerPool(lake.root, "t")
    holder = hold(lake.root / DEFAULT_SQLITE)
    try:
        outcome = warehouse_upkeep(run)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        if run.pool is not None:
            run.pool.close()

    assert outcome.failed
    assert (
        "Warehouse upkeep stopped" in outcome.message
        and "held by another program" in outcome.message
    )


def test_upkeep_reads_a_warehouse_named_by_a_relative_sqlite_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from common.warehouse.upkeep import warehouse_upkeep
    from tests.reports.conftest import make_run

    lake = undisturbed(tmp_path / "lake", JANUARY)
    monkeypatch.chdir(tmp_path)  # run from outside the lake: the path is the lake's
    monkeypatch.setenv("WAREHOUSE_URL", "sqlite:///relative.db")
    assert etl(lake) == 0 and (lake.root / "relative.db").is_file()

    first = warehouse_upkeep(make_run(lake))
    again = warehouse_upkeep(make_run(lake))

    assert not first.failed and "statistics refreshed after the load" in first.message
    assert again.message == "Warehouse upkeep: nothing due."

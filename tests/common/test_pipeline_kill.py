"""A run killed mid-write leaves nothing the next run trusts, and the next run completes."""

from __future__ import annotations

import subprocess
import sys

import pytest

from common.lake import Lake
from common.zones import data_files
from tests.conftest import RunBedrot, kill_run_once

SLOW_WRITER = '''"""landing2raw that pauses mid-write while PAUSE exists."""
import time
from pathlib import Path

from common.cleaning import process_each_new_file
from common.script import run_script
from common.zones import LANDING, RAW, atomic_write_chunks, service_zone, zone_name_for


def chunks(ctx, source):
    yield source.read_bytes()[:10]
    pause = ctx.lake.root / "PAUSE"
    if pause.exists():
        (ctx.lake.root / "MID_WRITE").write_text("now")
        time.sleep(600)
    yield source.read_bytes()[10:]


def handle(ctx, source):
    target = service_zone(ctx.lake, RAW, "slow") / zone_name_for("slow", source, "csv")
    return [atomic_write_chunks(target, chunks(ctx, source))]


def main(ctx):
    return process_each_new_file(
        ctx, LANDING, RAW, lambda p: handle(ctx, p), "landing2raw"
    ).exit_code


raise SystemExit(run_script("slow", main))
'''


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL of a process group is POSIX")
def test_a_killed_run_leaves_no_trusted_partial_file_and_the_next_run_completes(
    lake: Lake, bedrot: RunBedrot
) -> None:
    bedrot("new-service", "slow")
    (lake.src / "slow" / "cleaners" / "slow_landing2raw.py").write_text(SLOW_WRITER)
    content = "date,plays\n" + "".join(f"2026-10-{d:02},{d}\n" for d in range(1, 29))
    (lake.zone("1_landing") / "slow" / "slow_daily_20261101_060000.csv").write_text(content)
    (lake.root / "PAUSE").write_text("")
    kill_run_once(lake, lake.root / "MID_WRITE")
    subprocess.run(["pkill", "-KILL", "-f", "slow_landing2raw.py"], check=False)

    raw = lake.zone("2_raw") / "slow"
    assert data_files(raw) == []
    assert any(".bedrot-tmp" in p.name for p in raw.iterdir())
    assert not (raw / "_hashes.json").exists()

    (lake.root / "PAUSE").unlink()
    again = bedrot("run", "--automated", "--no-extract")

    assert again.returncode == 0, again.stdout
    assert "Removed 1 unfinished temporary file(s) left by an interrupted run" in again.stdout
    assert not [p for p in raw.iterdir() if ".bedrot-tmp" in p.name]
    assert [p.read_text() for p in data_files(raw)] == [content]
    curated = lake.zone("4_curated") / "slow" / "slow_daily.csv"
    assert curated.read_text().splitlines()[1:] == content.splitlines()[1:]

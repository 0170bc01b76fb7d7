"""The runner skips the ETL while nothing it reads changed; the warehouse counts by what it
holds (its loaded files), so a warehouse swapped under the lake is loaded again."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from common.lake import DEFAULT_SQLITE, Lake
from common.pipeline.freshness import etl_fingerprint

LOADED = "INSERT INTO source_files (row_count, loaded_at) VALUES (?, ?)"


def _warehouse(path: Path, loads: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as connection:
        connection.execute(
            "CREATE TABLE source_files (id INTEGER PRIMARY KEY, row_count INTEGER, loaded_at TEXT)"
        )
        for day in range(1, loads + 1):
            connection.execute(LOADED, (10 * day, f"2026-11-{day:02d} 06:00:00"))
    connection.close()


def test_a_backup_copied_over_the_warehouse_runs_the_etl_again(
    lake: Lake, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("WAREHOUSE_URL", raising=False)
    script = lake.etl / "run_all_etl.py"
    script.parent.mkdir(parents=True, exist_ok=True)
    script.write_text("", encoding="utf-8")
    database = lake.root / DEFAULT_SQLITE
    _warehouse(database, loads=3)
    backup = tmp_path / "backup.db"
    _warehouse(backup, loads=2)
    loaded = etl_fingerprint(lake, script)
    assert etl_fingerprint(lake, script) == loaded  # nothing changed: skipped

    shutil.copyfile(backup, database)  # in place: the same file, an older content

    assert etl_fingerprint(lake, script) != loaded

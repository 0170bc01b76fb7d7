"""Step 6 with nothing new finds out from the report's inputs that it would come out the same:
no report is built and no money analytics are refreshed; a new load, a config change, a new
month or a damaged state file builds it again."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest

from common.lake import Lake
from common.pipeline.hooks import HookOutcome
from common.reports.build import reports_folder
from common.reports.hook import write_report
from common.reports.inputs import report_inputs, state_path
from common.reports.settings import REPORT_NAME
from common.warehouse.aggregates import refresh_aggregates
from common.warehouse.database import make_engine, warehouse_url
from tests.reports.conftest import make_run

NOT_REBUILT = "(not rebuilt)"


def _database(lake: Lake) -> Path:
    return lake.root / "data_warehouse" / "bedrot_analytics.db"


def _money_rows(lake: Lake) -> int:
    with sqlite3.connect(_database(lake)) as connection:
        return int(connection.execute("SELECT COUNT(*) FROM money_net_income").fetchone()[0])


def _clear_money(lake: Lake) -> None:
    """Empty a money analytics table: only a refresh fills it again."""
    with sqlite3.connect(_database(lake)) as connection:
        connection.execute("DELETE FROM money_net_income")


def _built(lake: Lake) -> HookOutcome:
    """A first build from scratch (the copied lake's state is dropped), money emptied after."""
    state_path(lake).unlink(missing_ok=True)
    outcome = write_report(make_run(lake))
    assert not outcome.failed, outcome.message
    assert NOT_REBUILT not in outcome.message
    assert _money_rows(lake) > 0
    _clear_money(lake)
    return outcome


def test_a_second_step_6_with_nothing_new_builds_no_report_and_refreshes_no_money(
    report_lake: Lake,
) -> None:
    _built(report_lake)
    page = reports_folder(report_lake) / REPORT_NAME
    before = page.read_bytes(), page.stat().st_mtime_ns

    again = write_report(make_run(report_lake))

    assert not again.failed
    assert again.message.startswith(f"Report 4_curated/reports/{REPORT_NAME} unchanged")
    assert NOT_REBUILT in again.message
    assert _money_rows(report_lake) == 0  # no refresh ran
    assert (page.read_bytes(), page.stat().st_mtime_ns) == before


def test_a_new_load_into_the_warehouse_builds_the_report_again(report_lake: Lake) -> None:
    _built(report_lake)
    # What the ETL does when a corrected export arrives: the file's lines are replaced (here
    # one line earns one dollar more), its source_files row notes the load, aggregates follow.
    with sqlite3.connect(_database(report_lake)) as connection:
        source = connection.execute("SELECT MIN(source_file_id) FROM royalty_lines").fetchone()[0]
        connection.execute(
            "UPDATE royalty_lines SET earnings_picousd = earnings_picousd + 1000000000000 "
            "WHERE id = (SELECT MIN(id) FROM royalty_lines)"
        )
        connection.execute(
            "UPDATE source_files SET loaded_at = ? WHERE id = ?",
            (datetime(2030, 1, 1).isoformat(sep=" "), source),
        )
    engine = make_engine(warehouse_url(report_lake))
    with engine.begin() as connection:
        refresh_aggregates(connection)
    engine.dispose()

    outcome = write_report(make_run(report_lake))

    assert NOT_REBUILT not in outcome.message
    assert "written" in outcome.message
    assert _money_rows(report_lake) > 0


def test_a_config_change_builds_the_report_again(report_lake: Lake) -> None:
    _built(report_lake)
    config = report_lake.config / "money.json"
    document = json.loads(config.read_text(encoding="utf-8"))
    document["tolerance_percent"] = 5
    config.write_text(json.dumps(document), encoding="utf-8")

    outcome = write_report(make_run(report_lake))

    assert NOT_REBUILT not in outcome.message
    assert _money_rows(report_lake) > 0


def test_a_damaged_state_file_builds_the_report_again_and_is_replaced(
    report_lake: Lake,
) -> None:
    _built(report_lake)
    for damaged in ("{not json", '{"inputs": 7, "page": "x"}', "", "[]"):
        _clear_money(report_lake)  # only a rebuild fills it again
        state_path(report_lake).write_text(damaged, encoding="utf-8")

        outcome = write_report(make_run(report_lake))

        assert not outcome.failed
        assert NOT_REBUILT not in outcome.message
        assert _money_rows(report_lake) > 0
        assert set(json.loads(state_path(report_lake).read_text(encoding="utf-8"))) == {
            "inputs",
            "page",
        }


def test_a_report_deleted_by_hand_is_built_again(report_lake: Lake) -> None:
    _built(report_lake)
    page = reports_folder(report_lake) / REPORT_NAME
    page.unlink()

    outcome = write_report(make_run(report_lake))

    assert NOT_REBUILT not in outcome.message
    assert page.is_file()


def test_the_inputs_change_with_the_month_not_the_day(report_lake: Lake) -> None:
    """The money section judges a sale month open or overdue from the first of a month."""
    january = report_inputs(report_lake, date(2026, 1, 1))

    assert report_inputs(report_lake, date(2026, 1, 31)) == january
    assert report_inputs(report_lake, date(2026, 2, 1)) != january


def test_statements_written_after_a_run_do_not_rebuild_the_report(report_lake: Lake) -> None:
    _built(report_lake)
    statements = report_lake.zone("4_curated") / "statements" / "2025-Q3"
    statements.mkdir(parents=True)
    (statements / "summary.csv").write_text("payee,payable\nPIG1987,1.00\n", encoding="utf-8")

    again = write_report(make_run(report_lake))

    assert NOT_REBUILT in again.message
    assert _money_rows(report_lake) == 0


def test_a_failed_build_whose_state_file_is_locked_fails_the_hook_not_the_run(
    report_lake: Lake, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows: another program (an antivirus) holds the state file while the build fails."""
    _built(report_lake)
    config = report_lake.config / "money.json"
    document = json.loads(config.read_text(encoding="utf-8"))
    document["tolerance_percent"] = 5
    config.write_text(json.dumps(document), encoding="utf-8")
    state = state_path(report_lake)
    unlink = Path.unlink

    def locked(path: Path, missing_ok: bool = False) -> None:
        if path == state:
            raise PermissionError(13, "The process cannot access the file", str(path))
        unlink(path, missing_ok=missing_ok)

    def broken(*args: object) -> object:
        raise RuntimeError("the page could not be drawn")

    monkeypatch.setattr(Path, "unlink", locked)
    monkeypatch.setattr("common.reports.build.build_report", broken)
    failed = write_report(make_run(report_lake))
    monkeypatch.undo()
    again = write_report(make_run(report_lake))

    assert failed.failed and "the page could not be drawn" in failed.message
    assert not again.failed and NOT_REBUILT not in again.message

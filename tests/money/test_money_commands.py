"""`bedrot statements` and `bedrot reconcile` as the label owner types them, in a lake."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from sqlalchemy.orm import Session

from common.lake import init_lake
from common.warehouse.database import make_engine, migrate, warehouse_url
from tests.conftest import bedrot_in
from tests.money.builders import add_lines, make_lake
from tests.money_analytics.conftest import Facts

SPLITS = {
    "minimum_payout_usd": "10.00",
    "payees": [{"name": "Zone A0"}],
    "shares": [{"payee": "Zone A0", "artist": "zone.a0", "percent": "50"}],
}


def test_bedrot_statements_issues_a_period_and_a_second_issue_keeps_its_bytes(
    tmp_path: Path,
) -> None:
    lake, engine = make_lake(init_lake(tmp_path / "lake").root, SPLITS)
    add_lines(engine, "2_raw/distrokid/a.tsv", [("2025-07-14", "30.005", 100)])
    engine.dispose()

    first = bedrot_in(lake, "statements", "--period", "2025-Q3", "--issue")
    assert first.returncode == 0, first.stdout + first.stderr
    folder = lake.zone("4_curated") / "statements" / "2025-Q3"
    summary = {
        r["payee"]: r for r in csv.DictReader(io.StringIO((folder / "summary.csv").read_text()))
    }
    assert (
        summary["Zone A0"]["payable_usd"] == "15.00"
    )  # half of 30.005 rounded once: 15.0025 → 15.00
    issued = {path.name: path.read_bytes() for path in folder.iterdir()}

    again = bedrot_in(lake, "statements", "--period", "2025-Q3", "--issue")
    assert again.returncode == 0, again.stdout + again.stderr
    assert {path.name: path.read_bytes() for path in folder.iterdir()} == issued

    wrong = bedrot_in(lake, "statements", "--period", "2025-Q5")
    assert wrong.returncode == 2 and "2025-Q5" in wrong.stdout + wrong.stderr


def test_bedrot_reconcile_prints_the_months_of_a_warehouse(tmp_path: Path) -> None:
    lake = init_lake(tmp_path / "lake")
    engine = make_engine(warehouse_url(lake))
    migrate(engine)
    with Session(engine) as session:
        facts = Facts(session)
        facts.month_of_streams("Spotify", "2025-01", 1000)
        facts.royalty("Spotify", "2025-01", "2025-03-15", 31000, "93.00")
        facts.month_of_streams("Spotify", "2025-02", 1000)  # never paid
        facts.save()
    engine.dispose()

    result = bedrot_in(lake, "reconcile", env={"COLUMNS": "200"})

    assert result.returncode == 0, result.stdout + result.stderr
    assert "2025-01" in result.stdout and "2025-02" in result.stdout
    assert "missing" in result.stdout

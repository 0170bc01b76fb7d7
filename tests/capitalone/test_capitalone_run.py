"""Capital One end to end, as a user runs it: statements dropped in landing, `bedrot run`, the
curated ledger and the warehouse's expenses. The step logic is tested in-process beside this."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select

from common.lake import Lake
from common.testing import lake_with_services
from common.warehouse.database import make_engine, warehouse_url
from common.warehouse.models import Expense
from tests.capitalone.capitalone_lake import (
    FEBRUARY,
    JANUARY,
    REPO,
    SERVICE,
    curated_identity,
    curated_rows,
    drop,
    exports_ledger,
)
from tests.conftest import bedrot_in


def test_bedrot_run_folds_overlapping_statements_into_curated_and_the_warehouse(
    tmp_path: Path,
) -> None:
    lake = lake_with_services(tmp_path / "lake", REPO, [SERVICE], etl=True)
    drop(lake, JANUARY)
    drop(lake, FEBRUARY)

    run = bedrot_in(lake, "run", "--automated", "--no-extract")

    assert run.returncode == 0, run.stdout + run.stderr
    expected = exports_ledger(JANUARY, FEBRUARY)
    assert Counter(curated_identity(r) for r in curated_rows(lake)) == expected
    debits = sum((identity[4] or Decimal(0) for identity in expected.elements()), Decimal(0))
    assert _warehouse_expenses(lake) == (sum(expected.values()), debits)


def _warehouse_expenses(lake: Lake) -> tuple[int, Decimal]:
    """How many transactions the warehouse holds, and the sum of their debits."""
    engine = make_engine(warehouse_url(lake))
    try:
        with engine.connect() as connection:
            count, debits = connection.execute(
                select(func.count(), func.sum(Expense.debit_usd))
            ).one()
    finally:
        engine.dispose()
    return count, Decimal(debits)

"""The seed's ETL scripts (etl/*.py), run in this process as `python etl/<script>.py` runs them:
each loads its group of the curated files and exits 0."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest
from sqlalchemy import func, select

from common.lake import Lake
from common.warehouse.database import make_engine, warehouse_url
from common.warehouse.models import DailyStreams, Expense, RoyaltyLine, SocialDaily

CHECKOUT_ETL = Path(__file__).resolve().parents[2] / "etl"
GROUP_SCRIPTS = (
    "etl_master_data.py",
    "etl_financial_data.py",
    "etl_streaming_performance.py",
    "etl_social_media_performance.py",
)


def _run(script: Path) -> int:
    with pytest.raises(SystemExit) as ended:
        runpy.run_path(str(script), run_name="__main__")
    return int(ended.value.code or 0)


def test_each_group_script_loads_its_part_and_run_all_repeats_nothing(
    curated_lake: Lake, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROJECT_ROOT", str(curated_lake.root))
    monkeypatch.delenv("WAREHOUSE_URL", raising=False)
    for name in GROUP_SCRIPTS:
        assert _run(CHECKOUT_ETL / name) == 0, name
    engine = make_engine(warehouse_url(curated_lake))
    tables = (RoyaltyLine, Expense, DailyStreams, SocialDaily)

    def counts() -> list[int]:
        with engine.connect() as connection:
            return [
                connection.execute(select(func.count()).select_from(t)).scalar_one() for t in tables
            ]

    loaded = counts()
    assert all(count > 0 for count in loaded)
    assert _run(curated_lake.etl / "run_all_etl.py") == 0  # the lake's own copy, as step 5 runs
    assert counts() == loaded
    engine.dispose()

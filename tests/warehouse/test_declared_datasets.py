"""The declarations name what the cleaners really write, and the ETL loads what they declare."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from common.declarations import Dataset, ServiceDeclaration, service_declarations
from common.lake import Lake
from common.testing import run_step
from common.warehouse import etl
from common.warehouse.database import make_engine, warehouse_url
from common.warehouse.models import EtlRun, LinkAnalyticsDaily, RoyaltyLine, SourceFile
from common.warehouse.sources import ALL_GROUPS
from common.zones import is_zone_data_file
from tiktok import curation

# The demo has no TikTok Viewers or Content export (tiktok.demo writes Overview and Followers).
NOT_IN_DEMO = {("tiktok", "viewers"), ("tiktok", "content")}


def test_every_declared_curated_file_is_what_the_demo_run_wrote(curated_template: Path) -> None:
    lake = Lake(curated_template)
    curated = lake.zone("4_curated")
    declared = service_declarations(lake)
    datasets = [(name, d) for name, s in declared.items() for d in s.datasets]

    unwritten = set()
    for service, dataset in datasets:
        found = sorted(curated.glob(dataset.file))
        if not found:
            unwritten.add((service, dataset.name))
        elif "*" not in dataset.file:
            assert found == [curated / dataset.file]
    assert unwritten == NOT_IN_DEMO
    # Files whose name starts with "_" are bookkeeping (a dataset's lineage sidecar), not data.
    written = {p for p in curated.glob("*.csv") if is_zone_data_file(p)}
    claimed = {p for _, d in datasets for p in curated.glob(d.file)}
    assert written == claimed, f"curated files no service declares: {sorted(written - claimed)}"


def test_tiktok_declares_every_file_its_curation_writes() -> None:
    written = {curation.DAILY, *(name for name, _ in curation.TABLES.values())}

    assert {d.file for d in service_declarations()["tiktok"].datasets} == written


def test_a_dataset_with_an_unknown_loader_fails_the_etl_and_the_rest_still_loads(
    curated_lake: Lake, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real = service_declarations(curated_lake)
    typo = ServiceDeclaration(
        "linktree",
        datasets=(Dataset("daily", real["linktree"].datasets[0].file, loader="link_analytic"),),
    )
    monkeypatch.setattr(etl, "service_declarations", lambda lake: {**real, "linktree": typo})

    code = run_step(curated_lake, "warehouse", lambda ctx: etl.run_groups(ctx, ALL_GROUPS))
    shown = capsys.readouterr().err

    assert code == 1
    assert "Not loaded: service linktree declares dataset daily with the warehouse loader " in shown
    loaded = re.search(r"(\d+) file\(s\) loaded, 0 unchanged, 1 failed\.", shown)
    assert loaded is not None and int(loaded.group(1)) > 0, shown
    engine = make_engine(warehouse_url(curated_lake))
    try:
        with engine.connect() as connection:
            count = connection.execute(select(func.count()).select_from(RoyaltyLine))
            assert count.scalar_one() > 0
            links = connection.execute(select(func.count()).select_from(LinkAnalyticsDaily))
            assert links.scalar_one() == 0
            datasets = set(connection.execute(select(SourceFile.dataset)).scalars())
            assert {"royalty_lines", "daily_streams", "ad_performance_period"} <= datasets
            assert connection.execute(select(EtlRun.status)).scalar_one() == "failed"
    finally:
        engine.dispose()

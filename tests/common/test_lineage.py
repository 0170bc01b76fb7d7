"""Lineage by short file ids: round trip, stable ids, an atomic sidecar that no scan takes for
data, and the warehouse still recording each royalty line's raw export path."""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import polars as pl
import pytest

from common.curated import publish_tables
from common.lake import Lake
from common.lineage import (
    LineageError,
    read_sources,
    sources_path,
    with_source_files,
    with_source_ids,
)
from common.testing import lake_with_services
from common.warehouse.database import make_engine
from common.warehouse.models import RoyaltyLine
from common.zones import data_files
from tests.lineage_support import origin_paths
from tests.steps_support import clean_ok
from tests.warehouse.conftest import etl

REPO = Lake(Path(__file__).resolve().parents[2])
BANK = REPO.root / "tests" / "fixtures" / "distrokid" / "dk_bank_details_legacy13_CR.tsv"
JANUARY = "2_raw/distrokid/distrokid_dk_bank_details_20250105_080000.tsv"
FEBRUARY = "2_raw/distrokid/distrokid_dk_bank_details_20250205_080000.tsv"


def _rows(*paths: str) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "store": ["Spotify"] * len(paths),
            "source_file": list(paths),
            "source_row": [2, 3, 4][: len(paths)],
        }
    )


def _as_read(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame as a loader reads a curated CSV: every column as text."""
    return frame.select(pl.all().cast(pl.String))


def test_ids_map_back_to_the_paths_and_stay_put_when_new_files_arrive(tmp_path: Path) -> None:
    curated = tmp_path / "dk_bank_details.csv"

    first = with_source_ids(_rows(JANUARY, JANUARY), curated)
    second = with_source_ids(_rows(FEBRUARY, JANUARY), curated)

    assert first.columns == ["store", "source_id", "source_row"]
    assert first["source_id"].to_list() == [1, 1]
    assert second["source_id"].to_list() == [2, 1]
    assert read_sources(curated) == {1: JANUARY, 2: FEBRUARY}
    back = with_source_files(_as_read(second), curated)
    assert back["source_file"].to_list() == [FEBRUARY, JANUARY]


def test_the_sidecar_is_replaced_atomically(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    curated = tmp_path / "dk_bank_details.csv"
    with_source_ids(_rows(JANUARY), curated)
    before = sources_path(curated).read_bytes()

    def killed(source: object, target: object) -> None:
        raise OSError("the machine went down before the rename")

    monkeypatch.setattr(os, "replace", killed)
    with pytest.raises(OSError):
        with_source_ids(_rows(FEBRUARY), curated)

    assert sources_path(curated).read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [sources_path(curated).name]


def test_no_zone_scan_or_warehouse_glob_takes_the_sidecar_for_data(tmp_path: Path) -> None:
    lake = lake_with_services(tmp_path / "lake", REPO, ["distrokid"])
    curated = lake.zone("4_curated") / "dk_bank_details.csv"
    with_source_ids(_rows(JANUARY), curated).write_csv(curated)

    assert sources_path(curated).is_file()
    assert data_files(lake.zone("4_curated")) == [curated]
    assert sorted(lake.zone("4_curated").glob("dk_bank_details*.csv")) == [curated]


def test_an_id_the_sidecar_does_not_list_is_refused_with_a_reason(tmp_path: Path) -> None:
    curated = tmp_path / "dk_bank_details.csv"
    with_source_ids(_rows(JANUARY), curated)

    with pytest.raises(LineageError, match="source id"):
        with_source_files(pl.DataFrame({"source_id": ["1", "7"]}), curated)


def _origin_files(lake: Lake, url: str) -> set[str]:
    loaded = etl(lake, env={"WAREHOUSE_URL": url})
    assert loaded.returncode == 0, loaded.stderr
    with make_engine(url).connect() as connection:
        return origin_paths(connection, RoyaltyLine)


def test_the_warehouse_records_the_raw_export_path_from_the_id(tmp_path: Path) -> None:
    lake = lake_with_services(tmp_path / "lake", REPO, ["distrokid"])
    shutil.copyfile(
        BANK, lake.zone("1_landing") / "distrokid" / "dk_bank_details_20250105_080000.tsv"
    )
    clean_ok(lake, "distrokid")
    assert "source_file" not in (lake.zone("4_curated") / "dk_bank_details.csv").read_text()

    assert _origin_files(lake, f"sqlite:///{tmp_path / 'warehouse.db'}") == {JANUARY}


def test_an_older_curated_file_with_paths_still_loads(tmp_path: Path) -> None:
    lake = lake_with_services(tmp_path / "lake", REPO, ["distrokid"])
    older = pl.DataFrame(
        {
            "reporting_date": ["2025-01-25", "2025-02-25"],
            "sale_month": ["2024-11", "2024-12"],
            "store": ["Spotify", "Deezer"],
            "artist": ["PIG1987", "PIG1987"],
            "title": ["Track", "Track"],
            "isrc": ["QZHZ12400001", "QZHZ12400001"],
            "upc": ["199999000011", "199999000011"],
            "quantity": ["10", "3"],
            "team_percentage": ["100.0000", "100.0000"],
            "item_type": ["Song", "Song"],
            "country": ["US", "FR"],
            "songwriter_royalties_withheld_usd": ["0.000000000000", "0.000000000000"],
            "earnings_usd": ["0.031000000000", "-0.005000000000"],
            "recoup_usd": [None, None],
            "source_file": [JANUARY, FEBRUARY],
            "source_row": ["2", "2"],
        }
    )
    older.write_csv(lake.zone("4_curated") / "dk_bank_details.csv")

    assert _origin_files(lake, f"sqlite:///{tmp_path / 'warehouse.db'}") == {JANUARY, FEBRUARY}


def test_ids_that_are_not_consecutive_and_rows_without_a_path_map_exactly(tmp_path: Path) -> None:
    curated = tmp_path / "capitalone_transactions.csv"
    with_source_ids(_rows(JANUARY, FEBRUARY, "2_raw/x/march.csv"), curated)
    later = pl.DataFrame({"source_file": ["2_raw/x/march.csv", None, JANUARY]})

    written = with_source_ids(later.lazy(), curated).collect()

    assert written["source_id"].to_list() == [3, None, 1]


def test_published_tables_carry_short_ids_and_no_padding_beyond_cents(tmp_path: Path) -> None:
    lake = lake_with_services(tmp_path / "lake", REPO, ["metaads"])
    rows = pl.DataFrame(
        {
            "spend": ["21.40", "3"],
            "rate": ["0.500000000000", "1"],
            "source_file": [JANUARY, FEBRUARY],
        }
    ).with_columns(pl.col("spend").str.to_decimal(scale=2), pl.col("rate").str.to_decimal(scale=12))

    [target] = publish_tables(lake, logging.getLogger("test"), {"x.csv": rows}, short_lineage=True)

    assert target.read_text(encoding="utf-8") == "spend,rate,source_id\n21.40,0.5,1\n3.00,1,2\n"
    assert read_sources(target) == {1: JANUARY, 2: FEBRUARY}

"""Warehouse loads: idempotent, exact, aliases collapsed, sources failing alone, no double count."""

from __future__ import annotations

import csv
import re
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text

from common.artists import ArtistDirectory
from common.lake import Lake
from common.warehouse.database import make_engine, warehouse_url
from common.warehouse.dimensions import Dimensions
from common.warehouse.models import Artist, Expense, Platform, RoyaltyLine
from common.warehouse.summary import summarize
from tests.pgserver import PostgresServer
from tests.warehouse.conftest import NoPostgres, Warehouse, bedrot_etl, etl, require_postgres


def _sqlite(lake: Lake) -> Engine:
    return make_engine(f"sqlite:///{lake.root / 'data_warehouse' / 'bedrot_analytics.db'}")


def _curated(lake: Lake, name: str) -> list[dict[str, str]]:
    with (lake.zone("4_curated") / name).open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def test_two_etl_runs_give_identical_counts_and_sums(
    curated_lake: Lake, warehouse: Warehouse
) -> None:
    # Through `bedrot etl` itself, as a user runs it; the other tests call it in-process.
    first = bedrot_etl(curated_lake, env=warehouse.env)
    once = summarize(warehouse.engine())
    second = bedrot_etl(curated_lake, env=warehouse.env)
    twice = summarize(warehouse.engine())

    assert first.returncode == 0, first.stderr
    assert second.returncode == 0
    loaded = re.search(r"(\d+) file\(s\) loaded, 0 unchanged, 0 failed", first.stderr)
    assert loaded is not None and int(loaded[1]) >= 6
    assert f"0 file(s) loaded, {loaded[1]} unchanged, 0 failed" in second.stderr
    once.rows_per_table.pop("etl_runs")
    twice.rows_per_table.pop("etl_runs")
    assert twice == once
    assert once.rows_per_table["royalty_lines"] == len(
        _curated(curated_lake, "dk_bank_details.csv")
    )


def test_royalty_sum_equals_the_curated_sum_exactly_and_signs_are_kept(
    curated_lake: Lake, warehouse: Warehouse
) -> None:
    etl(curated_lake, env=warehouse.env)
    lines = _curated(curated_lake, "dk_bank_details.csv")

    with warehouse.engine().connect() as connection:
        total = connection.execute(select(func.sum(RoyaltyLine.earnings_usd))).scalar_one()
        negatives = connection.execute(
            select(func.count()).where(RoyaltyLine.earnings_usd < 0)
        ).scalar_one()
        expenses = connection.execute(select(func.count()).select_from(Expense)).scalar_one()

    assert total == sum(Decimal(r["earnings_usd"]) for r in lines)
    assert negatives == sum(Decimal(r["earnings_usd"]) < 0 for r in lines) > 0
    assert expenses == len(_curated(curated_lake, "capitalone_transactions.csv"))


def test_an_unknown_store_is_its_own_platform_never_spotify(
    curated_lake: Lake, warehouse: Warehouse
) -> None:
    etl(curated_lake, env=warehouse.env)
    lines = _curated(curated_lake, "dk_bank_details.csv")
    luna = sum(Decimal(r["earnings_usd"]) for r in lines if r["store"] == "LUNA")

    with warehouse.engine().connect() as connection:
        by_store = dict(
            connection.execute(
                select(Platform.name, func.sum(RoyaltyLine.earnings_usd))
                .join(Platform, Platform.id == RoyaltyLine.platform_id)
                .group_by(Platform.name)
            ).all()
        )

    assert by_store["LUNA"] == luna
    spotify = sum(Decimal(r["earnings_usd"]) for r in lines if r["store"] == "Spotify")
    assert by_store["Spotify"] == spotify


def test_every_spelling_of_an_artist_is_one_artist(
    curated_lake: Lake, warehouse: Warehouse
) -> None:
    etl(curated_lake, env=warehouse.env)
    engine = warehouse.engine()

    with engine.begin() as connection:
        dims = Dimensions(connection, ArtistDirectory.load(curated_lake))
        ids = {dims.artist(s) for s in ("ZONE A0", "zone.a0", "Zone A0", " zone_a0 ")}
        names = connection.execute(select(Artist.name).where(Artist.id.in_(ids))).scalars().all()

    assert names == ["ZONE A0"]


def test_distributor_platform_totals_equal_the_curated_sum_and_exclude_spotify_audience(
    curated_lake: Lake, warehouse: Warehouse
) -> None:
    audience = curated_lake.zone("4_curated") / "spotify_audience_curated_20251231.csv"
    audience.write_text(
        "date,artist,listeners,streams,followers,streams_28d\n2025-06-01,ZONE A0,10,999999,5,\n"
    )
    etl(curated_lake, env=warehouse.env)
    tidy = _curated(curated_lake, "tidy_daily_streams.csv")

    with warehouse.engine().connect() as connection:
        platform_total = connection.execute(
            text("SELECT SUM(streams) FROM v_streams_daily_by_platform")
        ).scalar_one()
        spotify_only = connection.execute(
            text("SELECT SUM(streams) FROM v_spotify_audience")
        ).scalar_one()

    # An empty count is a day the distributor did not report (a gap), not 0 streams.
    reported = [r[c] for r in tidy for c in ("spotify_streams", "apple_streams") if r[c] != ""]
    assert platform_total == sum(int(count) for count in reported)
    assert spotify_only == 999999


def test_a_corrupt_curated_file_fails_only_its_own_source(
    curated_lake: Lake, warehouse: Warehouse
) -> None:
    spending = curated_lake.zone("4_curated") / "capitalone_transactions.csv"
    spending.write_text("transaction_date,amount_usd,kind\n2025-01-01,twelve,expense\n")

    result = etl(curated_lake, env=warehouse.env)

    assert result.returncode == 1
    assert "Could not load 4_curated/capitalone_transactions.csv into expenses" in result.stderr
    with warehouse.engine().connect() as connection:
        assert connection.execute(select(func.count()).select_from(Expense)).scalar_one() == 0
        lines = connection.execute(select(func.count()).select_from(RoyaltyLine)).scalar_one()
    assert lines == len(_curated(curated_lake, "dk_bank_details.csv"))


def test_money_that_is_not_a_number_fails_its_file_never_loads_as_empty(
    curated_lake: Lake, warehouse: Warehouse
) -> None:
    """An optional money cell (a debit) holding text that is not a number would have loaded as
    NULL, and the expense would have cost nothing."""
    spending = curated_lake.zone("4_curated") / "capitalone_transactions.csv"
    rows = list(csv.DictReader(spending.open(encoding="utf-8", newline="")))
    debit = next(row for row in rows if row["debit_usd"])
    debit["debit_usd"] = "1,149.06"
    with spending.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)

    result = etl(curated_lake, env=warehouse.env)

    assert result.returncode == 1
    assert f"debit_usd is '1,149.06' on row {debit['source_row']}, not a number" in result.stderr
    with warehouse.engine().connect() as connection:
        assert connection.execute(select(func.count()).select_from(Expense)).scalar_one() == 0


def test_the_rows_of_a_datasets_only_curated_file_leave_with_it(
    curated_lake: Lake, warehouse: Warehouse
) -> None:
    assert etl(curated_lake, env=warehouse.env).returncode == 0
    spending = curated_lake.zone("4_curated") / "capitalone_transactions.csv"
    archived = curated_lake.zone("5_archive") / "by_hand" / spending.name
    archived.parent.mkdir(parents=True)
    spending.rename(archived)

    result = etl(curated_lake, env=warehouse.env)

    assert result.returncode == 0, result.stderr
    assert "expenses: removed the rows of files no longer in 4_curated." in result.stderr
    with warehouse.engine().connect() as connection:
        assert connection.execute(select(func.count()).select_from(Expense)).scalar_one() == 0


def test_a_changed_curated_file_replaces_its_rows_instead_of_adding(
    curated_lake: Lake, warehouse: Warehouse
) -> None:
    etl(curated_lake, env=warehouse.env)
    bank = curated_lake.zone("4_curated") / "dk_bank_details.csv"
    kept = bank.read_text(encoding="utf-8").splitlines()[:11]
    bank.write_text("\n".join(kept) + "\n", encoding="utf-8")

    assert etl(curated_lake, env=warehouse.env).returncode == 0

    with warehouse.engine().connect() as connection:
        assert connection.execute(select(func.count()).select_from(RoyaltyLine)).scalar_one() == 10


def test_the_default_warehouse_is_sqlite_in_the_lake_with_wal(
    curated_lake: Lake, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("WAREHOUSE_URL", raising=False)
    etl(curated_lake)
    database = curated_lake.root / "data_warehouse" / "bedrot_analytics.db"

    assert Path(database).is_file()
    with _sqlite(curated_lake).connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
        # Loads skip per-row key lookups; every key they wrote must still point somewhere.
        assert connection.execute(text("PRAGMA foreign_key_check")).all() == []
        indexes = {r[1] for r in connection.execute(text("PRAGMA index_list('royalty_lines')"))}
    assert indexes == {"ix_royalty_lines_reporting_date"}
    assert warehouse_url(curated_lake).endswith("data_warehouse/bedrot_analytics.db")


def test_sqlite_and_postgresql_give_the_same_summary(
    curated_lake: Lake, postgres: PostgresServer | NoPostgres
) -> None:
    pg_url = require_postgres(postgres).create_database("same_summary")
    sqlite_url = f"sqlite:///{curated_lake.root / 'data_warehouse' / 'bedrot_analytics.db'}"

    assert etl(curated_lake, env={"WAREHOUSE_URL": sqlite_url}).returncode == 0
    assert etl(curated_lake, env={"WAREHOUSE_URL": pg_url}).returncode == 0

    on_sqlite, on_postgres = summarize(make_engine(sqlite_url)), summarize(make_engine(pg_url))
    assert on_postgres == on_sqlite
    assert on_sqlite.total_revenue > 0 and on_sqlite.rows_per_table["royalty_lines"] > 0


def test_ad_spend_per_campaign_counts_each_day_once_and_matches_the_curated_summary(
    curated_lake: Lake, warehouse: Warehouse
) -> None:
    assert etl(curated_lake, env=warehouse.env).returncode == 0
    expected = {
        row["campaign"]: Decimal(row["spend"])
        for row in _curated(curated_lake, "metaads_campaign_summary.csv")
    }
    daily = _curated(curated_lake, "metaads_daily_performance.csv")

    spend = dict(summarize(warehouse.engine()).ad_spend_by_campaign)

    assert spend == expected
    assert sum(Decimal(r["spend"]) for r in daily) >= sum(expected.values())


def test_aggregates_a_killed_etl_left_behind_are_rebuilt_by_the_next_etl(
    curated_lake: Lake, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run killed after a load committed but before the refresh leaves aggregates that no
    longer match the loaded files, and every file unchanged: the next ETL still refreshes them."""
    monkeypatch.delenv("WAREHOUSE_URL", raising=False)
    assert etl(curated_lake).returncode == 0
    engine = _sqlite(curated_lake)
    with engine.begin() as connection:
        fresh = connection.execute(text("SELECT SUM(earnings_picousd) FROM agg_royalty_money"))
        total = fresh.scalar_one()
        # What the kill leaves: the refresh still notes the files loaded before the last load.
        connection.execute(text("DELETE FROM agg_royalty_money"))
        connection.execute(text("DELETE FROM agg_royalty_daily"))
        connection.execute(text("UPDATE agg_refreshes SET loaded_files = 'before the last load'"))

    again = etl(curated_lake)

    assert again.returncode == 0 and "0 file(s) loaded" in again.stderr
    with engine.connect() as connection:
        money = connection.execute(text("SELECT SUM(earnings_picousd) FROM agg_royalty_money"))
        daily = connection.execute(text("SELECT SUM(earnings_picousd) FROM agg_royalty_daily"))
        assert money.scalar_one() == total == daily.scalar_one()
    engine.dispose()


def test_the_postgresql_wait_keeps_the_urls_own_options_and_never_means_for_ever(
    postgres: PostgresServer | NoPostgres,
) -> None:
    server = require_postgres(postgres)
    url = server.create_database(f"w{uuid.uuid4().hex[:12]}")
    engine = make_engine(f"{url}?options=-csearch_path%3Dbedrot,public", busy_timeout=0)
    try:
        with engine.connect() as connection:
            wait = connection.exec_driver_sql("SHOW lock_timeout").scalar_one()
            path = connection.exec_driver_sql("SHOW search_path").scalar_one()
    finally:
        engine.dispose()

    assert wait == "1ms"  # PostgreSQL reads 0 as "wait for ever"
    assert path == "bedrot,public"


def test_a_warehouse_found_held_is_waited_for_once_not_once_per_file(
    curated_lake: Lake, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each load waits up to BEDROT_WAREHOUSE_BUSY_SECONDS (a minute) for a held warehouse:
    once it was found held, the files after it are left for the next run, not waited for again."""
    from common.warehouse import loading
    from common.warehouse.database import WarehouseBusyError

    monkeypatch.delenv("WAREHOUSE_URL", raising=False)
    tried: list[Path] = []

    def held(engine: Engine, lake: Lake, source: object, path: Path, *rest: object) -> None:
        tried.append(path)
        raise WarehouseBusyError(f"The warehouse is held by another program ({path.name}).")

    monkeypatch.setattr(loading, "_load_file", held)
    result = etl(curated_lake, "financial", "streaming")

    assert result.returncode == 1
    assert len(tried) == 1
    assert "are not tried: the warehouse is unavailable" in result.stderr
    loaded = re.search(r"0 file\(s\) loaded, 0 unchanged, (\d+) failed", result.stderr)
    assert loaded is not None and int(loaded[1]) > 1

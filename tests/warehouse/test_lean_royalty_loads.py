"""A large royalty load writes no more than queries need: only the indexes read, and values a
whole batch shares written once into the statement, stored exactly as bound ones."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, inspect, text

from common.warehouse import loading
from common.warehouse.database import UNUSED_ROYALTY_INDEXES, make_engine, migrate
from common.warehouse.loading import bulk_insert
from common.warehouse.models import RoyaltyLine, table


def test_an_existing_warehouse_keeps_only_the_royalty_indexes_its_queries_use(
    tmp_path: Path,
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'w.db'}")
    migrate(engine)
    with engine.begin() as connection:  # a warehouse made before migrations 12 and 14
        for name in (*UNUSED_ROYALTY_INDEXES, "ix_royalty_lines_source_file_id"):
            connection.execute(text(f"CREATE INDEX {name} ON royalty_lines (platform_id)"))
        connection.execute(text("DELETE FROM schema_migrations WHERE version IN (12, 14)"))

    migrate(engine)

    with engine.connect() as connection:
        present = {index["name"] for index in inspect(connection).get_indexes("royalty_lines")}
        # Statements read the newest reporting date through an index, not a scan of millions
        # of lines. A reload deletes every line (one curated file feeds them all): no index.
        newest_plan = " ".join(
            str(row[-1])
            for row in connection.execute(
                text("EXPLAIN QUERY PLAN SELECT MAX(reporting_date) FROM royalty_lines")
            )
        )
    declared = {index.name for index in table(RoyaltyLine).indexes}
    assert present == declared == {"ix_royalty_lines_reporting_date"}
    assert "ix_royalty_lines_reporting_date" in newest_plan


SHARED = MetaData()
LINES = Table(
    "shared_lines",
    SHARED,
    Column("id", Integer, primary_key=True),
    Column("artist", String(50)),
    Column("store", String(50)),
    Column("quantity", Integer),
    Column("file_id", Integer),
    Column("recoup", Integer),
)


def test_values_a_batch_shares_are_stored_exactly_as_bound_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loading, "BATCH_ROWS", 4)
    engine = make_engine(f"sqlite:///{tmp_path / 'w.db'}")
    SHARED.create_all(engine)
    # Batches of 4: the first shares a name with a quote, a count and an empty recoup, the
    # second has a missing artist between equal ones, the third text that reads like numbers.
    frame = pl.DataFrame(
        {
            "artist": ["Sinéad O'Brien"] * 4
            + ["ZONE A0", None, "ZONE A0", "ZONE A0"]
            + ["0042"] * 4,
            "store": ["Apple Music"] * 4 + ["Spotify"] * 4 + ["1e3"] * 4,
            "quantity": [2] * 4 + [1, 2, 3, 4] + [-(2**63)] * 4,
            "file_id": [7] * 12,
            "recoup": [None] * 4 + [5, None, 6, 7] + [None] * 4,
        }
    )

    with engine.begin() as connection:
        bulk_insert(connection, LINES, tuple(frame.columns), frame)
    with engine.connect() as connection:
        back = connection.execute(
            text(
                "SELECT artist, typeof(artist), store, typeof(store), quantity, typeof(quantity),"
                " file_id, recoup, typeof(recoup) FROM shared_lines ORDER BY id"
            )
        ).all()

    assert [(r[0], r[2], r[4], r[6], r[7]) for r in back] == list(frame.iter_rows())
    assert {r[1] for r in back if r[0] is not None} == {"text"}
    assert {r[3] for r in back} == {"text"} and {r[5] for r in back} == {"integer"}
    assert back[5][1] == "null" and {r[8] for r in back if r[7] is None} == {"null"}

"""The warehouse's upkeep log: when it was last analysed and vacuumed, and what a VACUUM gave
back. Step 6 reads it to decide what is due (see `common.warehouse.upkeep`)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Connection, DateTime, Integer, MetaData, String, Table

UPKEEP = MetaData()
UPKEEP_LOG: Table = Table(
    "warehouse_upkeep",
    UPKEEP,
    Column("id", Integer, primary_key=True),
    Column("task", String(20), nullable=False),  # analyze | vacuum
    Column("done_at", DateTime, nullable=False),
    Column("bytes_before", BigInteger),
    Column("bytes_after", BigInteger),
)


def create_upkeep_log(connection: Connection) -> None:
    """Migration 11: the upkeep log."""
    UPKEEP.create_all(connection, checkfirst=True)

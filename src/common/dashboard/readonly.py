"""The dashboard's own engine on the warehouse: it can read, never write.

SQLite is opened with `mode=ro` (a missing database is not created) and `PRAGMA query_only`, and
waits for a writing ETL instead of failing (the warehouse runs in WAL mode, so readers see the
last committed load while the next one writes). PostgreSQL sessions are READ ONLY transactions.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import QueuePool

from common.lake import Lake
from common.warehouse.database import warehouse_url

BUSY_TIMEOUT_SECONDS = 10.0


def read_only_engine(lake: Lake) -> Engine:
    url = make_url(warehouse_url(lake))
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        return _sqlite_read_only(Path(str(url.database)))
    engine = create_engine(url, pool_pre_ping=True)
    if engine.dialect.name == "postgresql":
        event.listen(engine, "connect", _postgres_read_only)
    return engine


def _sqlite_read_only(database: Path) -> Engine:
    uri = f"{database.resolve().as_uri()}?mode=ro"  # file:///C:/... on Windows too

    def connect() -> sqlite3.Connection:
        connection = sqlite3.connect(
            uri, uri=True, check_same_thread=False, timeout=BUSY_TIMEOUT_SECONDS
        )
        connection.execute("PRAGMA query_only=ON")
        return connection

    return create_engine(
        "sqlite://", creator=connect, poolclass=QueuePool, pool_size=5, max_overflow=10
    )


def _postgres_read_only(dbapi_connection: Any, _: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
    cursor.close()
    dbapi_connection.commit()

"""Which database (WAREHOUSE_URL, else SQLite under the lake), its settings and its migrations.

Migrations are a short ordered list kept in a `schema_migrations` table rather than Alembic:
the schema is young, every step is plain SQLAlchemy that runs the same on SQLite and
PostgreSQL, and the ETL applies what is missing before it loads anything.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text

from common.lake import Lake
from common.warehouse.models import AdPerformancePeriod, Base, table

DEFAULT_SQLITE = "data_warehouse/bedrot_analytics.db"

V_STREAMS_DAILY_BY_PLATFORM = """
CREATE VIEW v_streams_daily_by_platform AS
SELECT s.stream_date AS stream_date, p.name AS platform, SUM(s.streams) AS streams
FROM daily_streams s JOIN platforms p ON p.id = s.platform_id
GROUP BY s.stream_date, p.name
"""
V_SPOTIFY_AUDIENCE = """
CREATE VIEW v_spotify_audience AS
SELECT a.audience_date AS audience_date, r.name AS artist, a.listeners, a.streams,
       a.followers, a.streams_28d
FROM spotify_audience_daily a JOIN artists r ON r.id = a.artist_id
"""

# Meta Ads spend that may be added up: each day at the coarsest level Meta reported it at, then
# each range (ad_performance_period) none of whose days has a daily row and that no other such
# range of its campaign overlapping it beats by being narrower (on equal length: starting
# earlier), at its coarsest level. No day is in two rows, so SUM(spend) counts each day once.
# metaads.spans applies the same rule to the curated campaign summary.
V_AD_SPEND = """
CREATE VIEW v_ad_spend AS
SELECT d.campaign_id AS campaign_id, d.performance_date AS span_start,
       d.performance_date AS span_end, 1 AS days, 'day' AS span_kind, d.level_rank AS level_rank,
       d.adset_external_id AS adset_external_id, d.ad_external_id AS ad_external_id,
       d.spend AS spend, NULLIF(d.currency, '') AS currency, d.link_clicks AS link_clicks,
       d.source_file_id AS source_file_id
FROM ad_performance_daily d
WHERE d.level_rank = (
    SELECT MIN(f.level_rank) FROM ad_performance_daily f
    WHERE f.campaign_id = d.campaign_id AND f.performance_date = d.performance_date)
UNION ALL
SELECT p.campaign_id, p.period_start, p.period_end, p.days, 'range', p.level_rank,
       p.adset_external_id, p.ad_external_id, p.spend, p.currency, p.link_clicks,
       p.source_file_id
FROM ad_performance_period p
WHERE p.level_rank = (
    SELECT MIN(f.level_rank) FROM ad_performance_period f
    WHERE f.campaign_id = p.campaign_id AND f.period_start = p.period_start
      AND f.period_end = p.period_end)
  AND NOT EXISTS (
    SELECT 1 FROM ad_performance_daily d
    WHERE d.campaign_id = p.campaign_id
      AND d.performance_date BETWEEN p.period_start AND p.period_end)
  AND NOT EXISTS (
    SELECT 1 FROM ad_performance_period q
    WHERE q.campaign_id = p.campaign_id
      AND q.period_start <= p.period_end AND p.period_start <= q.period_end
      AND (q.days < p.days OR (q.days = p.days AND q.period_start < p.period_start))
      AND NOT EXISTS (
        SELECT 1 FROM ad_performance_daily e
        WHERE e.campaign_id = q.campaign_id
          AND e.performance_date BETWEEN q.period_start AND q.period_end))
"""


def warehouse_url(lake: Lake) -> str:
    configured = os.environ.get("WAREHOUSE_URL")
    if configured:
        return configured
    return f"sqlite:///{(lake.root / DEFAULT_SQLITE).as_posix()}"


def _sqlite_settings(dbapi_connection: Any, _: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA cache_size=-262144")  # 256 MiB: big loads stay in memory
    cursor.execute("PRAGMA temp_store=MEMORY")
    cursor.execute("PRAGMA threads=2")  # index builds sort on both cores
    cursor.close()


def make_engine(url: str) -> Engine:
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        database = engine.url.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        event.listen(engine, "connect", _sqlite_settings)
    return engine


def _create_schema(connection: Connection) -> None:
    Base.metadata.create_all(connection)


def _create_views(connection: Connection) -> None:
    for view in (V_STREAMS_DAILY_BY_PLATFORM, V_SPOTIFY_AUDIENCE):
        connection.execute(text(view))


def _add_ad_periods(connection: Connection) -> None:
    """Meta Ads ranges get their own table (a new database already has it from step 1), and
    v_ad_spend decides which of them count beside the daily rows."""
    table(AdPerformancePeriod).create(connection, checkfirst=True)
    connection.execute(text(V_AD_SPEND))


MIGRATIONS: list[tuple[int, str, Callable[[Connection], None]]] = [
    (1, "tables and indexes", _create_schema),
    (2, "views that keep distributor and Spotify streams apart", _create_views),
    (3, "Meta Ads per-period performance and the v_ad_spend view", _add_ad_periods),
]


def migrate(engine: Engine) -> list[str]:
    """Apply the migrations this database has not had yet; returns their descriptions."""
    applied: list[str] = []
    with engine.begin() as connection:
        connection.execute(
            text(
                "CREATE TABLE IF NOT EXISTS schema_migrations "
                "(version INTEGER PRIMARY KEY, description VARCHAR(200), applied_at VARCHAR(40))"
            )
        )
        done = {row[0] for row in connection.execute(text("SELECT version FROM schema_migrations"))}
    for version, description, step in MIGRATIONS:
        if version in done:
            continue
        with engine.begin() as connection:
            step(connection)
            connection.execute(
                text("INSERT INTO schema_migrations VALUES (:v, :d, :t)"),
                {"v": version, "d": description, "t": datetime.now(timezone.utc).isoformat()},
            )
        applied.append(description)
    return applied

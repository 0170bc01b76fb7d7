"""Warehouse money any SQL tool reads right: columns named for their unit (picodollars), views
that show dollars (SUM included) beside the exact text, sums that never overflow, and the
migration that brings an older warehouse there without changing a value."""

from __future__ import annotations

import sqlite3
import uuid
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, Engine, inspect, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from common.warehouse.database import (
    MONEY_RENAMES,
    ORIGIN_TABLES,
    V_SPOTIFY_AUDIENCE,
    V_STREAMS_DAILY_BY_PLATFORM,
    make_engine,
    migrate,
)
from common.warehouse.models import (
    AdAction,
    AdPerformanceDaily,
    AdPerformancePeriod,
    Base,
    Campaign,
    Expense,
    Platform,
    RoyaltyLine,
    SourceFile,
)
from common.warehouse.summary import summarize
from tests.lineage_support import origin_id
from tests.pgserver import PostgresServer
from tests.warehouse.conftest import NoPostgres, require_postgres

FIVE_MILLION = Decimal("5000000.123456789012")
CATALOGUE_LINES = 20  # 20 × 5,000,000.123456789012 USD: past SQLite's 9.2 M USD per SUM
ADJUSTMENT = Decimal("-0.011400720000")
CENT = Decimal("0.01")
PICO = 10**12


def _sqlite_path(tmp_path: Path) -> Path:
    return tmp_path / "warehouse.db"


@pytest.fixture(params=["sqlite", "postgresql"])
def database(
    request: pytest.FixtureRequest, tmp_path: Path, postgres: PostgresServer | NoPostgres
) -> Iterator[Engine]:
    """An empty warehouse URL's engine (not migrated), on SQLite or on PostgreSQL."""
    if request.param == "sqlite":
        url = f"sqlite:///{_sqlite_path(tmp_path)}"
    else:
        url = require_postgres(postgres).create_database(f"money{uuid.uuid4().hex[:10]}")
    engine = make_engine(url)
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_warehouse(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{_sqlite_path(tmp_path)}")
    migrate(engine)
    yield engine
    engine.dispose()


def _source_and_store(session: Session) -> tuple[int, int]:
    source = SourceFile(
        path="4_curated/dk_bank_details.csv",
        dataset="bank_details",
        sha256="0" * 64,
        row_count=0,
        loaded_at=datetime(2025, 10, 1),
    )
    store = Platform(name="Spotify")
    session.add_all([source, store])
    session.flush()
    return source.id, store.id


def _add_lines(engine: Engine, amounts: list[tuple[date, Decimal, Decimal | None]]) -> None:
    """Royalty lines of (reporting date, earnings, team percentage), through the ORM."""
    with Session(engine) as session:
        source, store = _source_and_store(session)
        session.add_all(
            RoyaltyLine(
                reporting_date=reported,
                sale_month=f"{reported.year}-{reported.month:02d}",
                platform_id=store,
                quantity=1,
                team_percentage=share,
                earnings_usd=amount,
                origin_file_id=origin_id(session.connection(), "bank.tsv"),
                origin_row=row,
                source_file_id=source,
            )
            for row, (reported, amount, share) in enumerate(amounts)
        )
        session.commit()


def _catalogue() -> list[tuple[date, Decimal, Decimal | None]]:
    lines = [(date(2025, 1 + i % 2, 15), FIVE_MILLION, Decimal(100)) for i in range(20)]
    return [*lines, (date(2025, 1, 15), ADJUSTMENT, Decimal(50))]


def _rows(engine: Engine, sql: str) -> list[Any]:
    with engine.connect() as connection:
        return list(connection.execute(text(sql)))


def test_sqlite3_reads_the_royalty_view_as_dollars_and_exact_text(
    sqlite_warehouse: Engine, tmp_path: Path
) -> None:
    amounts = [
        Decimal("0.011400720000"),
        Decimal("-0.003"),
        Decimal("12.5"),
        Decimal("0.000000000001"),
    ]
    _add_lines(sqlite_warehouse, [(date(2025, 3, 5), a, Decimal(100)) for a in amounts])

    with sqlite3.connect(_sqlite_path(tmp_path)) as plain:
        total = plain.execute("SELECT SUM(earnings_usd) FROM v_royalty_lines").fetchone()[0]
        texts = [
            r[0] for r in plain.execute("SELECT earnings_exact FROM v_royalty_lines ORDER BY id")
        ]
        store, units = plain.execute(
            "SELECT store, earnings_picousd FROM v_royalty_lines"
        ).fetchone()

    assert isinstance(total, float)
    assert Decimal(repr(total)).quantize(CENT) == sum(amounts, Decimal(0)).quantize(CENT)
    assert [Decimal(t) for t in texts] == amounts
    assert texts[0] == "0.011400720000" and texts[1] == "-0.003000000000"
    assert (store, units) == ("Spotify", 11_400_720_000)


def test_team_percentage_50_reads_50_in_sqlite3(sqlite_warehouse: Engine, tmp_path: Path) -> None:
    shares = [Decimal(50), Decimal("33.5"), Decimal(100), None]
    _add_lines(sqlite_warehouse, [(date(2025, 3, 5), Decimal(1), s) for s in shares])

    with sqlite3.connect(_sqlite_path(tmp_path)) as plain:
        raw = [r[0] for r in plain.execute("SELECT team_percentage FROM royalty_lines ORDER BY id")]
        viewed = [
            r[0] for r in plain.execute("SELECT team_percentage FROM v_royalty_lines ORDER BY id")
        ]
    with Session(sqlite_warehouse) as session:
        read_back = list(
            session.scalars(select(RoyaltyLine.team_percentage).order_by(RoyaltyLine.id))
        )

    assert raw == viewed == [50, 33.5, 100, None]
    assert read_back == shares


def test_a_100_million_catalogue_sums_exactly_on_every_database(database: Engine) -> None:
    migrate(database)
    _add_lines(database, _catalogue())
    exact = FIVE_MILLION * CATALOGUE_LINES + ADJUSTMENT

    summary = summarize(database)
    monthly = _rows(
        database, "SELECT reporting_month, earnings_exact, earnings_usd FROM v_royalty_monthly"
    )
    dollars = _rows(database, "SELECT SUM(earnings_usd) FROM v_royalty_lines")[0][0]

    assert exact == Decimal("100000002.457735060240")
    assert summary.total_revenue == exact
    assert dict(summary.revenue_by_month) == {
        "2025-01": FIVE_MILLION * 10 + ADJUSTMENT,
        "2025-02": FIVE_MILLION * 10,
    }
    assert summary.revenue_by_store == [("Spotify", exact)]
    assert sorted((m, Decimal(t)) for m, t, _ in monthly) == [
        ("2025-01", FIVE_MILLION * 10 + ADJUSTMENT),
        ("2025-02", FIVE_MILLION * 10),
    ]
    assert sum(Decimal(t) for _, t, _ in monthly) == exact
    assert Decimal(str(dollars)).quantize(CENT) == exact.quantize(CENT)
    assert sum(Decimal(str(u)) for _, _, u in monthly).quantize(CENT) == exact.quantize(CENT)


def test_sqlite_plain_sum_of_picodollars_would_overflow_so_views_split_it(
    sqlite_warehouse: Engine,
) -> None:
    """Why the exact views and `exact_sum` exist: one SQLite SUM stops at 9.2 million USD."""
    _add_lines(sqlite_warehouse, _catalogue())

    with pytest.raises(OperationalError, match="integer overflow"):
        _rows(sqlite_warehouse, "SELECT SUM(earnings_picousd) FROM royalty_lines")
    assert summarize(sqlite_warehouse).total_revenue == FIVE_MILLION * 20 + ADJUSTMENT


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["2025-01-10", "2025-02-10"]),
            st.integers(min_value=-(9 * 10**18), max_value=9 * 10**18),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_the_monthly_view_is_exact_for_any_signed_amounts(
    amounts: list[tuple[str, int]],
) -> None:
    """Lines of any sign and size (each within one SQLite integer): the monthly exact text is
    the Decimal total, though the picodollar sum itself may pass 64 bits."""
    engine = make_engine("sqlite://")
    migrate(engine)
    lines = [(date.fromisoformat(d), Decimal(units) / PICO, None) for d, units in amounts]
    _add_lines(engine, lines)
    expected: dict[str, Decimal] = defaultdict(Decimal)
    for day, amount, _ in lines:
        expected[day.isoformat()[:7]] += amount

    viewed = _rows(engine, "SELECT reporting_month, earnings_exact FROM v_royalty_monthly")

    assert {month: Decimal(exact) for month, exact in viewed} == expected


def _campaign_rows(session: Session, source: int) -> None:
    meta = Platform(name="Meta Ads", kind="advertising")
    session.add(meta)
    session.flush()
    campaign = Campaign(external_id="c1", name="PIG1987 - NIGHT SHIFT - BROAD", platform_id=meta.id)
    session.add(campaign)
    session.flush()
    session.add_all(
        [
            AdPerformanceDaily(
                performance_date=date(2025, 3, day),
                campaign_id=campaign.id,
                level_rank=1,
                spend=Decimal("10.005"),
                currency="USD",
                source_file_id=source,
            )
            for day in (1, 2)
        ]
    )


def test_expenses_and_ad_spend_views_read_as_dollars_in_sqlite3(
    sqlite_warehouse: Engine, tmp_path: Path
) -> None:
    with Session(sqlite_warehouse) as session:
        source, _ = _source_and_store(session)
        session.add(
            Expense(
                transaction_date=date(2025, 3, 2),
                card_last4="1234",
                description="FACEBK *ADS",
                category="Other Services",
                debit_usd=Decimal("20.01"),
                amount_usd=Decimal("-20.01"),
                kind="expense",
                origin_file_id=origin_id(session.connection(), "card.csv"),
                origin_row=1,
                source_file_id=source,
            )
        )
        _campaign_rows(session, source)
        session.commit()

    with sqlite3.connect(_sqlite_path(tmp_path)) as plain:
        expense = plain.execute(
            "SELECT description, card, debit_usd, debit_exact, credit_usd, amount_exact "
            "FROM v_expenses"
        ).fetchone()
        spend = plain.execute(
            "SELECT campaign, SUM(spend_usd), COUNT(*) FROM v_ad_spend GROUP BY campaign"
        ).fetchone()
        texts = [r[0] for r in plain.execute("SELECT spend_exact FROM v_ad_spend")]

    assert expense == ("FACEBK *ADS", "1234", 20.01, "20.010000000000", None, "-20.010000000000")
    assert spend == ("PIG1987 - NIGHT SHIFT - BROAD", pytest.approx(20.01), 2)
    assert texts == ["10.005000000000", "10.005000000000"]
    assert summarize(sqlite_warehouse).ad_spend_by_campaign == [
        ("PIG1987 - NIGHT SHIFT - BROAD", Decimal("20.01"))
    ]


# --- migration 4: a warehouse made before money columns were named for their unit -----------

# v_ad_spend as migration 3 created it, reading the old `spend` columns.
OLD_V_AD_SPEND = """
CREATE VIEW v_ad_spend AS
SELECT d.campaign_id AS campaign_id, d.performance_date AS span_start,
       d.performance_date AS span_end, 1 AS days, 'day' AS span_kind, d.level_rank AS level_rank,
       d.adset_external_id AS adset_external_id, d.ad_external_id AS ad_external_id,
       d.spend AS spend, NULLIF(d.currency, '') AS currency, d.link_clicks AS link_clicks,
       d.source_file_id AS source_file_id
FROM ad_performance_daily d
UNION ALL
SELECT p.campaign_id, p.period_start, p.period_end, p.days, 'range', p.level_rank,
       p.adset_external_id, p.ad_external_id, p.spend, p.currency, p.link_clicks,
       p.source_file_id
FROM ad_performance_period p
"""


def _old_schema(connection: Connection) -> None:
    """The schema of migrations 1-3: money columns under their attribute names, holding
    picodollar integers on SQLite and NUMERIC(38, 12) dollars on PostgreSQL."""
    sqlite = connection.dialect.name == "sqlite"
    Base.metadata.create_all(connection)
    for table_name, old, new in MONEY_RENAMES:
        connection.execute(text(f"ALTER TABLE {table_name} RENAME COLUMN {new} TO {old}"))
        if not sqlite:
            connection.execute(
                text(f"ALTER TABLE {table_name} ALTER COLUMN {old} TYPE NUMERIC(38, 12)")
            )
    if sqlite:  # was a Money column: BIGINT of picounits
        connection.execute(text("ALTER TABLE royalty_lines DROP COLUMN team_percentage"))
        connection.execute(text("ALTER TABLE royalty_lines ADD COLUMN team_percentage BIGINT"))
    else:
        connection.execute(
            text("ALTER TABLE royalty_lines ALTER COLUMN team_percentage TYPE NUMERIC(38, 12)")
        )
    for name in ORIGIN_TABLES:  # each row named its raw export by path until migration 13
        connection.execute(text(f"ALTER TABLE {name} DROP COLUMN origin_file_id"))
        connection.execute(text(f"ALTER TABLE {name} ADD COLUMN origin_file VARCHAR(500)"))
    connection.execute(text("DROP TABLE origin_files"))
    for view in (V_STREAMS_DAILY_BY_PLATFORM, V_SPOTIFY_AUDIENCE, OLD_V_AD_SPEND):
        connection.execute(text(view))
    connection.execute(
        text(
            "CREATE TABLE schema_migrations "
            "(version INTEGER PRIMARY KEY, description VARCHAR(200), applied_at VARCHAR(40))"
        )
    )
    for version in (1, 2, 3):
        connection.execute(
            text("INSERT INTO schema_migrations VALUES (:v, 'old', '2025-01-01')"), {"v": version}
        )


def _old_money(amount: Decimal, sqlite: bool) -> Any:
    return int(amount * PICO) if sqlite else amount


def _old_rows(connection: Connection) -> None:
    sqlite = connection.dialect.name == "sqlite"

    def m(amount: Decimal) -> Any:
        return _old_money(amount, sqlite)

    statements: list[tuple[str, dict[str, Any]]] = [
        ("INSERT INTO platforms (id, name, kind) VALUES (1, 'Spotify', 'store')", {}),
        ("INSERT INTO platforms (id, name, kind) VALUES (2, 'Meta Ads', 'advertising')", {}),
        (
            "INSERT INTO source_files (id, path, dataset, sha256, row_count, loaded_at) "
            "VALUES (1, 'f.csv', 'd', 'x', 0, '2025-01-01 00:00:00')",
            {},
        ),
        (
            "INSERT INTO campaigns (id, external_id, name, platform_id) "
            "VALUES (1, 'c1', 'PIG1987 - NIGHT SHIFT - BROAD', 2)",
            {},
        ),
    ]
    for row, (amount, share) in enumerate(((FIVE_MILLION, "50"), (ADJUSTMENT, "33.5"))):
        statements.append(
            (
                "INSERT INTO royalty_lines (reporting_date, sale_month, platform_id, quantity, "
                "team_percentage, earnings_usd, songwriter_royalties_withheld_usd, recoup_usd, "
                "origin_file, origin_row, source_file_id) VALUES ('2025-01-15', '2024-11', 1, 3, "
                ":share, :earn, :withheld, NULL, 'bank.tsv', :row, 1)",
                {"share": m(Decimal(share)), "earn": m(amount), "withheld": m(Decimal("0.25")),
                 "row": row},  # fmt: skip
            )
        )
    statements += [
        (
            "INSERT INTO expenses (transaction_date, description, debit_usd, credit_usd, "
            "amount_usd, kind, origin_file, origin_row, source_file_id) VALUES "
            "('2025-01-03', 'FACEBK', :d, NULL, :a, 'expense', 'card.csv', 1, 1)",
            {"d": m(Decimal("20.01")), "a": m(Decimal("-20.01"))},
        ),
        (
            "INSERT INTO ad_performance_daily (performance_date, campaign_id, level_rank, spend, "
            "currency, source_file_id) VALUES ('2025-01-02', 1, 1, :s, 'USD', 1)",
            {"s": m(Decimal("10.005"))},
        ),
        (
            "INSERT INTO ad_performance_period (period_start, period_end, days, campaign_id, "
            "level_rank, spend, currency, source_file_id) "
            "VALUES ('2025-02-01', '2025-02-28', 28, 1, 1, :s, 'USD', 1)",
            {"s": m(Decimal("99.99"))},
        ),
        (
            "INSERT INTO ad_actions (action_date, campaign_id, level_rank, action_type, value, "
            "source_file_id) VALUES ('2025-01-02', 1, 1, 'link_click', :v, 1)",
            {"v": m(Decimal(7))},
        ),
    ]
    for sql, values in statements:
        connection.execute(text(sql), values)


def test_migration_4_renames_money_columns_and_keeps_every_value(database: Engine) -> None:
    with database.begin() as connection:
        _old_schema(connection)
        _old_rows(connection)

    applied = migrate(database)

    assert applied[0] == "money columns named for their unit (picodollars) and readable money views"
    with Session(database) as session:
        lines = session.execute(
            select(
                RoyaltyLine.earnings_usd,
                RoyaltyLine.team_percentage,
                RoyaltyLine.songwriter_royalties_withheld_usd,
            ).order_by(RoyaltyLine.origin_row)
        ).all()
        expense = session.execute(select(Expense.debit_usd, Expense.amount_usd)).one()
        spend = session.scalars(select(AdPerformanceDaily.spend)).one()
        period = session.scalars(select(AdPerformancePeriod.spend)).one()
        action = session.scalars(select(AdAction.value)).one()
    assert [tuple(line) for line in lines] == [
        (FIVE_MILLION, Decimal(50), Decimal("0.25")),
        (ADJUSTMENT, Decimal("33.5"), Decimal("0.25")),
    ]
    assert tuple(expense) == (Decimal("20.01"), Decimal("-20.01"))
    assert (spend, period, action) == (Decimal("10.005"), Decimal("99.99"), Decimal(7))
    summary = summarize(database)
    assert summary.total_revenue == FIVE_MILLION + ADJUSTMENT
    assert summary.ad_spend_by_campaign == [("PIG1987 - NIGHT SHIFT - BROAD", Decimal("109.995"))]
    raw = _rows(database, "SELECT earnings_picousd, team_percentage FROM royalty_lines ORDER BY id")
    assert [(int(units), Decimal(str(share))) for units, share in raw] == [
        (5_000_000_123_456_789_012, Decimal(50)),
        (-11_400_720_000, Decimal("33.5")),
    ]
    viewed = _rows(database, "SELECT earnings_exact FROM v_royalty_lines ORDER BY id")
    assert [Decimal(row[0]) for row in viewed] == [FIVE_MILLION, ADJUSTMENT]
    # Migration 13: the paths moved to origin_files; the views still show each row's export.
    origins = _rows(database, "SELECT source_file FROM v_royalty_lines ORDER BY id")
    assert [row[0] for row in origins] == ["bank.tsv", "bank.tsv"]
    assert [row[0] for row in _rows(database, "SELECT source_file FROM v_expenses")] == ["card.csv"]
    assert sorted(row[0] for row in _rows(database, "SELECT path FROM origin_files")) == [
        "bank.tsv",
        "card.csv",
    ]
    with database.connect() as connection:
        assert "origin_file" not in {
            c["name"] for c in inspect(connection).get_columns("royalty_lines")
        }
    assert migrate(database) == []


def _old_sqlite_warehouse(tmp_path: Path) -> Engine:
    """A SQLite warehouse as migrations 1-3 left it, with the old rows."""
    engine = make_engine(f"sqlite:///{_sqlite_path(tmp_path)}")
    with engine.begin() as connection:
        _old_schema(connection)
        _old_rows(connection)
    return engine


def test_a_migration_step_that_fails_on_sqlite_leaves_what_it_had_changed_as_it_was(
    tmp_path: Path,
) -> None:
    engine = _old_sqlite_warehouse(tmp_path)
    with engine.begin() as connection:
        # SQLite will not drop an indexed column: migration 13 fails after dropping the views.
        connection.execute(text("CREATE INDEX ix_old_origin ON royalty_lines (origin_file)"))

    with pytest.raises(OperationalError, match="origin_file"):
        migrate(engine)

    # Migrations 4-12 stayed; 13 left nothing half done: the views it had dropped are back.
    viewed = _rows(engine, "SELECT source_file, earnings_exact FROM v_royalty_lines ORDER BY id")
    assert [(row[0], Decimal(row[1])) for row in viewed] == [
        ("bank.tsv", FIVE_MILLION),
        ("bank.tsv", ADJUSTMENT),
    ]
    assert [row[0] for row in _rows(engine, "SELECT source_file FROM v_expenses")] == ["card.csv"]
    versions = [row[0] for row in _rows(engine, "SELECT version FROM schema_migrations")]
    assert 12 in versions and 13 not in versions
    engine.dispose()


def test_migration_4_leaves_sqlite_team_percentage_readable_as_the_number(
    tmp_path: Path,
) -> None:
    engine = _old_sqlite_warehouse(tmp_path)
    migrate(engine)
    engine.dispose()

    with sqlite3.connect(_sqlite_path(tmp_path)) as plain:
        shares = [
            r[0] for r in plain.execute("SELECT team_percentage FROM v_royalty_lines ORDER BY id")
        ]
        spend = plain.execute("SELECT SUM(spend_usd) FROM v_ad_spend").fetchone()[0]

    assert shares == [50, 33.5]
    assert spend == pytest.approx(109.995)


def test_the_summary_reads_a_warehouse_that_lacks_a_newer_table(sqlite_warehouse: Engine) -> None:
    """The report reads the warehouse without migrating it: a table whose migration has not run
    there yet (a newer feature's) is left out of the counts instead of failing the summary."""
    _add_lines(sqlite_warehouse, _catalogue())
    with sqlite_warehouse.begin() as connection:
        connection.execute(text("DROP TABLE link_analytics_daily"))

    summary = summarize(sqlite_warehouse)

    assert "link_analytics_daily" not in summary.rows_per_table
    assert summary.rows_per_table["royalty_lines"] == CATALOGUE_LINES + 1


DOCUMENTED_VIEWS = (
    "v_royalty_lines",
    "v_royalty_monthly",
    "v_expenses",
    "v_ad_spend",
    "v_statements",
    "v_stream_rates",
    "v_reporting_lag",
    "v_expected_vs_actual",
    "v_campaign_attribution",
    "v_ad_charges",
    "v_net_income",
)


def test_every_documented_money_view_answers_on_every_database(database: Engine) -> None:
    migrate(database)
    with database.connect() as connection:
        for view in DOCUMENTED_VIEWS:
            result = connection.execute(text(f"SELECT * FROM {view}"))
            columns = list(result.keys())
            assert result.fetchall() == [], view
            money = [c for c in columns if c.endswith("_usd")]
            assert money == [] or all(c.removesuffix("_usd") + "_exact" in columns for c in money)

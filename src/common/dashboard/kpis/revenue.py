"""Revenue: royalties by month, store, artist, distributor and country (from the pre-aggregated
royalty groups), per-stream rates, expected against actual, and statements per payee."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Connection, FromClause, func, select, text

from common.dashboard.kpis.figures import (
    Kpi,
    PageData,
    bar_chart,
    count_kpi,
    empty_page,
    money_kpi,
    table,
    usd,
)
from common.dashboard.kpis.filters import Filters, artist_id, period_text
from common.dashboard.kpis.queries import money_sums, month_of
from common.dashboard.kpis.statements import statement_rows
from common.lake import Lake
from common.warehouse.aggregates import royalty_groups
from common.warehouse.models import Artist, Platform, Territory, Track
from common.warehouse.money_sql import exact_total

ROYALTIES = "DistroKid bank details (royalty lines by reporting date)"
RATES = "v_stream_rates (royalty ÷ streams of streaming lines)"
EXPECTED = "v_expected_vs_actual (distributor streams × trailing rate against royalties)"
DIMENSIONS = ("month", "store", "artist", "country", "track", "distributor")
# Every royalty line in the warehouse comes from DistroKid's bank details (TooLost reports
# streams, not money), so "by distributor" has one row until another distributor pays.
ROYALTY_DISTRIBUTOR = "DistroKid"


class RoyaltyScope:
    """The royalty groups and the filter's conditions on them (dates, artist)."""

    def __init__(self, connection: Connection, filters: Filters) -> None:
        self.connection = connection
        self.groups: FromClause = royalty_groups(connection)
        self.artist = artist_id(connection, filters)
        self.filters = filters

    def where(
        self, first: date | None = None, last: date | None = None
    ) -> list[ColumnElement[bool]]:
        """Conditions for reporting dates in [first, last] (default: the filter's range)."""
        c = self.groups.c
        first = first if first is not None else self.filters.start
        last = last if last is not None else self.filters.end
        conditions: list[ColumnElement[bool]] = []
        if first is not None:
            conditions.append(c.reporting_date >= first)
        if last is not None:
            conditions.append(c.reporting_date <= last)
        if self.artist is not None:
            conditions.append(c.artist_id == self.artist)
        return conditions

    def total(self, first: date | None = None, last: date | None = None) -> Decimal | None:
        """Exact royalties in the range; None when no line is in it."""
        c = self.groups.c
        query = select(func.sum(c.lines), *money_sums(c.earnings_picousd, self.connection))
        row = self.connection.execute(query.where(*self.where(first, last))).one()
        return None if row[0] is None else exact_total(tuple(row[1:]))

    def latest_reporting_day(self) -> date | None:
        c = self.groups.c
        conditions = [c.reporting_date <= self.filters.end] if self.filters.end else []
        found = self.connection.execute(select(func.max(c.reporting_date)).where(*conditions))
        value = found.scalar()
        return value if value is None or isinstance(value, date) else date.fromisoformat(value)

    def breakdown(self, dimension: str, limit: int | None = None) -> list[tuple[str, int, Decimal]]:
        """(label, units, exact royalties) per month, store, artist, country or track, the
        largest first (months in order)."""
        c = self.groups.c
        label: Any
        source: Any = self.groups
        if dimension == "month":
            label = month_of(c.reporting_date, self.connection.dialect.name)
        elif dimension == "store":
            source = source.join(Platform, Platform.id == c.platform_id)
            label = Platform.name
        elif dimension == "artist":
            source = source.outerjoin(Artist, Artist.id == c.artist_id)
            label = func.coalesce(Artist.name, "(no artist)")
        elif dimension == "country":
            source = source.outerjoin(Territory, Territory.id == c.territory_id)
            label = func.coalesce(Territory.code, "(unknown)")
        elif dimension == "track":
            source = source.outerjoin(Track, Track.id == c.track_id)
            label = func.coalesce(Track.title, Track.isrc, "(no track)")
        else:
            raise ValueError(f"unknown revenue dimension {dimension!r}")
        sums = money_sums(c.earnings_picousd, self.connection)
        query = (
            select(label, func.sum(c.quantity), *sums)
            .select_from(source)
            .where(*self.where())
            .group_by(label)
        )
        rows = [
            (str(row[0]), int(row[1] or 0), exact_total(tuple(row[2:])))
            for row in self.connection.execute(query)
        ]
        rows.sort(key=(lambda r: r[0]) if dimension == "month" else (lambda r: -r[2]))
        return rows[:limit] if limit else rows


def month_bounds(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def by_dimension(connection: Connection, filters: Filters, dimension: str) -> dict[str, Any]:
    """One revenue breakdown as JSON: rows of label, units, exact and shown royalties."""
    scope = RoyaltyScope(connection, filters)
    rows: list[tuple[str, int | None, Decimal]]
    if dimension == "distributor":
        total = scope.total()
        rows = [] if total is None else [(ROYALTY_DISTRIBUTOR, None, total)]
    else:
        rows = [(label, units, amount) for label, units, amount in scope.breakdown(dimension)]
    return {
        "dimension": dimension,
        "source": ROYALTIES,
        "period": period_text(filters.start, filters.end),
        "rows": [
            {
                "label": label,
                "units": units,
                "royalties_exact": f"{amount:f}",
                "royalties": usd(amount),
            }
            for label, units, amount in rows
        ],
    }


def _month_range(filters: Filters) -> dict[str, str]:
    return {
        "first": filters.start.strftime("%Y-%m") if filters.start else "0000-00",
        "last": filters.end.strftime("%Y-%m") if filters.end else "9999-99",
    }


def stream_rates(connection: Connection, filters: Filters) -> list[dict[str, Any]]:
    """Per-stream rates per sale month at the all-stores and the store level, newest first."""
    rows = connection.execute(
        text(
            "SELECT sale_month, level, store, streams, royalty_usd, royalty_exact, rate_exact "
            "FROM v_stream_rates WHERE level IN ('all stores', 'store') "
            "AND sale_month BETWEEN :first AND :last ORDER BY sale_month DESC, level, store"
        ),
        _month_range(filters),
    )
    return [
        {
            "sale_month": r.sale_month,
            "level": r.level,
            "store": r.store or "all stores",
            "streams": r.streams,
            "royalty_exact": r.royalty_exact,
            "rate_exact": r.rate_exact,
        }
        for r in rows
    ]


def expected_vs_actual(connection: Connection, filters: Filters) -> list[dict[str, Any]]:
    """Each sale month × store: expected, actual and its status (open, missing, ...)."""
    rows = connection.execute(
        text(
            "SELECT sale_month, store, distributor_streams, expected_exact, actual_exact, status "
            "FROM v_expected_vs_actual WHERE sale_month BETWEEN :first AND :last "
            "ORDER BY sale_month DESC, store"
        ),
        _month_range(filters),
    )
    return [
        {
            "sale_month": r.sale_month,
            "store": r.store,
            "distributor_streams": r.distributor_streams,
            "expected": usd(Decimal(r.expected_exact)),
            "actual": usd(Decimal(r.actual_exact)),
            "expected_exact": r.expected_exact,
            "actual_exact": r.actual_exact,
            "status": r.status,
        }
        for r in rows
    ]


def revenue_kpis(connection: Connection, filters: Filters) -> list[Kpi]:
    scope = RoyaltyScope(connection, filters)
    period = period_text(filters.start, filters.end)
    rates = [r for r in stream_rates(connection, filters) if r["level"] == "all stores"]
    latest_rate = rates[0] if rates else None
    checks = expected_vs_actual(connection, filters)
    short = sum(r["status"] in ("under-reported", "missing") for r in checks)
    return [
        money_kpi("revenue_total", "Royalties", scope.total(), ROYALTIES, period),
        Kpi(
            "rate_all_stores",
            "Per-stream rate, all stores",
            latest_rate["rate_exact"] if latest_rate else None,
            f"${Decimal(latest_rate['rate_exact']):.5f}" if latest_rate else "no data yet",
            RATES,
            f"sale month {latest_rate['sale_month']}" if latest_rate else period,
        ),
        count_kpi(
            "months_short",
            "Store-months under-reported or missing",
            short if checks else None,
            EXPECTED,
            period,
        ),
    ]


def revenue_page(lake: Lake, connection: Connection, filters: Filters) -> PageData:
    page = empty_page()
    page["kpis"] = [k.as_json() for k in revenue_kpis(connection, filters)]
    scope = RoyaltyScope(connection, filters)
    months = scope.breakdown("month")
    page["charts"]["revenue-monthly"] = bar_chart(
        "Royalties by reporting month (USD)",
        [m for m, _, _ in months],
        [float(a) for _, _, a in months],
    )
    for dimension in ("store", "artist", "country"):
        rows = scope.breakdown(dimension, limit=15)
        page["charts"][f"revenue-{dimension}"] = bar_chart(
            f"Royalties by {dimension} (USD)", [r[0] for r in rows], [float(r[2]) for r in rows]
        )
    page["tables"]["distributors"] = table(
        ["distributor", "royalties"],
        [
            [row["label"], row["royalties"]]
            for row in by_dimension(connection, filters, "distributor")["rows"]
        ],
    )
    page["tables"]["rates"] = table(
        ["sale month", "level", "store", "streams", "rate (USD per stream)"],
        [
            [r["sale_month"], r["level"], r["store"], r["streams"], r["rate_exact"]]
            for r in stream_rates(connection, filters)[:60]
        ],
    )
    page["tables"]["expected"] = table(
        ["sale month", "store", "distributor streams", "expected", "actual", "status"],
        [
            [
                r["sale_month"],
                r["store"],
                r["distributor_streams"],
                r["expected"],
                r["actual"],
                r["status"],
            ]
            for r in expected_vs_actual(connection, filters)
        ],
    )
    page["tables"]["statements"] = table(
        ["period", "payee", "status", "payable", "files"], statement_rows(lake, connection)
    )
    page["notes"].append(
        "Royalties count by reporting date (the cash DistroKid paid); rates and expected "
        "figures by sale month."
    )
    return page

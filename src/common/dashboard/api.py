"""Every KPI as JSON under /api (listed on the docs page). Each route takes the same validated
filters (`start`, `end` as YYYY-MM-DD, `artist`); a bad one is answered 422 with the sentence
that says what to type. The app puts the session check in front of this router."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, HTTPException, Query
from sqlalchemy import Connection

from common.dashboard.channels import PAGES, page_data
from common.dashboard.deps import DashboardState, dashboard_state
from common.dashboard.kpis import marketing, overview, pipeline, revenue, social, streams
from common.dashboard.kpis.expenses import by_category_and_month
from common.dashboard.kpis.filters import FilterError, Filters, parse_filters
from common.dashboard.kpis.logins import LoginsUnavailable, login_rows
from common.dashboard.kpis.statements import statement_rows

router = APIRouter(prefix="/api", tags=["dashboard"])
T = TypeVar("T")


def request_filters(
    start: Annotated[str | None, Query(description="First day, YYYY-MM-DD")] = None,
    end: Annotated[str | None, Query(description="Last day, YYYY-MM-DD")] = None,
    artist: Annotated[str | None, Query(description="An artist's name or alias")] = None,
) -> Filters:
    try:
        return parse_filters(start, end, artist)
    except FilterError as error:
        raise HTTPException(status_code=422, detail=str(error)) from None


State = Annotated[DashboardState, Depends(dashboard_state)]
Filtered = Annotated[Filters, Depends(request_filters)]


@contextmanager
def _answering() -> Iterator[None]:
    """A filter the data refuses (an unknown artist) is the caller's 422, not a server error."""
    try:
        yield
    except FilterError as error:
        raise HTTPException(status_code=422, detail=str(error)) from None
    except LoginsUnavailable as error:
        raise HTTPException(status_code=503, detail=str(error)) from None


def _read(state: DashboardState, query: Callable[[Connection], T]) -> T:
    with _answering(), state.engine.connect() as connection:
        return query(connection)


class Page(str, Enum):
    overview = "overview"
    streams = "streams"
    revenue = "revenue"
    marketing = "marketing"
    social = "social"
    expenses = "expenses"
    pipeline = "pipeline"
    logins = "logins"


assert {page.value for page in Page} == set(PAGES)


class Dimension(str, Enum):
    month = "month"
    store = "store"
    artist = "artist"
    country = "country"
    track = "track"
    distributor = "distributor"


@router.get("/kpis/summary")
def kpis_summary(state: State, filters: Filtered) -> dict[str, Any]:
    """The overview's KPIs by key: value, shown text, source and period."""
    return _read(state, lambda c: overview.summary(state.lake, c, filters))


@router.get("/pages/{page}")
def whole_page(page: Page, state: State, filters: Filtered) -> dict[str, Any]:
    """Every KPI, chart and table of one page, as the page shows them."""
    with _answering():
        return dict(page_data(state, page.value, filters))


@router.get("/streaming/daily")
def streaming_daily(state: State, filters: Filtered) -> dict[str, Any]:
    """Distributor streams per platform and day (never Spotify for Artists' figures)."""
    return _read(state, lambda c: streams.daily_by_platform(c, filters))


@router.get("/streaming/tracks")
def streaming_tracks(state: State, filters: Filtered) -> list[dict[str, Any]]:
    """Units per track reported in the royalty lines."""
    return _read(state, lambda c: streams.tracks(c, filters))


@router.get("/streaming/audience")
def streaming_audience(state: State, filters: Filtered) -> dict[str, Any]:
    """Spotify for Artists audience: newest listeners, followers, streams_28d per artist."""
    return _read(state, lambda c: streams.spotify_audience(c, filters))


@router.get("/revenue/monthly")
def revenue_monthly(state: State, filters: Filtered) -> dict[str, Any]:
    """Royalties per reporting month (exact and shown)."""
    return _read(state, lambda c: revenue.by_dimension(c, filters, "month"))


@router.get("/revenue/by/{dimension}")
def revenue_by(dimension: Dimension, state: State, filters: Filtered) -> dict[str, Any]:
    """Royalties by store, artist, country, track, month or distributor."""
    return _read(state, lambda c: revenue.by_dimension(c, filters, dimension.value))


@router.get("/revenue/rates")
def revenue_rates(state: State, filters: Filtered) -> list[dict[str, Any]]:
    """Per-stream rates per sale month, all stores and per store."""
    return _read(state, lambda c: revenue.stream_rates(c, filters))


@router.get("/revenue/expected")
def revenue_expected(state: State, filters: Filtered) -> list[dict[str, Any]]:
    """Expected against actual royalties per sale month and store, with each status."""
    return _read(state, lambda c: revenue.expected_vs_actual(c, filters))


@router.get("/revenue/statements")
def revenue_statements(state: State, filters: Filtered) -> list[dict[str, Any]]:
    """Statements per payee and period, with their download links."""
    columns = ("period", "payee", "status", "payable", "files")
    return [dict(zip(columns, row)) for row in statement_rows(state.lake)]


@router.get("/marketing/campaigns")
def marketing_campaigns(state: State, filters: Filtered) -> list[dict[str, Any]]:
    """Meta Ads per campaign: spend, impressions, clicks, CPC, CPM, CTR, cost per result."""
    return _read(state, lambda c: marketing.campaigns(c, filters))


@router.get("/marketing/attribution")
def marketing_attribution(state: State, filters: Filtered) -> list[dict[str, Any]]:
    """What each campaign bought: incremental streams, cost per stream, break-even."""
    return _read(state, lambda c: marketing.attribution(c, filters))


@router.get("/social/accounts")
def social_accounts(state: State, filters: Filtered) -> dict[str, list[dict[str, Any]]]:
    """TikTok, Instagram and YouTube per account: views, followers, engagement rate."""
    return _read(
        state,
        lambda c: {p: social.accounts(c, filters, p) for p in social.FOLLOWER_PLATFORMS},
    )


@router.get("/social/linktree")
def social_linktree(state: State, filters: Filtered) -> dict[str, Any]:
    """Linktree views, clicks and click-through rate, and the top links."""
    found = _read(state, lambda c: social.linktree(c, filters))
    return {**found, "top_links": social.top_links(state.lake)}


@router.get("/expenses/monthly")
def expenses_monthly(state: State, filters: Filtered) -> list[dict[str, Any]]:
    """Expenses (card debits) by month and category, exact and shown."""
    rows = _read(state, lambda c: by_category_and_month(c, filters))
    return [{**row, "debits": f"{row['debits']:f}"} for row in rows]


@router.get("/health")
def health(state: State, filters: Filtered) -> dict[str, Any]:
    """The report `bedrot health --json` prints."""
    return pipeline.health(state.lake)


@router.get("/pipeline/runs")
def pipeline_runs(state: State, filters: Filtered) -> list[dict[str, Any]]:
    """The newest script runs from the run ledger, newest first."""
    return pipeline.last_runs(state.lake)


@router.get("/pipeline/quarantine")
def pipeline_quarantine(state: State, filters: Filtered) -> list[dict[str, Any]]:
    """Quarantined files with the reason each was refused."""
    return pipeline.quarantined(state.lake)


@router.get("/logins")
def logins(state: State, filters: Filtered) -> list[dict[str, Any]]:
    """Each saved login: state, age, expiry countdown, refresh history, refresh command."""
    with _answering():
        return login_rows(state.lake)

"""Every KPI as JSON under /api (listed on the docs page). Each route takes the same validated
filters (`start`, `end` as YYYY-MM-DD, `artist`); a bad one is answered 422 with the sentence
that says what to type. The app puts the session check in front of this router.

Every answer is kept as the bytes sent (`cache.py`): the same question with no new data since
is answered without SQL; answers that also read the lake's files live a few seconds at most."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from enum import Enum
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import JSONResponse, Response
from pydantic_core import to_jsonable_python
from sqlalchemy import Connection

from common.dashboard.cache import LAKE_TTL_SECONDS
from common.dashboard.channels import PAGES, READS_LAKE_FILES, page_data, page_question
from common.dashboard.deps import DashboardState, dashboard_state
from common.dashboard.kpis import marketing, overview, pipeline, revenue, social, streams
from common.dashboard.kpis.expenses import by_category_and_month
from common.dashboard.kpis.filters import FilterError, Filters, parse_filters
from common.dashboard.kpis.goals import goals_version
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


JSON = "application/json"
OneRow = dict[str, Any]
Rows = list[dict[str, Any]]


def _json_body(value: Any) -> bytes:
    """The bytes FastAPI would send for `value` (dates as ISO text, Decimals as text)."""
    return bytes(JSONResponse(to_jsonable_python(value)).body)


def _answer(
    state: DashboardState,
    question: Hashable,
    filters: Filters,
    compute: Callable[[], Any],
    ttl: float | None = None,
) -> Response:
    """The route's JSON, computed once per data version and filters (`cache.py`) and kept as
    bytes, so a repeated question costs neither SQL nor serialization."""
    body = state.answers.answer(("api", question, filters), lambda: _json_body(compute()), ttl)
    return Response(body, media_type=JSON)


def _query(
    state: DashboardState,
    question: Hashable,
    filters: Filters,
    query: Callable[[Connection, Filters], Any],
) -> Response:
    """A route whose answer is one warehouse query over the validated filters."""
    return _answer(state, question, filters, lambda: _read(state, lambda c: query(c, filters)))


@router.get("/kpis/summary", response_model=OneRow)
def kpis_summary(state: State, filters: Filtered) -> Response:
    """The overview's KPIs by key: value, shown text, source and period."""
    return _answer(
        state,
        ("summary", goals_version(state.lake)),  # an edit of the goals shows at once
        filters,
        lambda: _read(state, lambda c: overview.summary(state.lake, c, filters)),
        LAKE_TTL_SECONDS,
    )


@router.get("/pages/{page}", response_model=OneRow)
def whole_page(page: Page, state: State, filters: Filtered) -> Response:
    """Every KPI, chart and table of one page, as the page shows them."""

    def compute() -> dict[str, Any]:
        with _answering():
            return dict(page_data(state, page.value, filters))

    ttl = LAKE_TTL_SECONDS if page.value in READS_LAKE_FILES else None
    return _answer(state, page_question(state, page.value, filters), filters, compute, ttl)


@router.get("/streaming/daily", response_model=OneRow)
def streaming_daily(state: State, filters: Filtered) -> Response:
    """Distributor streams per platform and day (never Spotify for Artists' figures)."""
    return _query(state, "streaming/daily", filters, streams.daily_by_platform)


@router.get("/streaming/tracks", response_model=Rows)
def streaming_tracks(state: State, filters: Filtered) -> Response:
    """Units per track reported in the royalty lines."""
    return _query(state, "streaming/tracks", filters, streams.tracks)


@router.get("/streaming/audience", response_model=OneRow)
def streaming_audience(state: State, filters: Filtered) -> Response:
    """Spotify for Artists audience: newest listeners, followers, streams_28d per artist."""
    return _query(state, "streaming/audience", filters, streams.spotify_audience)


@router.get("/revenue/monthly", response_model=OneRow)
def revenue_monthly(state: State, filters: Filtered) -> Response:
    """Royalties per reporting month (exact and shown)."""
    return _revenue_by(state, filters, "month")


@router.get("/revenue/by/{dimension}", response_model=OneRow)
def revenue_by(dimension: Dimension, state: State, filters: Filtered) -> Response:
    """Royalties by store, artist, country, track, month or distributor."""
    return _revenue_by(state, filters, dimension.value)


def _revenue_by(state: DashboardState, filters: Filters, dimension: str) -> Response:
    return _answer(
        state,
        ("revenue/by", dimension),
        filters,
        lambda: _read(state, lambda c: revenue.by_dimension(c, filters, dimension)),
    )


@router.get("/revenue/rates", response_model=Rows)
def revenue_rates(state: State, filters: Filtered) -> Response:
    """Per-stream rates per sale month, all stores and per store."""
    return _query(state, "revenue/rates", filters, revenue.stream_rates)


@router.get("/revenue/expected", response_model=Rows)
def revenue_expected(state: State, filters: Filtered) -> Response:
    """Expected against actual royalties per sale month and store, with each status."""
    return _query(state, "revenue/expected", filters, revenue.expected_vs_actual)


@router.get("/revenue/statements", response_model=Rows)
def revenue_statements(state: State, filters: Filtered) -> Response:
    """Statements per payee and period, with their download links."""
    columns = ("period", "payee", "status", "payable", "files")
    return _answer(
        state,
        "revenue/statements",
        filters,
        lambda: [dict(zip(columns, row)) for row in statement_rows(state.lake)],
        LAKE_TTL_SECONDS,
    )


@router.get("/marketing/campaigns", response_model=Rows)
def marketing_campaigns(state: State, filters: Filtered) -> Response:
    """Meta Ads per campaign: spend, impressions, clicks, CPC, CPM, CTR, cost per result."""
    return _query(state, "marketing/campaigns", filters, marketing.campaigns)


@router.get("/marketing/attribution", response_model=Rows)
def marketing_attribution(state: State, filters: Filtered) -> Response:
    """What each campaign bought: incremental streams, cost per stream, break-even."""
    return _query(state, "marketing/attribution", filters, marketing.attribution)


@router.get("/social/accounts", response_model=dict[str, Rows])
def social_accounts(state: State, filters: Filtered) -> Response:
    """TikTok, Instagram and YouTube per account: views, followers, engagement rate."""
    return _answer(
        state,
        "social/accounts",
        filters,
        lambda: _read(
            state,
            lambda c: {p: social.accounts(c, filters, p) for p in social.FOLLOWER_PLATFORMS},
        ),
    )


@router.get("/social/linktree", response_model=OneRow)
def social_linktree(state: State, filters: Filtered) -> Response:
    """Linktree views, clicks and click-through rate, and the top links."""

    def compute() -> dict[str, Any]:
        found = _read(state, lambda c: social.linktree(c, filters))
        return {**found, "top_links": social.top_links(state.lake)}

    return _answer(state, "social/linktree", filters, compute, LAKE_TTL_SECONDS)


@router.get("/expenses/monthly", response_model=Rows)
def expenses_monthly(state: State, filters: Filtered) -> Response:
    """Expenses (card debits less refunds) by month and category, exact and shown."""

    def compute() -> list[dict[str, Any]]:
        rows = _read(state, lambda c: by_category_and_month(c, filters))
        return [{**row, "spent": f"{row['spent']:f}"} for row in rows]

    return _answer(state, "expenses/monthly", filters, compute)


@router.get("/health", response_model=OneRow)
def health(state: State, filters: Filtered) -> Response:
    """The report `bedrot health --json` prints (at most a few seconds old)."""
    return _answer(
        state, "health", Filters(), lambda: pipeline.health(state.lake), LAKE_TTL_SECONDS
    )


@router.get("/pipeline/runs", response_model=Rows)
def pipeline_runs(state: State, filters: Filtered) -> Response:
    """The newest script runs from the run ledger, newest first."""
    return _answer(state, "pipeline/runs", Filters(), lambda: pipeline.last_runs(state.lake))


@router.get("/pipeline/quarantine", response_model=Rows)
def pipeline_quarantine(state: State, filters: Filtered) -> Response:
    """Quarantined files with the reason each was refused."""
    return _answer(
        state,
        "pipeline/quarantine",
        Filters(),
        lambda: pipeline.quarantined(state.lake),
        LAKE_TTL_SECONDS,
    )


@router.get("/logins", response_model=Rows)
def logins(state: State, filters: Filtered) -> Response:
    """Each saved login: state, age, expiry countdown, refresh history, refresh command."""

    def compute() -> list[dict[str, Any]]:
        with _answering():
            return login_rows(state.lake)

    return _answer(state, "logins", Filters(), compute, LAKE_TTL_SECONDS)

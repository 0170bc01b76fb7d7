"""The dashboard's pages, rendered on the server with every KPI and chart of first paint (so a
page reads without JavaScript too; charts.js draws the charts, live.js keeps them current), and
the statement downloads. The app puts the session check in front of this router."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import FileResponse, HTMLResponse

from common.dashboard.channels import TITLES, page_data
from common.dashboard.deps import DashboardState, dashboard_state
from common.dashboard.kpis.figures import empty_page
from common.dashboard.kpis.filters import FilterError, Filters, parse_filters
from common.dashboard.kpis.logins import LoginsUnavailable
from common.dashboard.kpis.statements import StatementNotFound, statement_file

router = APIRouter(tags=["pages"])
State = Annotated[DashboardState, Depends(dashboard_state)]
Day = Annotated[str | None, Query(description="YYYY-MM-DD")]
ArtistName = Annotated[str | None, Query(description="An artist's name or alias")]


def _show(
    request: Request, state: DashboardState, channel: str, start: Any, end: Any, artist: Any
) -> HTMLResponse:
    """The page of `channel`; a bad filter shows the page's form with the sentence, as 422."""
    error = ""
    filters = Filters()
    try:
        filters = parse_filters(start, end, artist)
        page = page_data(state, channel, filters)
    except (FilterError, LoginsUnavailable) as problem:
        error, page = str(problem), empty_page()
    response = state.render(
        request,
        f"{channel}.html",
        {
            "channel": channel,
            "title": TITLES[channel],
            "page": page,
            "error": error,
            "filters": filters.as_query() if not error else {},
            "form": {"start": start or "", "end": end or "", "artist": artist or ""},
        },
    )
    if error:
        response.status_code = 422
    return response


@router.get("/", response_class=HTMLResponse)
def overview(
    request: Request, state: State, start: Day = None, end: Day = None, artist: ArtistName = None
) -> HTMLResponse:
    return _show(request, state, "overview", start, end, artist)


@router.get("/streams", response_class=HTMLResponse)
def streams(
    request: Request, state: State, start: Day = None, end: Day = None, artist: ArtistName = None
) -> HTMLResponse:
    return _show(request, state, "streams", start, end, artist)


@router.get("/revenue", response_class=HTMLResponse)
def revenue(
    request: Request, state: State, start: Day = None, end: Day = None, artist: ArtistName = None
) -> HTMLResponse:
    return _show(request, state, "revenue", start, end, artist)


@router.get("/marketing", response_class=HTMLResponse)
def marketing(
    request: Request, state: State, start: Day = None, end: Day = None, artist: ArtistName = None
) -> HTMLResponse:
    return _show(request, state, "marketing", start, end, artist)


@router.get("/social", response_class=HTMLResponse)
def social(
    request: Request, state: State, start: Day = None, end: Day = None, artist: ArtistName = None
) -> HTMLResponse:
    return _show(request, state, "social", start, end, artist)


@router.get("/expenses", response_class=HTMLResponse)
def expenses(
    request: Request, state: State, start: Day = None, end: Day = None, artist: ArtistName = None
) -> HTMLResponse:
    return _show(request, state, "expenses", start, end, artist)


@router.get("/pipeline", response_class=HTMLResponse)
def pipeline(
    request: Request, state: State, start: Day = None, end: Day = None, artist: ArtistName = None
) -> HTMLResponse:
    return _show(request, state, "pipeline", start, end, artist)


@router.get("/logins", response_class=HTMLResponse)
def logins(
    request: Request, state: State, start: Day = None, end: Day = None, artist: ArtistName = None
) -> HTMLResponse:
    return _show(request, state, "logins", start, end, artist)


@router.get("/statements/{period}/{name}")
def statement_download(period: str, name: str, state: State) -> FileResponse:
    """One statement file of 4_curated/statements/<period>/; nothing outside that folder."""
    try:
        path = statement_file(state.lake, period, name)
    except StatementNotFound as error:
        raise HTTPException(status_code=404, detail=str(error)) from None
    return FileResponse(path, filename=name)

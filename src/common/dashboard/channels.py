"""The pages' figures by channel name (a page's path without the slash; "overview" for /):
what the page renders on first paint, what its /api route answers and what the live channel
pushes (`snapshot`), so the three always show the same numbers."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import Connection

from common.dashboard.deps import DashboardState
from common.dashboard.kpis.expenses import expenses_page
from common.dashboard.kpis.figures import PageData
from common.dashboard.kpis.filters import Filters, parse_filters
from common.dashboard.kpis.logins import logins_page
from common.dashboard.kpis.marketing import marketing_page
from common.dashboard.kpis.overview import overview_page
from common.dashboard.kpis.pipeline import pipeline_page
from common.dashboard.kpis.revenue import revenue_page
from common.dashboard.kpis.social import social_page
from common.dashboard.kpis.streams import streams_page
from common.lake import Lake

PageBuilder = Callable[[Lake, Connection, Filters], PageData]

PAGES: dict[str, PageBuilder] = {
    "overview": overview_page,
    "streams": lambda _lake, connection, filters: streams_page(connection, filters),
    "revenue": revenue_page,
    "marketing": lambda _lake, connection, filters: marketing_page(connection, filters),
    "social": social_page,
    "expenses": lambda _lake, connection, filters: expenses_page(connection, filters),
    "pipeline": lambda lake, _connection, _filters: pipeline_page(lake),
    "logins": lambda lake, _connection, _filters: logins_page(lake),
}
TITLES = {
    "overview": "Overview",
    "streams": "Streams",
    "revenue": "Revenue",
    "marketing": "Marketing",
    "social": "Social",
    "expenses": "Expenses",
    "pipeline": "Pipeline",
    "logins": "Logins",
}


class UnknownChannel(LookupError):
    """A live subscription to a page the dashboard does not have."""


def page_data(state: DashboardState, channel: str, filters: Filters) -> PageData:
    """Every figure of one page, read in one read-only connection."""
    builder = PAGES.get(channel)
    if builder is None:
        raise UnknownChannel(f"There is no dashboard page named {channel!r}.")
    with state.engine.connect() as connection:
        return builder(state.lake, connection, filters)


def snapshot(
    state: DashboardState, channel: str, filters: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """What a `kpi:update` carries: {"kpis": {key: shown text}, "charts": {dom id: figure}}.
    `filters` are the subscription's ({"start", "end", "artist"}); bad ones raise FilterError."""
    wanted = dict(filters or {})
    parsed = parse_filters(
        _text(wanted.get("start")), _text(wanted.get("end")), _text(wanted.get("artist"))
    )
    page = page_data(state, channel, parsed)
    return {
        "kpis": {kpi["key"]: kpi["text"] for kpi in page["kpis"]},
        "charts": page["charts"],
    }


def _text(value: Any) -> str | None:
    return None if value is None else str(value)

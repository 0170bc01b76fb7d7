"""The pages' figures by channel name (a page's path without the slash; "overview" for /):
what the page renders on first paint, what its /api route answers and what the live channel
pushes (`snapshot`), so the three always show the same numbers. A page computed once for the
current data and filters is reused by all three until new data arrives (`cache.py`)."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from typing import Any

from sqlalchemy import Connection

from common.dashboard.cache import LAKE_TTL_SECONDS
from common.dashboard.deps import DashboardState
from common.dashboard.kpis.expenses import expenses_page
from common.dashboard.kpis.figures import PageData
from common.dashboard.kpis.filters import Filters, parse_filters
from common.dashboard.kpis.goals import goals_version
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
# Pages that also read the lake's files (health, logins, quarantine, statements, goals, links).
READS_LAKE_FILES = frozenset({"overview", "revenue", "social", "pipeline", "logins"})
SHOWS_GOALS = frozenset({"overview"})
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
    """Every figure of one page, read in one read-only connection (or kept from the last time
    the same page was asked for with the same filters and nothing new arrived since)."""
    builder = PAGES.get(channel)
    if builder is None:
        raise UnknownChannel(f"There is no dashboard page named {channel!r}.")
    build: PageBuilder = builder

    def compute() -> PageData:
        with state.engine.connect() as connection:
            return build(state.lake, connection, filters)

    ttl = LAKE_TTL_SECONDS if channel in READS_LAKE_FILES else None
    return state.answers.answer(page_question(state, channel, filters), compute, ttl)


def page_question(state: DashboardState, channel: str, filters: Filters) -> Hashable:
    """What a page's answer is kept under: the page, its filters and (overview) the goals."""
    goals = goals_version(state.lake) if channel in SHOWS_GOALS else None
    return ("page", channel, filters, goals)


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

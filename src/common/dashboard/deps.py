"""What every dashboard route reads from the running app: the lake, a read-only warehouse
engine, the page renderer and the cache of computed answers (`cache.py`). `app.py` sets
`app.state.dashboard` once at start.

The contract between the app (login, sessions, live channel) and the pages and API routes:
routes take `state: DashboardState = Depends(dashboard_state)` and never open their own engine.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from sqlalchemy import Engine

from common.dashboard.cache import AnswerCache
from common.lake import Lake

# render(request, template name, context) -> the page, with the user, CSRF token and nav added.
Renderer = Callable[[Request, str, Mapping[str, Any]], HTMLResponse]


@dataclass
class DashboardState:
    lake: Lake
    engine: Engine
    render: Renderer
    answers: AnswerCache


def dashboard_state(request: Request) -> DashboardState:
    state = request.app.state.dashboard
    assert isinstance(state, DashboardState)
    return state

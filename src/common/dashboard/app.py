"""The dashboard app: `create_app(lake, settings)` wires the login, the gate, the pages and API
routes, the live channel and the static files (Plotly comes from the installed package: no CDN,
the dashboard works without internet)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from importlib.resources import files
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from common.dashboard import api, live, login, pages
from common.dashboard.auth import CSRF_HEADER, LoginThrottle, Session, SessionStore, same_token
from common.dashboard.cache import AnswerCache
from common.dashboard.deps import DashboardState, Renderer
from common.dashboard.gate import SessionGate
from common.dashboard.readonly import read_only_engine
from common.dashboard.settings import DashboardSettings, users_path
from common.dashboard.users import UserStore, prepare_login_checks
from common.lake import Lake

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
NAV = (
    ("Overview", "/"),
    ("Streams", "/streams"),
    ("Revenue", "/revenue"),
    ("Marketing", "/marketing"),
    ("Social", "/social"),
    ("Expenses", "/expenses"),
    ("Pipeline", "/pipeline"),
    ("Logins", "/logins"),
)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def plotly_bundle() -> Path:
    return Path(str(files("plotly") / "package_data" / "plotly.min.js"))


def require_session(request: Request) -> Session:
    """The caller's session (the gate let it in); a request that changes something must also
    carry the session's CSRF token in the X-CSRF-Token header."""
    session: Session | None = getattr(request.state, "session", None)
    if session is None:
        raise HTTPException(401, "Log in to the dashboard first.")
    if request.method not in SAFE_METHODS and not same_token(
        request.headers.get(CSRF_HEADER), session.csrf_token
    ):
        raise HTTPException(403, "This request lacks the page's CSRF token; reload the page.")
    return session


def make_renderer(templates: Jinja2Templates) -> Renderer:
    def render(request: Request, name: str, context: Mapping[str, Any]) -> HTMLResponse:
        session: Session | None = getattr(request.state, "session", None)
        full = {
            **context,
            "user": session.user if session else None,
            "csrf_token": session.csrf_token if session else "",
            "nav": NAV,
            "active": request.url.path,
        }
        response = templates.TemplateResponse(request, name, full)
        assert isinstance(response, HTMLResponse)
        return response

    return render


def create_app(lake: Lake, settings: DashboardSettings | None = None) -> FastAPI:
    settings = settings or DashboardSettings()
    engine = read_only_engine(lake)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        engine.dispose()

    app = FastAPI(
        title="BEDROT dashboard",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    templates = Jinja2Templates(directory=str(TEMPLATES))
    sessions = SessionStore(settings.session_seconds)
    app.state.settings = settings
    app.state.templates = templates
    app.state.sessions = sessions
    app.state.throttle = LoginThrottle(settings)
    users = UserStore(users_path(lake))
    prepare_login_checks()
    app.state.users = users
    watcher = live.ChangeWatcher(engine, lake.logs, settings.poll_seconds)
    app.state.live_watcher = watcher
    # One data version for the cache and the live channel: a push always carries new figures.
    answers = AnswerCache(watcher.fingerprint)
    app.state.dashboard = DashboardState(lake, engine, make_renderer(templates), answers)
    app.add_middleware(SessionGate, sessions=sessions, users=users)
    _add_open_routes(app)
    app.include_router(login.router)
    behind_login = [Depends(require_session)]
    app.include_router(api.router, dependencies=behind_login)
    app.include_router(pages.router, dependencies=behind_login)
    app.include_router(live.router)
    app.add_api_route("/docs", _api_docs, include_in_schema=False, dependencies=behind_login)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    return app


def _add_open_routes(app: FastAPI) -> None:
    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        """Browsers ask for it on every page; answered here, it never meets the login gate."""
        return Response(status_code=204)

    @app.get("/static/plotly.min.js", include_in_schema=False)
    def plotly_js() -> FileResponse:
        return FileResponse(plotly_bundle(), media_type="text/javascript")


def _api_docs(request: Request) -> HTMLResponse:
    """FastAPI's schema as a page of this site: Swagger UI would load its code from a CDN."""
    schema = request.app.openapi()
    routes = [
        {
            "method": method.upper(),
            "path": path,
            "summary": operation.get("summary", ""),
            "description": operation.get("description", ""),
            "parameters": [p.get("name", "") for p in operation.get("parameters", [])],
        }
        for path, methods in sorted(schema.get("paths", {}).items())
        for method, operation in methods.items()
    ]
    state: DashboardState = request.app.state.dashboard
    return state.render(request, "api_docs.html", {"routes": routes, "title": schema["info"]})

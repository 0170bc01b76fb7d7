"""Runs the dashboard: one uvicorn process, optionally opening a page in the user's browser.

uvicorn serves HTTP and the WebSocket (through the `websockets` package) on one port in one
process, so the in-memory sessions and the live channel's cache are shared by every request.
"""

from __future__ import annotations

import logging
import threading
import time
import webbrowser

import uvicorn

from common.dashboard.app import create_app
from common.dashboard.settings import LOCAL_HOST, DashboardSettings
from common.lake import Lake

log = logging.getLogger("bedrot.dashboard")
START_WAIT_SECONDS = 30.0


def dashboard_url(host: str, port: int, path: str = "/") -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    shown = f"[{shown}]" if ":" in shown else shown
    return f"http://{shown}:{port}{path}"


def is_local(host: str) -> bool:
    return host in (LOCAL_HOST, "localhost", "::1")


def _open_when_started(server: uvicorn.Server, url: str) -> None:
    deadline = time.monotonic() + START_WAIT_SECONDS
    while not server.started:
        if server.should_exit or time.monotonic() > deadline:
            return
        time.sleep(0.05)
    webbrowser.open(url)


def serve(lake: Lake, settings: DashboardSettings, open_path: str | None = None) -> bool:
    """Serve until stopped (Ctrl+C); False when the server could not start (port taken)."""
    app = create_app(lake, settings)
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        ws="websockets-sansio",
        log_level="warning",
        proxy_headers=True,  # https from a TLS proxy on this machine: Secure cookies
        server_header=False,
    )
    server = uvicorn.Server(config)
    if open_path is not None:
        url = dashboard_url(settings.host, settings.port, open_path)
        threading.Thread(target=_open_when_started, args=(server, url), daemon=True).start()
    try:
        server.run()
    except SystemExit:
        return False
    return server.started

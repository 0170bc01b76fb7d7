"""The live channel: WebSocket /ws pushes a page's figures again when new data arrived.

Protocol (the seed's): the client sends {"type": "subscribe", "channel": "<page>", "filters":
{...}} and {"type": "unsubscribe", "channel": ...}; the server sends {"type":
"connection:status", "status": "connected"} on open and {"type": "kpi:update", "channel": c,
"data": snapshot} for each subscribed channel when the warehouse or the run ledger changed.

Change is a fingerprint (the newest finished ETL run, how many source files are loaded and
when the last was, the ledger's size and modification time), computed at most once a second for
all clients together; each client gets at most one push a second, and none while nothing changed.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool

from common.dashboard.auth import Session
from common.dashboard.deps import DashboardState
from common.ledger import ledger_path

router = APIRouter()
log = logging.getLogger("bedrot.dashboard")
UNREADABLE = "The warehouse cannot be read right now; the page keeps its last figures."
Fingerprint = tuple[Any, ...]
# A run that has only started changes no figure: counting it would push (and cache) the old
# figures under a new version just before the load's data arrives.
WAREHOUSE_FINGERPRINT = text(
    "SELECT (SELECT MAX(id) FROM etl_runs WHERE finished_at IS NOT NULL), "
    "(SELECT COUNT(*) FROM etl_runs WHERE finished_at IS NOT NULL), "
    "(SELECT COUNT(*) FROM source_files), (SELECT MAX(loaded_at) FROM source_files)"
)
SESSION_ENDED = 4401
MAX_FILTERS = 10


class ChangeWatcher:
    """The fingerprint of the warehouse and the ledger, cached for `poll_seconds`."""

    def __init__(
        self,
        engine: Engine,
        logs_dir: Path,
        poll_seconds: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.engine = engine
        self.ledger = ledger_path(logs_dir)
        self.poll_seconds = poll_seconds
        self.clock = clock
        self._lock = threading.Lock()
        self._taken_at: float | None = None
        self._fingerprint: Fingerprint = ()

    def fingerprint(self) -> Fingerprint:
        with self._lock:
            now = self.clock()
            if self._taken_at is None or now - self._taken_at >= self.poll_seconds:
                self._fingerprint = self._warehouse() + self._ledger()
                self._taken_at = now
            return self._fingerprint

    def _warehouse(self) -> Fingerprint:
        try:
            with self.engine.connect() as connection:
                row = connection.execute(WAREHOUSE_FINGERPRINT).one()
        except SQLAlchemyError:
            return ("no warehouse yet",)
        return tuple(str(value) for value in row)

    def _ledger(self) -> Fingerprint:
        try:
            status = self.ledger.stat()
        except OSError:
            return (0, 0)
        return (status.st_size, status.st_mtime_ns)


def _snapshot(state: DashboardState, channel: str, filters: dict[str, str]) -> dict[str, Any]:
    from common.dashboard.channels import snapshot

    return snapshot(state, channel, filters)


def _filters(message: dict[str, Any]) -> dict[str, str]:
    given = message.get("filters") or {}
    if not isinstance(given, dict) or len(given) > MAX_FILTERS:
        return {}
    return {str(k): str(v) for k, v in given.items() if isinstance(v, (str, int)) and v != ""}


class LiveClient:
    """One browser tab's subscriptions and what it was last sent."""

    def __init__(self, websocket: WebSocket, state: DashboardState, watcher: ChangeWatcher):
        self.websocket = websocket
        self.state = state
        self.watcher = watcher
        self.subscriptions: dict[str, dict[str, str]] = {}

    async def read(self) -> None:
        while True:
            message = await self.websocket.receive_json()
            if not isinstance(message, dict):
                continue
            channel = message.get("channel")
            if not isinstance(channel, str) or not channel:
                await self._error("", "A message needs a channel (the page's name).")
            elif message.get("type") == "subscribe":
                self.subscriptions[channel] = _filters(message)
            elif message.get("type") == "unsubscribe":
                self.subscriptions.pop(channel, None)
            else:
                await self._error(channel, "The type must be subscribe or unsubscribe.")

    async def push(self) -> None:
        for channel, filters in list(self.subscriptions.items()):
            try:
                data = await run_in_threadpool(_snapshot, self.state, channel, filters)
            except (LookupError, ValueError) as problem:
                await self._error(channel, str(problem))
                continue
            except (RuntimeError, SQLAlchemyError) as problem:
                # Its text may name the database (and its password): only the kind is told.
                log.warning("Live update of %s failed: %s", channel, type(problem).__name__)
                await self._error(channel, UNREADABLE)
                continue
            await self.websocket.send_json({"type": "kpi:update", "channel": channel, "data": data})

    async def _error(self, channel: str, message: str) -> None:
        await self.websocket.send_json({"type": "error", "channel": channel, "message": message})


def _same_origin(websocket: WebSocket) -> bool:
    """Browsers always send Origin on a WebSocket: refuse pages of other sites."""
    origin = websocket.headers.get("origin")
    host = websocket.headers.get("host")
    return origin is None or origin.split("://", 1)[-1] == host


@router.websocket("/ws")
async def live_channel(websocket: WebSocket) -> None:
    app_state = websocket.app.state
    session: Session = websocket.scope["state"]["session"]
    if not _same_origin(websocket):
        await websocket.close(code=1008, reason="another site's page")
        return
    watcher: ChangeWatcher = app_state.live_watcher
    # Taken before the client hears "connected": a change after that is always pushed.
    seen = await run_in_threadpool(watcher.fingerprint)
    await websocket.accept()
    await websocket.send_json({"type": "connection:status", "status": "connected"})
    client = LiveClient(websocket, app_state.dashboard, watcher)
    reader = asyncio.create_task(client.read())
    try:
        while not reader.done():
            await asyncio.wait({reader}, timeout=watcher.poll_seconds)
            if reader.done():
                break
            if app_state.sessions.find(
                session.session_id
            ) is None or not app_state.users.holds_session_of(session.user, session.started_at):
                await websocket.close(code=SESSION_ENDED, reason="session ended")
                break
            current = await run_in_threadpool(watcher.fingerprint)
            if current != seen and client.subscriptions:
                seen = current
                await client.push()
    except WebSocketDisconnect:
        pass
    finally:
        reader.cancel()
        if reader.done() and not reader.cancelled():
            reader.exception()  # a disconnect ends the reader; nothing to report

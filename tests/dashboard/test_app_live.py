"""The live channel on a real server: silent while nothing changes, a push within 2 s of an ETL
load or a ledger line, at most one push a second, closed to other sites and ended sessions."""

from __future__ import annotations

import csv
import json
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import ClientConnection, connect

from common.dashboard.auth import SESSION_COOKIE
from common.dashboard.channels import snapshot
from common.dashboard.live import ChangeWatcher
from common.dashboard.readonly import read_only_engine
from common.lake import Lake, init_lake
from common.ledger import ledger_path
from tests.conftest import bedrot_in
from tests.dashboard.app_support import RunningDashboard, dashboard_lake, login_over_http

__all__ = ["dashboard_lake"]
CONNECTED = {"type": "connection:status", "status": "connected"}


def open_live(running: RunningDashboard, session_id: str, origin: str | None = None) -> Any:
    return connect(
        f"ws://127.0.0.1:{running.port}/ws",
        additional_headers={"Cookie": f"{SESSION_COOKIE}={session_id}"},
        origin=origin,  # type: ignore[arg-type]
        open_timeout=10,
    )


def subscribed(live: ClientConnection, channel: str = "overview") -> ClientConnection:
    assert json.loads(live.recv(timeout=10)) == CONNECTED
    live.send(json.dumps({"type": "subscribe", "channel": channel, "filters": {}}))
    return live


def add_ledger_line(lake: Lake) -> None:
    with ledger_path(lake.logs).open("a", encoding="utf-8") as ledger:
        ledger.write(json.dumps({"service": "test", "outcome": "ok"}) + "\n")


def add_a_day_of_streams(lake: Lake, streams: int) -> str:
    """A new day in the curated daily streams after the last one (as a DistroKid export would
    bring); returns that day."""
    curated = lake.zone("4_curated") / "tidy_daily_streams.csv"
    with curated.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    day = (max(date.fromisoformat(row["date"]) for row in rows) + timedelta(days=1)).isoformat()
    with curated.open("a", encoding="utf-8", newline="") as stream:
        stream.write(f"{day},distrokid,{streams},0,{streams}\n")
    return day


def test_an_etl_load_updates_a_subscribed_page_within_two_seconds(dashboard_lake: Lake) -> None:
    with RunningDashboard(dashboard_lake) as running:
        before = snapshot(running.app.state.dashboard, "overview", {})["kpis"]
        with open_live(running, login_over_http(running.url)) as live:
            subscribed(live)
            add_a_day_of_streams(dashboard_lake, 1_000_000)
            loaded = bedrot_in(dashboard_lake, "etl", "--groups", "streaming")
            assert loaded.returncode == 0, loaded.stdout + loaded.stderr
            finished = time.monotonic()
            message = json.loads(live.recv(timeout=2))
            assert time.monotonic() - finished < 2
    assert message["type"] == "kpi:update" and message["channel"] == "overview"
    assert message["data"]["kpis"]["streams_30d"] != before["streams_30d"]
    assert message["data"]["kpis"] == snapshot(running.app.state.dashboard, "overview", {})["kpis"]


def test_nothing_is_pushed_while_nothing_changes_then_a_ledger_line_pushes(
    dashboard_lake: Lake,
) -> None:
    with RunningDashboard(dashboard_lake) as running:
        with open_live(running, login_over_http(running.url)) as live:
            subscribed(live, "pipeline")
            with pytest.raises(TimeoutError):
                live.recv(timeout=2.5)
            add_ledger_line(dashboard_lake)
            message = json.loads(live.recv(timeout=2))
    assert (message["type"], message["channel"]) == ("kpi:update", "pipeline"), message
    assert set(message["data"]) == {"kpis", "charts"}


def test_at_most_one_push_a_second(dashboard_lake: Lake) -> None:
    with RunningDashboard(dashboard_lake) as running:
        with open_live(running, login_over_http(running.url)) as live:
            subscribed(live, "pipeline")
            arrivals: list[float] = []
            ends = time.monotonic() + 4
            while time.monotonic() < ends:
                add_ledger_line(dashboard_lake)  # a change every 50 ms
                try:
                    live.recv(timeout=0.05)
                    arrivals.append(time.monotonic())
                except TimeoutError:
                    pass
    assert 2 <= len(arrivals) <= 5
    gaps = [later - earlier for earlier, later in zip(arrivals, arrivals[1:])]
    assert min(gaps) > 0.9


def test_an_unknown_channel_or_bad_filter_is_answered_with_an_error(dashboard_lake: Lake) -> None:
    with RunningDashboard(dashboard_lake) as running:
        with open_live(running, login_over_http(running.url)) as live:
            assert json.loads(live.recv(timeout=10)) == CONNECTED
            live.send(json.dumps({"type": "subscribe", "channel": "nowhere"}))
            live.send(json.dumps({"type": "subscribe", "channel": "overview",
                                  "filters": {"start": "yesterday"}}))  # fmt: skip
            add_ledger_line(dashboard_lake)
            errors = {json.loads(live.recv(timeout=3))["channel"] for _ in range(2)}
    assert errors == {"nowhere", "overview"}


def test_another_sites_page_cannot_open_the_live_channel(dashboard_lake: Lake) -> None:
    with RunningDashboard(dashboard_lake) as running:
        session_id = login_over_http(running.url)
        with pytest.raises(InvalidStatus):
            with open_live(running, session_id, origin="http://evil.example"):
                pass
        with open_live(running, session_id, origin=running.url) as live:
            assert json.loads(live.recv(timeout=10)) == CONNECTED


def test_logging_out_closes_an_open_live_channel(dashboard_lake: Lake) -> None:
    with RunningDashboard(dashboard_lake) as running:
        session_id = login_over_http(running.url)
        with open_live(running, session_id) as live:
            subscribed(live)
            running.app.state.sessions.end(session_id)
            with pytest.raises(ConnectionClosed) as closed:
                live.recv(timeout=3)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401


def test_the_dashboard_engine_cannot_write_and_creates_no_database(
    dashboard_lake: Lake, tmp_path: Path
) -> None:
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    engine = read_only_engine(dashboard_lake)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM artists")).scalar_one() > 0
        with pytest.raises(OperationalError, match="readonly"):
            connection.execute(text("DELETE FROM artists"))
    engine.dispose()
    lake = init_lake(tmp_path / "empty_lake")
    empty = read_only_engine(lake)
    assert ChangeWatcher(empty, lake.logs).fingerprint()[0] == "no warehouse yet"
    assert not Path(lake.root / "data_warehouse" / "bedrot_analytics.db").exists()

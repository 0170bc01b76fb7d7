"""The cache of computed answers: a repeated question with no new data runs no SQL, an ETL load
gives new figures, answers read from the lake's files expire, the cache stays bounded, and one
request computes a missing answer while the others wait for it."""

from __future__ import annotations

import threading
import time
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import event

from common.dashboard.app import create_app
from common.dashboard.cache import AnswerCache
from common.lake import Lake
from tests.conftest import bedrot_in
from tests.dashboard.app_support import dashboard_lake, logged_in_client
from tests.dashboard.test_app_live import add_a_day_of_streams
from tests.dashboard.test_kpis_api import warehouse

__all__ = ["dashboard_lake"]


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def statement_counter(app: FastAPI) -> list[str]:
    """Every SQL statement the dashboard's engine runs from now on."""
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement)

    event.listen(app.state.dashboard.engine, "before_cursor_execute", count)
    return seen


def frozen_app(lake: Lake) -> tuple[FastAPI, FakeClock]:
    """The app with the data-version clock in the test's hands (no second passes by itself)."""
    app = create_app(lake)
    clock = FakeClock()
    app.state.live_watcher.clock = clock
    return app, clock


@pytest.mark.parametrize(
    "path",
    [
        "/api/kpis/summary",
        "/api/pages/overview",
        "/api/revenue/by/store?start=2025-01-01",
        "/api/expenses/monthly",
        "/",
        "/revenue?artist=PIG1987",
    ],
)
def test_a_second_identical_request_runs_no_sql(dashboard_lake: Lake, path: str) -> None:
    app, _ = frozen_app(dashboard_lake)
    client = logged_in_client(app)
    statements = statement_counter(app)

    first = client.get(path)
    asked = len(statements)
    second = client.get(path)

    assert first.status_code == second.status_code == 200
    assert asked > 0, "the first request must read the warehouse"
    assert statements[asked:] == [], "the same question with nothing new ran SQL again"
    if path.startswith("/api/"):
        assert second.json() == first.json()


def test_other_filters_are_another_question(dashboard_lake: Lake) -> None:
    app, _ = frozen_app(dashboard_lake)
    client = logged_in_client(app)
    statements = statement_counter(app)
    whole = client.get("/api/revenue/monthly").json()
    asked = len(statements)

    part = client.get("/api/revenue/monthly?start=2099-01-01").json()

    assert len(statements) > asked
    assert whole["rows"] and part["rows"] == []


def test_an_etl_load_gives_new_figures(dashboard_lake: Lake) -> None:
    app, clock = frozen_app(dashboard_lake)
    client = logged_in_client(app)
    before = client.get("/api/kpis/summary").json()["streams_30d"]
    page_before = client.get("/api/pages/streams").json()

    day = add_a_day_of_streams(dashboard_lake, 1_000_000)
    loaded = bedrot_in(dashboard_lake, "etl", "--groups", "streaming")
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    clock.now += 1.0  # the next look at the data version (at most once a second)

    after = client.get("/api/kpis/summary").json()["streams_30d"]
    page_after = client.get("/api/pages/streams").json()
    db = warehouse(dashboard_lake)
    first = date.fromisoformat(day) - timedelta(days=29)
    expected = db.execute(
        "SELECT SUM(streams) FROM daily_streams WHERE stream_date BETWEEN ? AND ?",
        (first.isoformat(), day),
    ).fetchone()[0]
    assert after["value"] == expected != before["value"]
    assert after["period"] == f"{first} to {day}"
    assert page_after["charts"] != page_before["charts"]


def test_the_health_report_is_kept_a_few_seconds_then_read_again(dashboard_lake: Lake) -> None:
    app = create_app(dashboard_lake)
    clock = FakeClock()
    app.state.live_watcher.clock = clock
    app.state.dashboard.answers.clock = clock
    client: TestClient = logged_in_client(app)
    first = client.get("/api/health").json()
    time.sleep(1.1)  # the report's own timestamp has a resolution of one second
    assert client.get("/api/health").json() == first  # within its few seconds: not rebuilt

    clock.now += 10.0  # past the few seconds a lake-file answer is trusted
    assert client.get("/api/health").json() == first  # given once more while it is rebuilt
    deadline = time.monotonic() + 10
    again = first
    while again == first and time.monotonic() < deadline:
        time.sleep(0.05)
        again = client.get("/api/health").json()

    assert again["generated_at"] > first["generated_at"]


def test_answers_expire_after_their_ttl_and_stay_bounded() -> None:
    clock = FakeClock()
    cache = AnswerCache(lambda: "v1", max_entries=2, clock=clock)
    computed: list[str] = []

    def ask(question: str, ttl: float | None = None) -> str:
        def compute() -> str:
            computed.append(question)
            return question

        return cache.answer(question, compute, ttl)

    ask("a"), ask("b"), ask("a")
    assert computed == ["a", "b"]
    ask("c")  # over the bound: "b" (least recently used) goes
    ask("a"), ask("b")
    assert computed == ["a", "b", "c", "b"] and len(cache) == 2

    ask("t", ttl=5.0)
    clock.now += 4.9
    ask("t", ttl=5.0)
    assert computed.count("t") == 1
    clock.now += 0.2
    ask("t", ttl=5.0)  # expired: the old answer once more, the new one computed behind it
    deadline = time.monotonic() + 5
    while computed.count("t") < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert computed.count("t") == 2


def test_a_new_data_version_empties_the_cache() -> None:
    version = ["v1"]
    cache = AnswerCache(lambda: version[0])
    computed: list[str] = []

    def compute() -> str:
        computed.append(version[0])
        return version[0]

    assert cache.answer("q", compute) == cache.answer("q", compute) == "v1"
    version[0] = "v2"
    assert cache.answer("q", compute) == "v2"
    assert computed == ["v1", "v2"] and len(cache) == 1


def test_one_request_computes_while_the_others_wait() -> None:
    cache = AnswerCache(lambda: "v1")
    calls: list[int] = []
    start = threading.Barrier(8)

    def slow() -> str:
        calls.append(1)
        time.sleep(0.2)
        return "figures"

    answers: list[str] = []

    def client() -> None:
        start.wait()
        answers.append(cache.answer("summary", slow))

    threads = [threading.Thread(target=client) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == ["figures"] * 8 and calls == [1]


def test_an_expired_answer_is_given_at_once_while_one_thread_recomputes_it() -> None:
    clock = FakeClock()
    cache = AnswerCache(lambda: "v1", clock=clock)
    release = threading.Event()
    calls: list[int] = []

    def report() -> int:
        calls.append(1)
        if len(calls) > 1:
            release.wait(5)
        return len(calls)

    assert cache.answer("health", report, ttl=5.0) == 1
    clock.now += 6.0
    answers = [cache.answer("health", report, ttl=5.0) for _ in range(20)]
    deadline = time.monotonic() + 5
    while len(calls) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert answers == [1] * 20 and calls == [1, 1]  # nobody waited; one rebuild
    release.set()
    deadline = time.monotonic() + 5
    while cache.answer("health", report, ttl=5.0) != 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert cache.answer("health", report, ttl=5.0) == 2


def test_a_failed_computation_is_not_kept() -> None:
    cache = AnswerCache(lambda: "v1")

    def broken() -> str:
        raise LookupError("no artist named x")

    with pytest.raises(LookupError):
        cache.answer("q", broken)
    assert cache.answer("q", lambda: "ok") == "ok"

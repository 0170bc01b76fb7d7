"""The dashboard under load: a warehouse with 2,000,000 royalty lines plus the demo's other
data, 20 logged-in clients calling every /api route for 30 s, and the overview's first paint in
Chromium. Prints each figure beside its target (issue 14: p95 < 100 ms per route, no errors,
first paint < 1 s).

The server is `bedrot dashboard` in a process of its own (as the label runs it), so the load
generator's threads here never share its interpreter: the figures are the server's. Cold: each
route once, in turn, on a freshly started server (nothing cached). Warm: the p95 of every route
under the load. The copied royalty lines repeat the demo's keys, so the ETL's aggregate keeps the
demo's few thousand groups: a catalogue with more distinct keys makes the cold figures (not the
warm ones) grow with its aggregate.

Run: `.venv/bin/python benchmarks/bench_dashboard.py [--lines N] [--clients N] [--seconds S]
[--lake PATH]`. Without --lake it builds the demo lake (`bedrot run`) in a temporary folder;
the royalty lines are the demo's, copied until there are N of them, then the ETL's aggregates
are refreshed as a load would.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import httpx
from fastapi.routing import APIRoute
from sqlalchemy import text

from common.browser import CHROMIUM_ARGS, DEBIAN_CHROMIUM
from common.dashboard import api
from common.dashboard.settings import users_path
from common.dashboard.users import UserStore
from common.demo import prepare_demo_lake
from common.lake import Lake
from common.warehouse.aggregates import refresh_aggregates
from common.warehouse.database import make_engine, warehouse_url

BEDROT = Path(sys.executable).with_name("bedrot.exe" if os.name == "nt" else "bedrot")
USER, PASSWORD = "bench", "bench password 123"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
SAMPLES = {"{page}": "overview", "{dimension}": "store"}
P95_TARGET_MS, PAINT_TARGET_MS = 100.0, 1000.0
PAINTED = "() => performance.getEntriesByName('first-contentful-paint').length > 0"
# The overview's first contentful paint (ms after navigation), else its load event's end.
FIRST_PAINT = (
    "() => (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime"
    " || performance.getEntriesByType('navigation')[0].loadEventEnd"
)
COPIED = (
    "reporting_date, sale_month, platform_id, artist_id, track_id, release_id, territory_id, "
    "title, item_type, quantity, team_percentage, earnings_picousd, "
    "songwriter_royalties_withheld_picousd, recoup_picousd, origin_file_id, origin_row, "
    "source_file_id"
)


class DashboardServer:
    """`bedrot dashboard` on 127.0.0.1 in its own process, stopped at the end."""

    def __init__(self, lake: Lake, port: int = 8765) -> None:
        self.lake = lake
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> DashboardServer:
        env = {**os.environ, "PROJECT_ROOT": str(self.lake.root)}
        env.pop("WAREHOUSE_URL", None)
        self.process = subprocess.Popen(
            [str(BEDROT), "dashboard", "--port", str(self.port)], env=env, cwd=self.lake.root
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError("the dashboard did not start within 60 s")

    def __exit__(self, *_: object) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)


def demo_lake(work: Path, given: Path | None = None) -> Lake:
    """A copy of `given` (a demo lake after `bedrot run`, from `--lake`), else a new demo lake
    run once."""
    if given is not None:
        shutil.copytree(given, work / "lake")
        return Lake(work / "lake")
    lake = prepare_demo_lake(work / "lake")
    env = {**os.environ, "PROJECT_ROOT": str(lake.root)}
    env.pop("WAREHOUSE_URL", None)
    subprocess.run([str(BEDROT), "run", "--automated", "--no-extract"], env=env, check=False)
    return lake


def grow_royalty_lines(lake: Lake, lines: int) -> int:
    """Copy the royalty lines onto themselves until there are `lines`, then refresh."""
    engine = make_engine(warehouse_url(lake))
    with engine.begin() as connection:
        have = int(connection.execute(text("SELECT COUNT(*) FROM royalty_lines")).scalar_one())
        while have < lines:
            connection.execute(
                text(
                    f"INSERT INTO royalty_lines ({COPIED}) SELECT {COPIED} FROM royalty_lines "
                    "LIMIT :missing"
                ),
                {"missing": lines - have},
            )
            have = int(connection.execute(text("SELECT COUNT(*) FROM royalty_lines")).scalar_one())
        refresh_aggregates(connection)
    engine.dispose()
    return have


def routes() -> list[str]:
    paths = []
    for route in api.router.routes:
        if isinstance(route, APIRoute):
            path = route.path
            for name, value in SAMPLES.items():
                path = path.replace(name, value)
            paths.append(path)
    return paths


def logged_in(base: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=30)
    token = TOKEN.search(client.get("/login").text)
    assert token, "no login form"
    reply = client.post(
        "/login", data={"username": USER, "password": PASSWORD, "csrf_token": token.group(1)}
    )
    assert reply.status_code in (200, 303), reply.text
    return client


def hammer(
    base: str, paths: list[str], seconds: float, timings: dict[str, list[float]], errors: list[str]
) -> None:
    client = logged_in(base)
    deadline = time.monotonic() + seconds
    index = 0
    while time.monotonic() < deadline:
        path = paths[index % len(paths)]
        index += 1
        started = time.perf_counter()
        reply = client.get(path)
        timings[path].append((time.perf_counter() - started) * 1000)
        if reply.status_code != 200:
            errors.append(f"{path}: {reply.status_code}")
    client.close()


def first_paint_ms(base: str) -> float:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(DEBIAN_CHROMIUM), headless=True, args=list(CHROMIUM_ARGS)
        )
        page = browser.new_page()
        page.route("**/favicon.ico", lambda route: route.abort())
        page.goto(base + "/login")
        page.fill("input[name=username]", USER)
        page.fill("input[name=password]", PASSWORD)
        with page.expect_navigation():
            page.click("button[type=submit]")
        page.goto(base + "/")
        try:
            page.wait_for_function(PAINTED, timeout=10_000)
        except PlaywrightError:
            pass  # no paint entry: the load event below still bounds it
        paint = page.evaluate(FIRST_PAINT)
        browser.close()
    return float(paint or 0.0)


def cold_pass(base: str, paths: list[str]) -> dict[str, float]:
    """Each route once, in turn, before anything is cached: what the first caller waits."""
    client = logged_in(base)
    taken = {}
    for path in paths:
        started = time.perf_counter()
        client.get(path).raise_for_status()
        taken[path] = (time.perf_counter() - started) * 1000
    client.close()
    return taken


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=2_000_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--lake", type=Path, help="a demo lake after `bedrot run` (copied)")
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench_dashboard_"))
    try:
        lake = demo_lake(work, options.lake)
        started = time.perf_counter()
        lines = grow_royalty_lines(lake, options.lines)
        print(f"warehouse: {lines:,} royalty lines ({time.perf_counter() - started:.1f} s)")
        UserStore(users_path(lake)).add(USER, PASSWORD)
        paths = routes()
        timings: dict[str, list[float]] = defaultdict(list)
        errors: list[str] = []
        load_before = os.getloadavg()
        with DashboardServer(lake) as server:
            cold = cold_pass(server.url, paths)
            workers = [
                threading.Thread(
                    target=hammer, args=(server.url, paths, options.seconds, timings, errors)
                )
                for _ in range(options.clients)
            ]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
            paint = first_paint_ms(server.url)
        print(
            f"machine: {os.cpu_count()} cores, load average {load_before[0]:.2f} before, "
            f"{os.getloadavg()[0]:.2f} after"
        )
        print(
            f"{options.clients} clients for {options.seconds:.0f} s, "
            f"{sum(len(t) for t in timings.values()):,} requests"
        )
        print(f"  {'cold (1st call)':>16}  {'warm p95':>9}  target   route")
        for path in paths:
            figure = p95(timings[path]) if timings[path] else float("nan")
            verdict = "ok" if figure < P95_TARGET_MS else "SLOW"
            print(
                f"  {cold[path]:13.1f} ms  {figure:6.1f} ms  < {P95_TARGET_MS:.0f} ms  "
                f"{verdict:4}  {path}"
            )
        print(f"errors: {len(errors)} (target 0) {errors[:5]}")
        verdict = "ok" if paint < PAINT_TARGET_MS else "SLOW"
        print(f"overview first paint: {paint:.0f} ms (target < {PAINT_TARGET_MS:.0f} ms) {verdict}")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

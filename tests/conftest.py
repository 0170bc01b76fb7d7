"""Shared fixtures: a throwaway lake and the `bedrot` command as a user runs it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from filelock import FileLock
from playwright.sync_api import Browser, sync_playwright

from common.browser import CHROMIUM_ARGS, DEBIAN_CHROMIUM
from common.demo import prepare_demo_lake
from common.lake import Lake, init_lake
from common.logs import close_logging

BEDROT = Path(sys.executable).with_name("bedrot.exe" if os.name == "nt" else "bedrot")
RunBedrot = Callable[..., subprocess.CompletedProcess[str]]


def bedrot_env(lake_root: Path | None, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BEDROT_")}
    env.pop("PROJECT_ROOT", None)
    if lake_root is not None:
        env["PROJECT_ROOT"] = str(lake_root)
    env.update(extra or {})
    return env


# What a run's own process should never import: the script hosts have them (step 6 runs there).
HEAVY_MODULES = ("sqlalchemy", "polars", "pygal", "common.warehouse.models")


def heavy_imports_probe(*args: str) -> list[str]:
    """A command line that runs `bedrot ARGS` and, on exiting, prints `HEAVY [...]`: which of
    HEAVY_MODULES the command's own process imported."""
    code = f"""import atexit, sys
from common.cli import main
atexit.register(lambda: print("HEAVY", [m for m in {HEAVY_MODULES!r} if m in sys.modules]))
sys.argv = {["bedrot", *args]!r}
main()
"""
    return [sys.executable, "-c", code]


# Never forgotten, wherever pytest's temp folder is: this checkout's own modules and the venv's.
KEPT_PREFIXES = tuple(
    {str(Path(__file__).resolve().parents[1]), sys.prefix, str(Path(sys.prefix).resolve())}
)
# The modules found not to be a lake's, by name: checked once, not after every test.
_KEPT_MODULES: dict[str, object] = {}


@pytest.fixture(scope="session")
def _lakes_folder(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> tuple[str, ...]:
    """Where this session's lakes live (every worker's, and the template they share), as given
    and as resolved."""
    base = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        base = base.parent
    return tuple({str(base), str(base.resolve())})


@pytest.fixture(autouse=True)
def _forget_the_lakes_own_modules(_lakes_folder: tuple[str, ...]) -> Iterator[None]:
    """A test's lake may import its own services (`src/<name>/`, e.g. one `bedrot new-service`
    made) into this process and put its `src` on `sys.path`. Both are dropped afterwards: the
    next test's lake with a service of the same name must read its own, whatever ran before.
    Only a module not already checked under its name is looked at (a module's `__file__` is a
    lazy attribute in some libraries: reading all of them after every test cost ~4 ms a test)."""
    path = list(sys.path)
    yield
    sys.path[:] = path
    for name, module in list(sys.modules.items()):
        if _KEPT_MODULES.get(name) is module:
            continue
        file = getattr(module, "__file__", None)
        if (
            isinstance(file, str)
            and file.startswith(_lakes_folder)
            and not file.startswith(KEPT_PREFIXES)
        ):
            del sys.modules[name]
        else:
            _KEPT_MODULES[name] = module


@pytest.fixture(autouse=True)
def _close_the_logs_a_test_opened() -> Iterator[None]:
    """A step, an ETL or a run called in this process attaches handlers to the `bedrot` logger
    (the lake's log files; a console bound to this test's captured output, which pytest closes
    after it). They end with the test: a later test's log line must not reach a closed stream."""
    yield
    close_logging()


@pytest.fixture(scope="session")
def demo_run_template(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """The demo lake after one whole `bedrot run --automated --no-extract` (curated zone,
    warehouse, report): built once per test session and shared by every xdist worker, which
    copy it rather than run the demo's pipeline again. Never modify it: copy it first."""
    shared = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        shared = shared.parent  # the folder all workers of this session have in common
    root = shared / "demo_run_template"
    with FileLock(str(root) + ".lock"):
        done = root / "built"
        if not done.is_file():
            lake = prepare_demo_lake(root / "lake")
            result = bedrot_in(lake, "run", "--automated", "--no-extract")
            assert result.returncode == 0, result.stdout + result.stderr
            done.write_text("ok\n", encoding="utf-8")
    return root / "lake"


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    """Debian's Chromium, headless, for the tests that open pages (the report, the dashboard).
    One per test module, closed before the worker moves on: Playwright's sync API allows one
    running instance per thread, and extractor and login tests start their own in-process."""
    if not DEBIAN_CHROMIUM.exists():
        pytest.skip(f"{DEBIAN_CHROMIUM} is missing: install Debian's chromium (scripts/test.sh).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(DEBIAN_CHROMIUM), headless=True, args=list(CHROMIUM_ARGS)
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def lake(tmp_path: Path) -> Lake:
    return init_lake(tmp_path / "lake")


def bedrot_in(
    lake: Lake, *args: str, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """`bedrot ARGS` run from `lake`'s root with PROJECT_ROOT naming it, as a user runs it."""
    return subprocess.run(
        [str(BEDROT), *args],
        cwd=lake.root,
        env=bedrot_env(lake.root, env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def kill_run_once(lake: Lake, flag: Path) -> None:
    """Start `bedrot run --automated --no-extract` in `lake`, wait until a script of it makes
    `flag`, then SIGKILL the run's whole process group, as a power cut or Task Manager would."""
    run = subprocess.Popen(
        [str(BEDROT), "run", "--automated", "--no-extract"],
        cwd=lake.root,
        env=bedrot_env(lake.root),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while not flag.exists():
        assert time.monotonic() < deadline and run.poll() is None
        time.sleep(0.05)
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()


@pytest.fixture
def bedrot(lake: Lake) -> RunBedrot:
    """Run `bedrot ARGS` in the test lake; returns the finished process."""

    def run(
        *args: str, env: dict[str, str] | None = None, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        return bedrot_in(lake, *args, env=env, timeout=timeout)

    return run


# What a test needs beyond this process, marked in one place so that, for example,
# `pytest -m "not browser and not postgres and not pipeline"` runs only the in-process suite.
BROWSER_MODULES = frozenset(
    {
        "test_extractor.py",
        "test_extractor_debug.py",
        "test_report_page.py",
        "test_automated_run.py",
        "test_interactive_login.py",
        "test_no_secrets_in_logs.py",
        "test_cookie_refresh.py",
        "test_manage_cookies.py",
        "test_app_browser.py",
        "test_pages_browser.py",
    }
)
PIPELINE_MODULES = frozenset(
    {
        "test_integration.py",
        "test_e2e_scenarios.py",
        "test_install.py",
        "test_demo.py",
        "test_seed_commands.py",
        "test_init_lake.py",
        "test_secrets.py",
        "test_kill9.py",
        "test_kill9_extract.py",
    }
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        name = item.path.name
        if name in BROWSER_MODULES:
            item.add_marker(pytest.mark.browser)
        if name in PIPELINE_MODULES or name.endswith(("_run.py", "_bedrot_run.py")):
            item.add_marker(pytest.mark.pipeline)
        if name.startswith("test_pipeline_") or name == "test_health_cli.py":
            item.add_marker(pytest.mark.pipeline)
        if "postgres" in item.nodeid.lower() or any("postgres" in f for f in item.fixturenames):
            item.add_marker(pytest.mark.postgres)

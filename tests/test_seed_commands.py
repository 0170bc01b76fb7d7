"""Every command the earlier system's users type, in a fresh clone used as the lake: run from
the lake root with PROJECT_ROOT unset and set, each with its exit code and what it says, and
each answering --help. The clone's own `src` comes first on the path, as in the seed's quick
start, so the commands run the clone's code against the clone's lake."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

CHECKOUT = Path(__file__).resolve().parents[1]
TOOLS = Path("src") / "common" / "cookie_refresh"
EXTRACTORS = (
    Path("src/spotify/extractors/spotify_audience_extractor.py"),
    Path("src/toolost/extractors/toolost_scraper.py"),
    Path("src/distrokid/extractors/dk_auth.py"),
    Path("src/linktree/extractors/linktree_analytics_extractor.py"),
    Path("src/metaads/extractors/meta_daily_campaigns_extractor.py"),
    Path("src/tiktok/extractors/tiktok_analytics_extractor.py"),
)


@dataclass(frozen=True)
class Seed:
    """One command line (after `python`), its exit code in a fresh lake, and a phrase it says."""

    args: tuple[str, ...]
    exit_code: int
    says: str


def _tool(name: str, *args: str) -> tuple[str, ...]:
    return (str(TOOLS / f"{name}.py"), *args)


# In a fresh lake no login is saved and no notification channel is set up.
COMMANDS = (
    Seed(_tool("check_status"), 1, "MISSING"),
    Seed(_tool("manual_refresh", "--service", "distrokid", "--dry-run"), 0, "would"),
    Seed(_tool("manual_refresh", "--all", "--force", "--dry-run"), 0, "tiktok/pig1987"),
    Seed(_tool("scheduler"), 0, "bedrot cookies refresh --service"),
    Seed(_tool("view_history", "--service", "all", "--days", "7"), 0, "When (UTC)"),
    Seed(_tool("test_notifications"), 1, "No channel is set up"),
    Seed(_tool("clear_cookies", "--service", "distrokid"), 0, "nothing saved"),
    Seed(_tool("restore_backup", "--service", "distrokid", "--latest"), 1, "no backup"),
    Seed(_tool("configure"), 0, "CRITICAL"),
    Seed(_tool("view_logs", "--service", "distrokid", "--days", "7"), 0, "distrokid"),
    Seed(_tool("test_auth", "--service", "distrokid"), 1, "MISSING"),
    Seed(_tool("health_check"), 0, "notifications"),
    Seed(_tool("view_metrics", "--days", "7"), 0, "toolost"),
    Seed(("-m", "common.cookie_refresh.refresher", "--check-only"), 1, "MISSING"),
    Seed(
        ("-c", "from common.cookies import validate_cookies; print(validate_cookies('spotify'))"),
        0,
        "False",
    ),
    Seed(("src/tiktok/manage_cookies.py", "list"), 1, "zone.a0"),
    Seed((str(EXTRACTORS[2]), "--automated"), 0, "skipped distrokid"),
    Seed(("test_pipeline_components.py",), 0, "service distrokid"),
    Seed(("src/common/pipeline_health_monitor.py",), 1, "service(s)"),
    Seed(("src/common/run_with_auth_check.py", "--check-only", "distrokid"), 1, "MISSING"),
    Seed(("etl/run_all_etl.py",), 0, "0 failed"),
)
HELPED = (
    *(
        _tool(name)
        for name in (
            "check_status",
            "manual_refresh",
            "scheduler",
            "view_history",
            "test_notifications",
            "clear_cookies",
            "restore_backup",
            "configure",
            "view_logs",
            "test_auth",
            "health_check",
            "view_metrics",
            "setup_notifications",
            "start_dashboard",
            "dashboard",
        )
    ),
    ("-m", "common.cookie_refresh.refresher"),
    *((str(path),) for path in EXTRACTORS),
    ("src/tiktok/manage_cookies.py",),
    ("test_pipeline_components.py",),
)


def _tracked_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=CHECKOUT,
        capture_output=True,
        text=True,
        check=True,
    )
    return [name for name in listed.stdout.splitlines() if not name.startswith("tests/")]


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What `git clone` gives a user (tests left out): the checkout's files, no data, no .env."""
    if shutil.which("git") is None or not (CHECKOUT / ".git").exists():
        pytest.skip("needs the git checkout to list its files")
    root = tmp_path_factory.mktemp("clone") / "bedrot-data-lake"
    for name in _tracked_files():
        source = CHECKOUT / name
        if source.is_file():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, root / name)
    return root


def _python(
    clone: Path, args: tuple[str, ...], project_root: bool
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BEDROT_", "SMTP_", "SLACK_"))}
    env.pop("PROJECT_ROOT", None)
    env.pop("META_ACCESS_TOKEN", None)
    env["PYTHONPATH"] = str(clone / "src")
    env["BEDROT_BROWSER_HEADLESS"] = "1"
    if project_root:
        env["PROJECT_ROOT"] = str(clone)
    return subprocess.run(
        [sys.executable, *args],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


@pytest.mark.parametrize("project_root", [False, True], ids=["PROJECT_ROOT unset", "set"])
def test_every_seed_command_runs_from_the_lake_root(clone: Path, project_root: bool) -> None:
    wrong = []
    for seed in COMMANDS:
        done = _python(clone, seed.args, project_root)
        output = done.stdout + done.stderr
        if done.returncode != seed.exit_code or seed.says not in output or "Traceback" in output:
            wrong.append(f"{' '.join(seed.args)} -> exit {done.returncode}:\n{output[-600:]}")
    assert not wrong, "\n\n".join(wrong)
    # Everything they wrote stayed in the clone, under the seed's log names.
    logs = {path.name for path in (clone / "logs").iterdir()}
    assert {"cookie_refresh.log", "pipeline_executor.log"} <= logs
    assert any(name.startswith("extractor_") and name.endswith(".log") for name in logs)


def test_every_seed_command_answers_help(clone: Path) -> None:
    wrong = []
    for args in HELPED:
        done = _python(clone, (*args, "--help"), project_root=False)
        if done.returncode != 0 or "Usage:" not in done.stdout and "usage:" not in done.stdout:
            wrong.append(f"{' '.join(args)} --help -> exit {done.returncode}: {done.stdout[-300:]}")
    assert not wrong, "\n".join(wrong)


def test_configure_writes_the_clones_own_config(clone: Path) -> None:
    config = clone / "config" / "cookie_refresh_config.json"
    checkout_config = CHECKOUT / "config" / "cookie_refresh_config.json"
    before, checkout_before = config.read_text("utf-8"), checkout_config.read_text("utf-8")
    done = _python(
        clone, _tool("configure", "--service", "linktree", "--max-age-days", "45"), False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert config.read_text("utf-8") != before
    assert checkout_config.read_text("utf-8") == checkout_before


def _fake_python(path: Path, says: str) -> None:
    """A `python` whose `-c` answers `says` (what sys.version_info >= (3, 11) printed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\necho {says}\n", encoding="utf-8")
    path.chmod(0o755)


def test_a_venv_of_a_python_older_than_311_is_made_again_and_only_then(tmp_path: Path) -> None:
    """The wrappers' set-up replaces a venv its project cannot install into; when the only
    Python is too old it says so in one sentence (exit 3); a venv whose Python does not answer
    is left alone."""
    repo = tmp_path / "repo"
    wrappers = repo / "6_automated_cronjob"
    wrappers.mkdir(parents=True)
    shutil.copy2(CHECKOUT / "6_automated_cronjob" / "_ensure_venv.sh", wrappers)
    _fake_python(repo / ".venv" / "bin" / "python", "False")
    old_system = tmp_path / "bin" / "python3"  # `python3 -m venv .venv` makes another old venv
    old_system.parent.mkdir()
    old_system.write_text(
        "#!/bin/sh\nmkdir -p .venv/bin && printf '#!/bin/sh\\necho False\\n' > .venv/bin/python"
        " && chmod 755 .venv/bin/python\n",
        encoding="utf-8",
    )
    old_system.chmod(0o755)
    env = {**os.environ, "PATH": f"{old_system.parent}{os.pathsep}{os.environ['PATH']}"}
    source = ["bash", "-c", f"source {wrappers / '_ensure_venv.sh'}"]

    done = subprocess.run(source, capture_output=True, text=True, env=env, check=False)

    assert done.returncode == 3
    assert "older than 3.11: it is removed and made again" in done.stderr
    assert "python3 is older than 3.11 - install Python 3.11 or newer" in done.stderr
    assert not (repo / ".venv").exists()
    _fake_python(repo / ".venv" / "bin" / "python", "")  # a Python that does not start
    (repo / ".venv" / "bin" / "bedrot").write_text("", encoding="utf-8")
    (repo / ".venv" / "bin" / "bedrot").chmod(0o755)
    kept = subprocess.run(source, capture_output=True, text=True, env=env, check=False)
    assert kept.returncode == 0 and (repo / ".venv").exists()

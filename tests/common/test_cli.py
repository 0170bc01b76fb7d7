"""The `bedrot` command: help for every command, the scaffold, the display and single scripts."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import typer.main

from common.cli import app
from common.lake import Lake
from common.testing import lake_with_services, run_in_lake
from common.zones import data_files
from tests.conftest import BEDROT, RunBedrot, bedrot_env

ANSI_ESCAPE = "\x1b["


def _commands() -> dict[str, Any]:
    """Every command by its full name, the cookies group's subcommands included."""
    found: dict[str, Any] = {}

    def walk(prefix: str, group: Any) -> None:
        for name, command in getattr(group, "commands", {}).items():
            found[f"{prefix}{name}"] = command
            walk(f"{prefix}{name} ", command)

    walk("", typer.main.get_command(app))
    return found


def test_every_command_and_option_has_help_text() -> None:
    commands = _commands()
    assert {"run", "init", "new-service", "demo", "health", "cookies status"} <= set(commands)
    for name, command in commands.items():
        assert (command.help or "").strip(), f"bedrot {name} has no help text"
        for parameter in command.params:
            if parameter.name == "help":
                continue
            assert getattr(parameter, "help", None), f"bedrot {name} {parameter.name} has no help"


@pytest.mark.parametrize("command", ["run", "init", "new-service", "demo"])
def test_help_prints_for_each_command(command: str) -> None:
    result = subprocess.run(
        [str(BEDROT), command, "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert "Usage" in result.stdout and "--help" in result.stdout


def made_files(lake: Lake) -> list[Path]:
    return [p for p in (lake.src / "bandcamp").iterdir() if p.is_file()]


def test_new_service_makes_a_service_whose_own_test_passes(lake: Lake, bedrot: RunBedrot) -> None:
    made = bedrot("new-service", "bandcamp")

    assert made.returncode == 0
    for folder in ("extractors", "cleaners", "cookies"):
        assert (lake.src / "bandcamp" / folder).is_dir()
    if sys.platform != "win32":
        assert (lake.src / "bandcamp" / "cookies").stat().st_mode & 0o077 == 0
    scaffolded_test = lake.root / "tests" / "bandcamp" / "test_bandcamp_cleaners.py"
    assert scaffolded_test.is_file()
    # The shape of every service: a declaration, step functions, one-line cleaner scripts.
    assert {"service.py", "settings.py", "steps.py"} <= {p.name for p in made_files(lake)}
    for script in (lake.src / "bandcamp" / "cleaners").glob("*.py"):
        code = [line for line in script.read_text().splitlines() if line and line[0] not in '"#']
        assert code[-1].strip().startswith("raise SystemExit(run_service_step(__file__,"), code
    outcome = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(scaffolded_test)],
        cwd=lake.root,
        env=bedrot_env(None),
        capture_output=True,
        text=True,
        check=False,
    )
    assert outcome.returncode == 0, outcome.stdout
    assert "2 passed" in outcome.stdout


def test_new_service_refuses_a_bad_name_and_an_existing_service(
    lake: Lake, bedrot: RunBedrot
) -> None:
    assert bedrot("new-service", "Meta-Ads").returncode == 1
    assert bedrot("new-service", "bandcamp").returncode == 0
    again = bedrot("new-service", "bandcamp")
    assert again.returncode == 1 and "already exists" in again.stderr
    built_in = bedrot("new-service", "distrokid")
    assert built_in.returncode == 1 and "built-in service" in built_in.stderr
    assert not (lake.src / "distrokid").exists()


def test_a_single_script_run_alone_gives_what_the_runner_gives(
    lake: Lake, bedrot: RunBedrot, tmp_path: Path
) -> None:
    bedrot("new-service", "bandcamp")
    landing = lake.zone("1_landing") / "bandcamp" / "bandcamp_sales_20261101_060000.csv"
    landing.write_text("Date,Sales\n2026-10-31,7\n2026-10-30,4\n", encoding="utf-8")
    cleaners = sorted((lake.src / "bandcamp" / "cleaners").glob("*.py"))
    order = ["landing2raw", "raw2staging", "staging2curated"]
    scripts = sorted(cleaners, key=lambda p: order.index(p.stem.split("_")[-1]))

    alone = [run_in_lake(lake, [str(script)]) for script in scripts]

    assert [r.returncode for r in alone] == [0, 0, 0]
    assert "landing2raw: 1 new file(s) processed" in alone[0].stderr
    assert (lake.logs / "pipeline_executor.log").read_text().count("new file(s) processed") == 3
    by_script = {p.relative_to(lake.root): p.read_bytes() for p in _zone_files(lake)}

    other = lake_with_services(tmp_path / "other", lake, ["bandcamp"])
    (other.zone("1_landing") / "bandcamp" / landing.name).write_bytes(landing.read_bytes())
    env = {**bedrot_env(other.root)}
    runner = subprocess.run(
        [str(BEDROT), "run", "--automated", "--no-extract"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert runner.returncode == 0
    by_runner = {p.relative_to(other.root): p.read_bytes() for p in _zone_files(other)}
    assert by_runner == by_script


def _zone_files(lake: Lake) -> list[Path]:
    """Zone files of the service (the runner's step-6 report is not a cleaner's output)."""
    return [
        p
        for zone in ("2_raw", "3_staging", "4_curated")
        for p in data_files(lake.zone(zone))
        if "reports" not in p.relative_to(lake.root).parts
    ]


def _read_pty(command: list[str], env: dict[str, str], cwd: Path) -> str:
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdin=follower, stdout=follower, stderr=follower
    )
    os.close(follower)
    chunks = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", errors="replace")


@pytest.mark.skipif(sys.platform == "win32", reason="pty is POSIX")
def test_a_terminal_gets_a_live_display_and_a_pipe_gets_plain_lines(
    lake: Lake, bedrot: RunBedrot
) -> None:
    bedrot("new-service", "bandcamp")
    script = lake.src / "bandcamp" / "cleaners" / "bandcamp_landing2raw.py"
    script.write_text("import time\ntime.sleep(1.5)\n")
    env = bedrot_env(lake.root, {"TERM": "xterm-256color", "COLUMNS": "120"})

    on_terminal = _read_pty([str(BEDROT), "run", "--no-extract", "--force"], env, lake.root)
    piped = bedrot("run", "--no-extract", "--force")

    assert ANSI_ESCAPE in on_terminal and "bandcamp" in on_terminal
    assert "━" in on_terminal
    assert ANSI_ESCAPE not in piped.stdout
    assert "[OK] bandcamp_landing2raw.py exited 0" in piped.stdout

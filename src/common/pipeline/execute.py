"""Runs one script in its own process with a timeout, capturing its output."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from common.ledger import RUN_ID_ENV
from common.logs import CORRELATION_ENV, UNDER_RUNNER_ENV

TIMED_OUT = 124
# The shell's "command could not be started": the runner could not start the interpreter.
NOT_STARTED = 127


@dataclass(frozen=True)
class ScriptResult:
    script: Path
    exit_code: int
    duration_seconds: float
    output: str
    timed_out: bool = False
    # The id the script writes into its ledger record, so the runner can find it there.
    run_id: str = ""

    @property
    def ok(self) -> bool:
        return self.exit_code == 0


def script_environment(
    root: Path, correlation_id: str, extra: Mapping[str, str] | None = None
) -> dict[str, str]:
    env = dict(os.environ)
    env.update(extra or {})
    env.update(
        {
            "PROJECT_ROOT": str(root),
            CORRELATION_ENV: correlation_id,
            UNDER_RUNNER_ENV: "1",
            "PYTHONIOENCODING": "utf-8",
            "PYTHONUNBUFFERED": "1",
        }
    )
    # A lake's own services (src/<service>/) import their modules from there, before the installed.
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(root / "src"), env.get("PYTHONPATH", "")) if p
    )
    return env


def _kill_tree(process: subprocess.Popen[bytes]) -> None:
    """Kill the script and anything it started (a browser, a helper)."""
    if sys.platform == "win32":
        subprocess.run(
            ["taskkill", "/F", "/T", "/PID", str(process.pid)], capture_output=True, check=False
        )
    else:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    process.kill()


def run_script(
    script: Path,
    root: Path,
    correlation_id: str,
    timeout: float,
    extra_env: Mapping[str, str] | None = None,
) -> ScriptResult:
    """Run `python script` with PROJECT_ROOT set; never raises for the script's own failures,
    nor when the script cannot be started (exit 127, the reason as its output)."""
    started = time.monotonic()
    run_id = uuid.uuid4().hex[:16]
    env = script_environment(root, correlation_id, {**(extra_env or {}), RUN_ID_ENV: run_id})
    try:
        # Its own process group, so a timeout can stop the script and whatever it started.
        process = subprocess.Popen(
            [sys.executable, str(script)],
            cwd=root,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=sys.platform != "win32",
            creationflags=getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0),
        )
    except OSError as error:
        reason = f"could not start {script.name}: {error}"
        return ScriptResult(script, NOT_STARTED, 0.0, reason, run_id=run_id)
    try:
        output, _ = process.communicate(timeout=timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        _kill_tree(process)
        output, _ = process.communicate()
        timed_out = True
    duration = time.monotonic() - started
    text = output.decode("utf-8", errors="replace")
    exit_code = TIMED_OUT if timed_out else process.returncode
    return ScriptResult(script, exit_code, round(duration, 3), text, timed_out, run_id)

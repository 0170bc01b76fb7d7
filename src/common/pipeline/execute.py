"""Runs one script in its own process with a timeout, capturing its output."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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


@dataclass(frozen=True)
class CallResult:
    """A function called in a script host (`ScriptWorker.call`): what it returned (`value`),
    or, when `exit_code` is not 0, its output says why nothing came back."""

    target: str
    exit_code: int
    output: str
    value: Any = None
    timed_out: bool = False

    @property
    def ok(self) -> bool:
        return self.exit_code == 0

    def problem(self) -> str:
        """One sentence on why the call gave nothing back, with its output's last line."""
        if self.timed_out:
            return "it did not finish within the script timeout and was stopped"
        if self.exit_code == NOT_STARTED:
            return self.output.strip()
        lines = [line.strip() for line in self.output.splitlines() if line.strip()]
        last = f": {lines[-1]}" if lines else ""
        return f"it failed with exit code {self.exit_code}{last}"


@dataclass(frozen=True)
class _Exchange:
    exit_code: int
    duration_seconds: float
    output: str
    timed_out: bool
    run_id: str
    answer: dict[str, Any] | None


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


# A script or host gets its own process group, so a timeout or a kill stops it and whatever it
# started, never the runner.
OWN_PROCESS_GROUP: dict[str, Any] = {
    "start_new_session": sys.platform != "win32",
    "creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0),
}


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
        process = subprocess.Popen(
            [sys.executable, str(script)],
            cwd=root,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            **OWN_PROCESS_GROUP,
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


class ScriptWorker:
    """One `common.pipeline.worker` process: runs scripts (or calls functions) one at a time,
    each with its own environment, output and timeout. A script that times out or kills its
    host takes the worker with it; the pool starts a fresh one for the next script."""

    def __init__(self, root: Path, correlation_id: str) -> None:
        self.root = root
        self.correlation_id = correlation_id
        env = script_environment(root, correlation_id)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "common.pipeline.worker"],
            cwd=root,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            **OWN_PROCESS_GROUP,
        )
        self._answers: queue.Queue[bytes | None] = queue.Queue()
        threading.Thread(target=self._read_answers, daemon=True).start()

    def _read_answers(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._answers.put(line)
        self._answers.put(None)

    def release(self) -> None:
        """Close an idle host's requests: it reads their end and exits. (A host busy with a
        script takes a closed pipe for its runner's death and stops mid-script.)"""
        if self.process.stdin is not None and not self.process.stdin.closed:
            try:
                self.process.stdin.close()
            except OSError:
                pass

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def run(
        self, script: Path, timeout: float, extra_env: Mapping[str, str] | None
    ) -> ScriptResult:
        exchange = self._exchange({"script": str(script)}, timeout, extra_env)
        return ScriptResult(
            script,
            exchange.exit_code,
            exchange.duration_seconds,
            exchange.output,
            exchange.timed_out,
            exchange.run_id,
        )

    def call(
        self, target: str, kwargs: Mapping[str, Any], timeout: float, env: Mapping[str, str]
    ) -> CallResult:
        """`module:function(**kwargs)` in this host; its result must be JSON-able."""
        exchange = self._exchange({"call": target, "kwargs": dict(kwargs)}, timeout, env)
        return CallResult(
            target,
            exchange.exit_code,
            exchange.output,
            (exchange.answer or {}).get("result"),
            exchange.timed_out,
        )

    def _exchange(
        self, request: dict[str, Any], timeout: float, extra_env: Mapping[str, str] | None
    ) -> _Exchange:
        started = time.monotonic()
        run_id = uuid.uuid4().hex[:16]
        env = script_environment(
            self.root, self.correlation_id, {**(extra_env or {}), RUN_ID_ENV: run_id}
        )
        handle, name = tempfile.mkstemp(prefix="bedrot-script-", suffix=".out")
        os.close(handle)
        output_file = Path(name)
        request = {**request, "env": env, "output": name, "cwd": str(self.root)}
        try:
            assert self.process.stdin is not None
            self.process.stdin.write((json.dumps(request) + "\n").encode("utf-8"))
            self.process.stdin.flush()
            line = self._answers.get(timeout=timeout)
            timed_out = False
        except queue.Empty:
            _kill_tree(self.process)
            line, timed_out = None, True
        except OSError:  # the worker is gone: the script could not start in it
            line, timed_out = None, False
        answer: dict[str, Any] | None = None
        if timed_out:
            self.process.wait()
            exit_code = TIMED_OUT
        elif line is None:
            # The worker died under the script (killed, crashed): its exit is the script's.
            exit_code = self.process.wait()
        else:
            answer = json.loads(line)
            exit_code = int(answer["exit_code"])
        text = output_file.read_bytes().decode("utf-8", errors="replace")
        if line is None and not timed_out:
            text += f"\n(the script host ended with exit code {exit_code} before answering)\n"
        if answer is not None and "unsent" in answer:
            text += f"\n(the script host could not send the result back: {answer['unsent']})\n"
        try:
            output_file.unlink(missing_ok=True)
        except OSError:  # held a moment longer (Windows, an antivirus): a temp file, left
            pass
        duration = round(time.monotonic() - started, 3)
        return _Exchange(exit_code, duration, text, timed_out, run_id, answer)

    def close(self) -> None:
        self.release()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            _kill_tree(self.process)
            self.process.wait()


@dataclass
class WorkerPool:
    """Script hosts shared by a run's parallel chains: a chain borrows one for each script, so
    a host that imported polars for one service's cleaner serves the next script too."""

    root: Path
    correlation_id: str
    _idle: list[ScriptWorker] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @contextmanager
    def borrow(self) -> Iterator[ScriptWorker]:
        with self._lock:
            worker = self._idle.pop() if self._idle else None
        if worker is None or not worker.alive:
            worker = ScriptWorker(self.root, self.correlation_id)
        try:
            yield worker
        finally:
            if worker.alive:
                with self._lock:
                    self._idle.append(worker)

    def run(
        self, script: Path, timeout: float, extra_env: Mapping[str, str] | None
    ) -> ScriptResult:
        try:
            with self.borrow() as worker:
                return worker.run(script, timeout, extra_env)
        except OSError as error:
            reason = f"could not start a script host for {script.name}: {error}"
            return ScriptResult(script, NOT_STARTED, 0.0, reason)

    def call(
        self, target: str, kwargs: Mapping[str, Any], timeout: float, env: Mapping[str, str]
    ) -> CallResult:
        """`module:function(**kwargs)` in a warm host (the one that ran the last script)."""
        try:
            with self.borrow() as worker:
                return worker.call(target, kwargs, timeout, env)
        except OSError as error:
            return CallResult(target, NOT_STARTED, f"could not start a script host: {error}")

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for worker in idle:  # every host winds down at once, not one after the other
            worker.release()
        for worker in idle:
            worker.close()

"""Cleaners run in shared script hosts: one interpreter serves a chain's scripts, each script still
gets its own environment, output, ledger record and timeout, and a script that kills its host
costs only its own chain."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from common.lake import Lake
from common.ledger import read_records
from common.pipeline.execute import ScriptWorker
from tests.common.pipeline_support import drop_daily, process_alive
from tests.conftest import RunBedrot

RECORDS_ITS_HOST = """import os, sys
from pathlib import Path
from common.script import run_script
from {service}.steps import {step}
with Path(os.environ["PROJECT_ROOT"], "hosts.txt").open("a") as out:
    out.write(f"{{os.path.basename(sys.argv[0])}} {{os.getpid()}}\\n")
raise SystemExit(run_script("{service}", {step}))
"""
KILLS_ITS_HOST = """import os, signal
print("about to stop abruptly", flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def _record_hosts(lake: Lake, service: str) -> None:
    for step, name in (
        ("landing_to_raw", "landing2raw"),
        ("raw_to_staging", "raw2staging"),
        ("staging_to_curated", "staging2curated"),
    ):
        script = lake.src / service / "cleaners" / f"{service}_{name}.py"
        script.write_text(RECORDS_ITS_HOST.format(service=service, step=step), encoding="utf-8")


def _hosts(lake: Lake) -> dict[str, int]:
    lines = (lake.root / "hosts.txt").read_text().split("\n")
    return {name: int(pid) for name, pid in (line.split() for line in lines if line)}


@pytest.mark.parametrize(
    "fresh", [pytest.param(False, id="one-host"), pytest.param(True, id="host-per-script")]
)
def test_a_chains_cleaners_share_one_interpreter_unless_configured_otherwise(
    lake: Lake, bedrot: RunBedrot, fresh: bool
) -> None:
    bedrot("new-service", "alpha")
    drop_daily(lake, "alpha")
    _record_hosts(lake, "alpha")
    env = {"BEDROT_FRESH_PROCESS_PER_SCRIPT": "1"} if fresh else {}

    result = bedrot("run", "--no-extract", "--no-warehouse", env=env)

    assert result.returncode == 0, result.stdout
    assert (lake.zone("4_curated") / "alpha" / "alpha_daily.csv").is_file()
    hosts = _hosts(lake)
    assert len(hosts) == 3
    assert len(set(hosts.values())) == (3 if fresh else 1)
    # Each script still has its own ledger record, under its own run id.
    records = [r for r in read_records(lake.logs) if r.service == "alpha"]
    assert [r.outcome for r in records] == ["ok", "ok", "ok"]
    assert len({r.run_id for r in records}) == 3
    assert all(r.recorded_by == "script" for r in records)


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")
def test_a_script_that_kills_its_host_fails_its_chain_only_and_the_next_run_recovers(
    lake: Lake, bedrot: RunBedrot
) -> None:
    for service in ("alpha", "omega"):
        bedrot("new-service", service)
        drop_daily(lake, service)
    killer = lake.src / "alpha" / "cleaners" / "alpha_raw2staging.py"
    original = killer.read_text(encoding="utf-8")
    killer.write_text(KILLS_ITS_HOST, encoding="utf-8")

    first = bedrot("run", "--no-extract", "--no-warehouse", env={"BEDROT_WORKERS": "1"})

    assert first.returncode == 1
    assert (lake.zone("4_curated") / "omega" / "omega_daily.csv").is_file()
    assert not (lake.zone("4_curated") / "alpha" / "alpha_daily.csv").exists()
    records = {r.script: r for r in read_records(lake.logs) if r.service == "alpha"}
    assert records["alpha_raw2staging.py"].outcome == "failed"
    assert records["alpha_raw2staging.py"].exit_code == -signal.SIGKILL
    assert "about to stop abruptly" in first.stdout
    assert "the script host ended with exit code -9 before answering" in first.stdout
    assert "alpha_staging2curated.py: not run because alpha_raw2staging.py failed" in first.stdout

    killer.write_text(original, encoding="utf-8")
    second = bedrot("run", "--no-extract", "--no-warehouse")

    assert second.returncode == 0, second.stdout
    assert (lake.zone("4_curated") / "alpha" / "alpha_daily.csv").is_file()


def _script(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.write_text(body, encoding="utf-8")
    return path


def test_a_host_gives_each_script_its_own_environment_folder_and_output(tmp_path: Path) -> None:
    changes = _script(
        tmp_path,
        "changes.py",
        "import os, sys\nos.environ['LEFT_BEHIND'] = 'yes'\nos.chdir('elsewhere')\n"
        "print('first says hello')\nprint('to stderr', file=sys.stderr)\nraise SystemExit(3)\n",
    )
    looks = _script(
        tmp_path,
        "looks.py",
        "import os, json\n"
        "run_id = os.environ['BEDROT_SCRIPT_RUN_ID']\n"
        "print(json.dumps([os.environ.get('LEFT_BEHIND'), os.getcwd(), run_id]))\n",
    )
    (tmp_path / "elsewhere").mkdir()  # the first script moves there; the second must not
    worker = ScriptWorker(tmp_path, "corr-1")
    try:
        first = worker.run(changes, timeout=60, extra_env=None)
        second = worker.run(looks, timeout=60, extra_env=None)
        assert worker.alive
    finally:
        worker.close()

    assert first.exit_code == 3
    assert "first says hello" in first.output and "to stderr" in first.output
    left_behind, folder, run_id = json.loads(second.output)
    assert left_behind is None
    assert Path(folder) == tmp_path
    assert run_id == second.run_id != first.run_id
    assert "first says hello" not in second.output


def test_a_script_over_its_timeout_is_stopped_with_its_host(tmp_path: Path) -> None:
    sleeper = _script(tmp_path, "sleeps.py", "import time\nprint('started', flush=True)\n"
                      "time.sleep(600)\n")  # fmt: skip
    worker = ScriptWorker(tmp_path, "corr-2")
    try:
        result = worker.run(sleeper, timeout=1.5, extra_env=None)
    finally:
        worker.close()

    assert result.timed_out and result.exit_code == 124
    assert "started" in result.output
    assert not worker.alive


@pytest.mark.skipif(os.name == "nt", reason="POSIX process groups")
def test_a_host_whose_runner_was_killed_stops_instead_of_finishing_its_script(
    tmp_path: Path,
) -> None:
    # A stand-in runner starts a host on a slow script and is then killed with SIGKILL.
    slow = _script(
        tmp_path,
        "slow.py",
        "import os, time\nfrom pathlib import Path\n"
        "Path('host.tmp').write_text(str(os.getpid()))\nPath('host.tmp').replace('host.pid')\n"
        "time.sleep(30)\n"
        "Path('finished').write_text('yes')\n",
    )
    runner = _script(
        tmp_path,
        "runner.py",
        "import sys\nfrom pathlib import Path\nfrom common.pipeline.execute import ScriptWorker\n"
        f"ScriptWorker(Path({str(tmp_path)!r}), 'c').run(Path({str(slow)!r}), 60, None)\n",
    )
    process = subprocess.Popen([sys.executable, str(runner)], cwd=tmp_path)
    pid_file = tmp_path / "host.pid"
    deadline = time.monotonic() + 60
    while not pid_file.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert pid_file.exists(), "the host never started the slow script"
    host = int(pid_file.read_text())
    process.kill()
    process.wait()

    deadline = time.monotonic() + 10
    while process_alive(host) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not process_alive(host)
    assert not (tmp_path / "finished").exists()


PROBE = """import os
from pathlib import Path


def answer(x):
    return {"twice": x * 2, "pid": os.getpid(), "root": os.environ["PROJECT_ROOT"]}


def raises():
    raise ValueError("the probe could not go on")


def crashes():
    print("going down", flush=True)
    os._exit(3)


def not_json():
    return {"a set": {1, 2}}
"""


def test_a_function_called_in_a_host_answers_from_the_interpreter_its_scripts_warmed(
    tmp_path: Path,
) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "probe_mod.py").write_text(PROBE, encoding="utf-8")
    pid_of = _script(tmp_path, "pid.py", "import os\nprint(os.getpid())\n")
    worker = ScriptWorker(tmp_path, "corr-3")
    try:
        script = worker.run(pid_of, timeout=60, extra_env=None)
        called = worker.call("probe_mod:answer", {"x": 21}, timeout=60, env={})
        raised = worker.call("probe_mod:raises", {}, timeout=60, env={})
        unsent = worker.call("probe_mod:not_json", {}, timeout=60, env={})
        assert worker.alive
        crashed = worker.call("probe_mod:crashes", {}, timeout=60, env={})
    finally:
        worker.close()

    assert called.ok and called.value["twice"] == 42
    assert called.value["pid"] == int(script.output)  # the same, already warm interpreter
    assert called.value["root"] == str(tmp_path)
    assert raised.exit_code == 1 and raised.value is None
    assert "ValueError: the probe could not go on" in raised.output
    assert raised.problem().endswith("ValueError: the probe could not go on")
    assert not unsent.ok and "could not send the result back" in unsent.problem()
    assert crashed.exit_code == 3 and "going down" in crashed.output
    assert "ended with exit code 3 before answering" in crashed.problem()
    assert crashed.problem().startswith("it failed with exit code 3")


# A runner that starts its host the way Windows does from a venv: through a launcher process
# that waits for the real interpreter and outlives a killed runner. It sends one long script.
RUNNER_BEHIND_A_LAUNCHER = """import json, os, subprocess, sys, time
launcher = ("import subprocess, sys; "
            "sys.exit(subprocess.call([sys.executable, '-m', 'common.pipeline.worker']))")
host = subprocess.Popen([sys.executable, "-c", launcher], stdin=subprocess.PIPE,
                        stdout=subprocess.PIPE)
request = {"script": sys.argv[1], "env": dict(os.environ), "output": sys.argv[2]}
host.stdin.write((json.dumps(request) + "\\n").encode())
host.stdin.flush()
print(host.pid, flush=True)
time.sleep(600)
"""
LONG_SCRIPT = """import os, sys, time
from pathlib import Path
Path(sys.argv[0]).with_suffix(".pid").write_text(str(os.getpid()))
time.sleep(20)
Path(sys.argv[0]).with_suffix(".finished").write_text("no one will record this")
"""


@pytest.mark.skipif(sys.platform == "win32", reason="kills one process with SIGKILL")
def test_a_host_stops_when_its_runner_is_killed_even_if_its_parent_lives_on(
    tmp_path: Path,
) -> None:
    script = tmp_path / "long.py"
    script.write_text(LONG_SCRIPT, encoding="utf-8")
    runner = subprocess.Popen(
        [sys.executable, "-c", RUNNER_BEHIND_A_LAUNCHER, str(script), str(tmp_path / "out")],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert runner.stdout is not None
    launcher = int(runner.stdout.readline())
    deadline = time.monotonic() + 60
    while not script.with_suffix(".pid").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    host = int(script.with_suffix(".pid").read_text())
    try:
        os.kill(runner.pid, signal.SIGKILL)  # the runner alone: its launcher and host live on
        runner.wait()
        stopped_by = time.monotonic() + 5
        while process_alive(host) and time.monotonic() < stopped_by:
            time.sleep(0.05)

        # The host saw its requests pipe hang up and stopped mid-script (its parent, the
        # launcher, was still there: the parent's id could not tell it).
        assert not process_alive(host)
        assert not script.with_suffix(".finished").exists()
    finally:
        for pid in (host, launcher):
            if process_alive(pid):
                os.kill(pid, signal.SIGKILL)

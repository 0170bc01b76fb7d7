"""Kill -9 trials: a `bedrot run` killed at some moment (a power cut, Task Manager), then run
again undisturbed, must leave the same curated files and warehouse rows as a run never killed.

Shared by `benchmarks/bench_kill9.py` (many random moments) and `tests/reliability/test_kill9.py`
(a few fixed ones). POSIX only: a kill reaches the runner's process group and every script it
started (the runner starts each script in a session of its own, so a group kill alone would
leave the script running, which a power cut never does).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from common.demo import prepare_demo_lake
from common.hashing import sha256_file
from common.lake import ZONE_NAMES, Lake, choose_builtin_services
from common.reports.settings import REPORTS_FOLDER
from common.warehouse.database import DEFAULT_SQLITE
from common.zones import CURATED, QUARANTINE_FOLDER, TEMP_MARKER, data_files

BEDROT = Path(sys.executable).with_name("bedrot.exe" if os.name == "nt" else "bedrot")
RUN_ARGS = ("run", "--automated", "--no-extract")
RUN_TIMEOUT_SECONDS = 900.0
# Rows that say when or by which run something happened, not what the lake holds.
IGNORED_TABLES = frozenset({"etl_runs", "agg_refreshes", "warehouse_upkeep"})
IGNORED_COLUMNS = frozenset({"loaded_at", "applied_at", "mtime_ns"})
PHASES = {
    1: "step 1 cookie check",
    2: "step 2 health",
    3: "step 3 extract",
    4: "step 4 cleaning",
    5: "step 5 ETL",
    6: "step 6 reports",
}
_STEP_LINE = re.compile(r"\[STEP (\d)/6\]")


@dataclass(frozen=True)
class LakeState:
    """What a finished run leaves that a user relies on: curated files (by content), the report
    files (by name: they carry the time they were drawn), what was quarantined, and every
    warehouse table's rows (money as stored, exact)."""

    curated: dict[str, str]
    reports: frozenset[str]
    quarantined: frozenset[str]
    warehouse: dict[str, list[tuple[object, ...]]]

    def differences(self, other: LakeState) -> list[str]:
        """Sentences naming what `other` holds differently from this (the expected) state."""
        found: list[str] = []
        for name in sorted(set(self.curated) | set(other.curated)):
            if self.curated.get(name) != other.curated.get(name):
                found.append(f"curated {name}: {_presence(self.curated, other.curated, name)}")
        if self.reports != other.reports:
            found.append(f"reports differ: {sorted(self.reports ^ other.reports)}")
        if self.quarantined != other.quarantined:
            found.append(f"quarantine differs: {sorted(self.quarantined ^ other.quarantined)}")
        for table in sorted(set(self.warehouse) | set(other.warehouse)):
            mine, theirs = self.warehouse.get(table, []), other.warehouse.get(table, [])
            if mine != theirs:
                missing = len(_multiset_minus(mine, theirs))
                extra = len(_multiset_minus(theirs, mine))
                found.append(
                    f"warehouse {table}: {len(theirs)} rows, expected {len(mine)} "
                    f"({missing} missing, {extra} unexpected)"
                )
        return found


def _presence(expected: dict[str, str], actual: dict[str, str], name: str) -> str:
    if name not in actual:
        return "missing"
    if name not in expected:
        return "unexpected"
    return "content differs"


def _multiset_minus(
    left: list[tuple[object, ...]], right: list[tuple[object, ...]]
) -> list[tuple[object, ...]]:
    """The rows of `left` that `right` does not hold (as many times as `left` has them more)."""
    return list((Counter(left) - Counter(right)).elements())


class _Warehouse:
    """Rows of a SQLite warehouse with surrogate keys replaced by what they stand for: a track
    id by the track's row, so two loads that numbered the same tracks differently compare equal
    and a row pointing at another track does not."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection
        self._natural: dict[str, dict[object, tuple[object, ...]]] = {}

    def tables(self) -> list[str]:
        return [
            row[0]
            for row in self.connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]

    def _references(self, table: str) -> dict[str, str]:
        """The dimension table each integer `<name>_id` column of `table` points at, declared
        foreign key or not (the aggregate tables keep theirs undeclared): `<name>s`, or
        `<name minus y>ies`."""
        tables = set(self.tables())
        references = {}
        for info in self.connection.execute(f'PRAGMA table_info("{table}")'):
            name, declared_type = str(info[1]), str(info[2]).upper()
            if name.endswith("_id") and "INT" in declared_type:
                stem = name[: -len("_id")]
                for candidate in (f"{stem}s", f"{stem[:-1]}ies"):
                    if candidate in tables and candidate != table:
                        references[name] = candidate
        declared = {
            info[3]: info[2]
            for info in self.connection.execute(f'PRAGMA foreign_key_list("{table}")')
        }
        return {**references, **declared}

    def _columns(self, table: str) -> list[str]:
        return [
            info[1]
            for info in self.connection.execute(f'PRAGMA table_info("{table}")')
            if info[1] not in IGNORED_COLUMNS
        ]

    def _read(self, table: str) -> list[tuple[object, tuple[object, ...]]]:
        """(id or None, the row without its id and with references resolved)."""
        columns = self._columns(table)
        references = self._references(table)
        quoted = ", ".join(f'"{column}"' for column in columns)
        out = []
        for row in self.connection.execute(f'SELECT {quoted} FROM "{table}"'):
            key: object = None
            values: list[object] = []
            for column, value in zip(columns, row):
                if column == "id":
                    key = value
                elif column in references and value is not None:
                    values.append(self.natural(references[column]).get(value, ("dangling", value)))
                else:
                    values.append(value)
            out.append((key, tuple(values)))
        return out

    def natural(self, table: str) -> dict[object, tuple[object, ...]]:
        if table not in self._natural:
            self._natural[table] = {}  # a reference cycle resolves to nothing, not forever
            self._natural[table] = dict(self._read(table))
        return self._natural[table]

    def rows(self, table: str) -> list[tuple[object, ...]]:
        return sorted((values for _, values in self._read(table)), key=repr)


def warehouse_rows(database: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows, sorted, by content, without the run-bookkeeping tables and columns."""
    if not database.is_file():
        return {}
    connection = sqlite3.connect(f"file:{database.as_posix()}?mode=ro", uri=True)
    try:
        warehouse = _Warehouse(connection)
        return {
            table: warehouse.rows(table)
            for table in warehouse.tables()
            if table not in IGNORED_TABLES
        }
    finally:
        connection.close()


def lake_state(root: Path) -> LakeState:
    lake = Lake(root)
    curated_zone = lake.zone(CURATED)
    curated: dict[str, str] = {}
    reports: set[str] = set()
    for path in data_files(curated_zone):
        relative = path.relative_to(curated_zone).as_posix()
        if relative.startswith(f"{REPORTS_FOLDER}/"):
            reports.add(relative)
        else:
            curated[relative] = sha256_file(path)
    quarantined = {
        path.relative_to(root).as_posix()
        for zone in ZONE_NAMES
        for path in (lake.zone(zone) / QUARANTINE_FOLDER).rglob("*")
        if path.is_file()
    }
    return LakeState(
        curated,
        frozenset(reports),
        frozenset(quarantined),
        warehouse_rows(root / DEFAULT_SQLITE),
    )


def leftover_temp_files(root: Path) -> list[str]:
    """Temp files of interrupted writes still in the zones (a finished run removes them)."""
    lake = Lake(root)
    return sorted(
        path.relative_to(root).as_posix()
        for zone in ZONE_NAMES
        if lake.zone(zone).is_dir()
        for path in lake.zone(zone).rglob(f"*{TEMP_MARKER}")
    )


def build_demo_template(root: Path, services: Iterable[str] | None = None) -> Path:
    """The demo's landing files in a new lake at `root`, nothing run yet; with `services`, only
    those services run (the others' landing files stay where the demo dropped them)."""
    lake = prepare_demo_lake(root)
    if services is not None:
        choose_builtin_services(lake, sorted(services))
    return lake.root


def bedrot_env(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BEDROT_")}
    env.pop("WAREHOUSE_URL", None)
    env.update({"PROJECT_ROOT": str(root), "PYTHONUNBUFFERED": "1"})
    return env


def run_undisturbed(root: Path) -> tuple[subprocess.CompletedProcess[str], float]:
    """`bedrot run --automated --no-extract` in `root`, to its end; and its wall time."""
    started = time.monotonic()
    done = subprocess.run(
        [str(BEDROT), *RUN_ARGS],
        cwd=root,
        env=bedrot_env(root),
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_SECONDS,
        check=False,
    )
    return done, time.monotonic() - started


def _children(pid: int) -> list[int]:
    """Every process whose parent is `pid`, from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces and parentheses.
        fields = stat.rsplit(")", 1)[-1].split()
        if len(fields) > 1 and int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def process_tree(pid: int) -> list[int]:
    """`pid` and all its descendants."""
    tree, waiting = [], [pid]
    while waiting:
        current = waiting.pop()
        tree.append(current)
        waiting.extend(_children(current))
    return tree


def kill_everything(run: subprocess.Popen[bytes]) -> None:
    """SIGKILL the runner's process group and every process it started, as a power cut would.
    The runner's group (it leads its own session) is stopped first, in one call: listing the
    tree takes a while on a busy machine, and a run's last steps can end within 50 ms."""
    try:
        os.killpg(run.pid, signal.SIGSTOP)
    except ProcessLookupError:
        pass
    tree = process_tree(run.pid)
    groups = set()
    for pid in tree:
        try:
            groups.add(os.getpgid(pid))
        except ProcessLookupError:
            continue
    for group in groups:
        try:
            os.killpg(group, signal.SIGKILL)
        except ProcessLookupError:
            pass
    for pid in tree:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    run.wait()


def phase_hit(output: str) -> str:
    """Which part of the run a kill hit, from what the killed run had said so far."""
    if "Run finished in" in output:
        return "after the run finished"
    steps = _STEP_LINE.findall(output)
    if not steps:
        return "startup (before step 1)"
    phase = PHASES.get(int(steps[-1]), f"step {steps[-1]}")
    finished = output.split(f"[STEP {steps[-1]}/6]", 1)[-1].count("[OK] ")
    return f"{phase} ({finished} script(s) done in it)" if finished else phase


@dataclass(frozen=True)
class Kill:
    """When to kill: `delay` seconds after the run starts, or after its output first shows
    `after` (a step's `[STEP n/6]` line) and, with `appears`, that file of the lake exists (the
    warehouse database, which the ETL creates as it starts on a new lake)."""

    delay: float
    after: str | None = None
    appears: str | None = None


@dataclass
class TrialResult:
    kill: Kill
    phase: str
    rerun_exit: int
    differences: list[str] = field(default_factory=list)
    leftovers: list[str] = field(default_factory=list)
    removed_temp_files: bool = False
    rerun_output: str = ""

    @property
    def converged(self) -> bool:
        return self.rerun_exit == 0 and not self.differences and not self.leftovers


def _wait_for(text: str, output: Path, run: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and run.poll() is None:
        if text in output.read_text(encoding="utf-8", errors="replace"):
            return
        time.sleep(0.02)


def _wait_for_file(path: Path, run: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and run.poll() is None and not path.exists():
        time.sleep(0.005)


def kill_once(root: Path, kill: Kill) -> str:
    """Start a run in `root`, kill it (with everything it started) as `kill` says; what the run
    had printed by then."""
    output = root.parent / f"{root.name}.killed.out"
    with output.open("wb") as sink:
        run = subprocess.Popen(
            [str(BEDROT), *RUN_ARGS],
            cwd=root,
            env=bedrot_env(root),
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            if kill.after is not None:
                _wait_for(kill.after, output, run, RUN_TIMEOUT_SECONDS)
            if kill.appears is not None:
                _wait_for_file(root / kill.appears, run, RUN_TIMEOUT_SECONDS)
            time.sleep(kill.delay)
        finally:
            kill_everything(run)
    return output.read_text(encoding="utf-8", errors="replace")


def run_trial(template: Path, work: Path, expected: LakeState, kill: Kill) -> TrialResult:
    """A fresh copy of the not-yet-run `template` at `work`, a run killed as `kill` says, one
    undisturbed rerun; how the result compares with `expected`."""
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(template, work, symlinks=True)
    phase = phase_hit(kill_once(work, kill))
    rerun, _ = run_undisturbed(work)
    return TrialResult(
        kill=kill,
        phase=phase,
        rerun_exit=rerun.returncode,
        differences=expected.differences(lake_state(work)),
        leftovers=leftover_temp_files(work),
        removed_temp_files="unfinished temporary file(s)" in rerun.stdout,
        rerun_output=rerun.stdout + rerun.stderr,
    )


def expected_state(template: Path, work: Path) -> tuple[LakeState, float]:
    """The state one undisturbed run of a copy of `template` leaves, and its wall time."""
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(template, work, symlinks=True)
    done, seconds = run_undisturbed(work)
    if done.returncode != 0:
        raise RuntimeError(f"the undisturbed run exited {done.returncode}:\n{done.stdout}")
    return lake_state(work), seconds

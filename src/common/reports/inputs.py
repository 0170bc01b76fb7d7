"""What the report is built from, told cheaply: so that step 6 of a run with nothing new finds
out in milliseconds that the report (and the money analytics it refreshes) would come out the
same, instead of reading millions of royalty lines to find it out.

The fingerprint covers everything the report reads: the warehouse's loaded files (one small
query on `source_files`, whose rows change whenever the ETL loads, reloads or drops a file),
the curated files and config files (by size and modification time), the code that builds it
(its modules' stat), the warehouse it points at and the current month (the money section judges
a sale month open or overdue from the first day of a month). It is stored beside the report
after a build that succeeded, with the page's own stat, so a page deleted or edited by hand is
built again. A missing or unreadable state file means "build": it never stops a run.

Only the standard library is imported here; the heavy drawing and database modules load after
the fingerprint says there is work.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from common.lake import (
    LOADED_FILES_SQL,
    Lake,
    sqlite_loaded_files,
    sqlite_warehouse_file,
    warehouse_url,
)
from common.reports.settings import REPORT_NAME, REPORTS_FOLDER
from common.zones import CURATED, STEP6_OUTPUT_FOLDERS, atomic_write_text

STATE_FILE = ".report_inputs.json"
STATE_VERSION = 1
# The code that decides what the report shows (below src/common/): its own packages and the
# warehouse modules whose queries and types it reads through. A new version of what loads the
# warehouse shows up as a load (source_files) when it changes what is loaded.
CODE = (
    "reports",
    "money",
    "warehouse/aggregates.py",
    "warehouse/models.py",
    "warehouse/money_sql.py",
    "warehouse/money_tables.py",
    "warehouse/summary.py",
    "warehouse/types.py",
)


@dataclass(frozen=True)
class ReportState:
    """What the last successful build was made from, and the page it left."""

    inputs: str
    page: tuple[int, int]


def state_path(lake: Lake) -> Path:
    return lake.zone(CURATED) / REPORTS_FOLDER / STATE_FILE


def page_path(lake: Lake) -> Path:
    return lake.zone(CURATED) / REPORTS_FOLDER / REPORT_NAME


def _stat(path: Path) -> tuple[int, int]:
    status = path.stat()
    return status.st_size, status.st_mtime_ns


def _files_stat(folder: Path, skip: tuple[Path, ...] = ()) -> list[tuple[str, int, int]]:
    """Every file below `folder` by relative path, size and modification time; hidden and
    bookkeeping files (`.x`, `_x`) and the `skip` folders left out."""
    found: list[tuple[str, int, int]] = []
    if not folder.is_dir():
        return found
    for directory, folders, names in os.walk(folder):
        here = Path(directory)
        folders[:] = sorted(
            name for name in folders if not name.startswith((".", "_")) and here / name not in skip
        )
        for name in sorted(names):
            if name.startswith((".", "_")):
                continue
            path = here / name
            try:
                size, mtime = _stat(path)
            except OSError:
                continue  # removed while we looked: the next run sees what replaced it
            found.append((path.relative_to(folder).as_posix(), size, mtime))
    return found


def _server_loaded_files(url: str) -> list[str]:
    """The same identity on a database server (PostgreSQL): through the warehouse's engine."""
    from sqlalchemy import text

    from common.warehouse.database import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            row = connection.execute(text(LOADED_FILES_SQL)).one()
    finally:
        engine.dispose()
    return [str(value) for value in row]


def warehouse_identity(lake: Lake) -> list[str]:
    """Which warehouse the report reads (the URL only as a digest: it may hold a password) and
    what has been loaded into it. A warehouse that cannot be read gives a value no stored state
    has, so the report is built and says what went wrong."""
    url = warehouse_url(lake)
    where = hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]
    database = sqlite_warehouse_file(lake)
    try:
        if database is not None:
            loaded = sqlite_loaded_files(database)
        else:
            loaded = _server_loaded_files(url)
    except Exception as error:  # unreadable now: build, and let the build report why
        loaded = [f"unreadable {os.urandom(8).hex()}", type(error).__name__]
    return [where, *loaded]


def code_identity() -> list[tuple[str, int, int]]:
    """The stat of the modules that build the report: a new version of them builds it again."""
    common = Path(__file__).resolve().parent.parent
    files: list[tuple[str, int, int]] = []
    for name in CODE:
        path = common / name
        if path.is_dir():
            files += [(f"{name}/{p}", s, m) for p, s, m in _files_stat(path)]
        elif path.is_file():
            files.append((name, *_stat(path)))
    return files


def report_inputs(lake: Lake, today: date) -> str:
    """The fingerprint of everything the report would be built from, as of `today`."""
    curated = lake.zone(CURATED)
    parts = {
        "version": STATE_VERSION,
        "month": today.strftime("%Y-%m"),
        "warehouse": warehouse_identity(lake),
        # Step 6's own output (this report, the statements) is not what the report shows.
        "curated": _files_stat(curated, skip=tuple(curated / f for f in STEP6_OUTPUT_FOLDERS)),
        "config": _files_stat(lake.config),
        "code": code_identity(),
    }
    encoded = json.dumps(parts, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()


def read_state(lake: Lake) -> ReportState | None:
    """The stored state, or None when there is none or it cannot be understood."""
    try:
        document = json.loads(state_path(lake).read_text(encoding="utf-8"))
        inputs, page = document["inputs"], document["page"]
        if not isinstance(inputs, str) or not isinstance(page, list) or len(page) != 2:
            return None
        return ReportState(inputs, (int(page[0]), int(page[1])))
    except (OSError, ValueError, TypeError, KeyError):
        return None


def is_current(lake: Lake, inputs: str) -> bool:
    """True when the last build was made from exactly `inputs` and left the page as it is."""
    state = read_state(lake)
    if state is None or state.inputs != inputs:
        return False
    try:
        return _stat(page_path(lake)) == state.page
    except OSError:
        return False


def remember(lake: Lake, inputs: str) -> None:
    """Store what a successful build was made from (written atomically beside the page)."""
    page = _stat(page_path(lake))
    document = {"inputs": inputs, "page": list(page)}
    atomic_write_text(state_path(lake), json.dumps(document, indent=2) + "\n")


def forget(lake: Lake) -> None:
    """A failed build leaves no state: the next run builds again. A state file that cannot be
    removed (locked on Windows) is left: it names the inputs of the last good build, which
    differ from these, so the next run builds again all the same."""
    try:
        state_path(lake).unlink(missing_ok=True)
    except OSError:
        pass

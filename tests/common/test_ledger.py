"""The run ledger: whole lines under parallel writers, damaged lines passed over, and what a
script run records about itself."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

from common.lake import Lake
from common.ledger import (
    MAX_NAMES,
    FileCount,
    LedgerRecord,
    append_record,
    ledger_path,
    read_records,
    step_of,
    tail_offset,
)
from common.scaffold import new_service
from common.testing import run_in_lake

WHEN = datetime(2026, 11, 20, 6, 0, tzinfo=timezone.utc)
WRITER = """
import sys
from datetime import datetime, timezone
from pathlib import Path
from common.ledger import FileCount, LedgerRecord, append_record

logs, writer, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
names = tuple(f"1_landing/{writer}/" + "x" * 150 + f"_{n}.csv" for n in range(20))
for number in range(count):
    append_record(logs, LedgerRecord(
        datetime.now(timezone.utc), writer, f"{writer}-{number}", writer, f"{writer}.py",
        "landing2raw", "ok", 0, 0.1, "script", {"read": FileCount(number, names)},
    ))
"""


def record(service: str = "bandcamp", script: str = "bandcamp_landing2raw.py") -> LedgerRecord:
    return LedgerRecord(
        WHEN, "run1", "id1", service, script, "landing2raw", "ok", 0, 1.5, "script", {}
    )


def test_a_record_reads_back_as_written(lake: Lake) -> None:
    files = {"read": FileCount(2, ("1_landing/b/a.csv", "1_landing/b/c.csv"))}
    written = LedgerRecord(
        WHEN, "run1", "id1", "bandcamp", "b_landing2raw.py", "landing2raw", "ok", 0, 1.5, "script",
        files,
    )  # fmt: skip

    append_record(lake.logs, written)

    [back] = read_records(lake.logs)
    assert back.to_json() == written.to_json()
    assert (back.count("read"), back.count("written"), back.count("quarantined")) == (2, 0, 0)


def test_a_cut_off_last_line_and_garbage_are_passed_over(lake: Lake) -> None:
    append_record(lake.logs, record("first"))
    with ledger_path(lake.logs).open("ab") as stream:
        stream.write(b'{"broken json\n[1, 2]\n\xff\xfe binary\n{"outcome": "ok"}\n')
        stream.write(b'{"timestamp": "nonsense", "outcome": "ok", "exit_code": 0}\n')
    append_record(lake.logs, record("second"))
    whole = ledger_path(lake.logs).read_bytes()
    # A process killed in the middle of its write leaves a line without its end.
    ledger_path(lake.logs).write_bytes(whole + whole.splitlines(keepends=True)[0][:40])

    assert [r.service for r in read_records(lake.logs)] == ["first", "second"]
    append_record(lake.logs, record("third"))
    assert [r.service for r in read_records(lake.logs)] == ["first", "second", "third"]


def test_a_missing_or_unreadable_ledger_reads_as_empty(lake: Lake) -> None:
    assert read_records(lake.logs) == []
    ledger_path(lake.logs).mkdir(parents=True)
    assert read_records(lake.logs) == []


def test_parallel_writers_never_interleave_their_lines(lake: Lake) -> None:
    writers, each = ("alpha", "beta", "gamma", "delta"), 150
    processes = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(lake.logs), name, str(each)])
        for name in writers
    ]
    assert [process.wait(timeout=120) for process in processes] == [0] * len(writers)

    data = ledger_path(lake.logs).read_bytes()
    # A writer may see another's line half-written and start its own on a new line: an empty one.
    lines = [line for line in data.split(b"\n") if line]
    records = read_records(lake.logs)

    assert data.endswith(b"\n")
    assert len(records) == len(lines) == len(writers) * each
    assert min(len(line) for line in lines) > 3000  # more than one pipe buffer's worth a line
    for name in writers:
        mine = [r for r in records if r.service == name]
        assert [r.count("read") for r in mine] == list(range(each))


def test_the_step_comes_from_the_scripts_name_and_folder() -> None:
    assert step_of(Path("src/x/cleaners/x_raw2staging.py")) == "raw2staging"
    assert step_of(Path("src/x/extractors/dk_auth.py")) == "extract"
    assert step_of(Path("etl/run_all_etl.py")) == "etl"


def test_a_cleaner_run_alone_records_what_it_read_wrote_and_quarantined(lake: Lake) -> None:
    new_service(lake, "bandcamp")
    landing = lake.zone("1_landing") / "bandcamp"
    (landing / "bandcamp_sales_20261101_060000.csv").write_text("date,sales\n2026-11-01,4\n")
    (landing / "bandcamp_sales_20261102_060000.csv").write_text("<html><body>Log in</body>")
    script = lake.src / "bandcamp" / "cleaners" / "bandcamp_landing2raw.py"

    assert run_in_lake(lake, [str(script)]).returncode == 0

    [ran] = read_records(lake.logs)
    assert (ran.service, ran.script, ran.step) == ("bandcamp", script.name, "landing2raw")
    assert (ran.outcome, ran.exit_code, ran.recorded_by) == ("ok", 0, "script")
    assert ran.files["read"].names == (
        "1_landing/bandcamp/bandcamp_sales_20261101_060000.csv",
        "1_landing/bandcamp/bandcamp_sales_20261102_060000.csv",
    )
    assert ran.files["written"].names == ("2_raw/bandcamp/bandcamp_sales_20261101_060000.csv",)
    assert ran.files["quarantined"].names == (
        "1_landing/bandcamp/bandcamp_sales_20261102_060000.csv",
    )


def test_names_are_bounded_while_counts_stay_exact(lake: Lake) -> None:
    new_service(lake, "bandcamp")
    landing = lake.zone("1_landing") / "bandcamp"
    for day in range(1, MAX_NAMES + 6):
        path = landing / f"bandcamp_sales_202611{day:02}_060000.csv"
        path.write_text(f"date,sales\n2026-11-{day:02},{day}\n")
    script = lake.src / "bandcamp" / "cleaners" / "bandcamp_landing2raw.py"

    assert run_in_lake(lake, [str(script)]).returncode == 0

    [ran] = read_records(lake.logs)
    assert ran.count("read") == ran.count("written") == MAX_NAMES + 5
    assert len(ran.files["read"].names) == len(ran.files["written"].names) == MAX_NAMES


def test_the_ledgers_tail_starts_at_a_whole_record_and_holds_the_latest_runs(lake: Lake) -> None:
    for number in range(200):
        append_record(lake.logs, record(service=f"service{number}"))
    size = ledger_path(lake.logs).stat().st_size

    offset = tail_offset(lake.logs, size // 10)
    tail = read_records(lake.logs, offset)

    assert 0 < offset < size and ledger_path(lake.logs).read_bytes()[offset - 1 : offset] == b"\n"
    assert 10 <= len(tail) < 40
    assert tail[-1].service == "service199"
    assert [r.service for r in tail] == [f"service{n}" for n in range(200 - len(tail), 200)]
    assert tail_offset(lake.logs, size * 2) == 0

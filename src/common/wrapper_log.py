"""The wrappers' own logs of the runs they start, under the names the label already reads:
`logs/bedrot_pipeline.log` gets every line a run prints, `logs/bedrot_pipeline_errors.log` its
WARNING, ERROR and FAIL lines and, when the run fails, how it ended.

Done in Python rather than in the shell so `run_bedrot_pipeline.sh` and `.bat` (and the other
wrappers of `6_automated_cronjob/`) write exactly the same lines. The run's output still reaches
the console, so a scheduler's own redirect (`task_scheduler.log`, `cron.log`) keeps working.

    python -m common.wrapper_log /path/to/bedrot run --automated
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TextIO

from dotenv import dotenv_values

from common.console import utf8_output
from common.lake import Lake, NotALakeError
from common.logs import WRAPPER_ERRORS_LOG, WRAPPER_LOG
from common.redact import load_secrets_from_environment, redact

# The words a run's console lines carry when something needs a person's eye.
TROUBLE = re.compile(r"\b(WARNING|ERROR|FAIL(ED)?|CRITICAL|Traceback)\b")
EXIT_MEANINGS = {
    1: "something failed (a script, or a broken or unknown service); the rest still ran",
    2: "nothing ran: the lake root is wrong or another run holds the lock",
    3: "the wrapper could not set up .venv",
}
EXIT_USAGE = 2


def logs_folder() -> Path:
    """The lake's logs/ (PROJECT_ROOT, .env or this checkout); the current folder's logs/ when
    there is no lake, so even that failure is written down somewhere a person looks."""
    try:
        lake = Lake.locate()
    except NotALakeError:
        return Path.cwd() / "logs"
    load_secrets_from_environment(dotenv_values(lake.root / ".env"))
    return lake.logs


def _stamp() -> str:
    return datetime.now().strftime("%Y-%m-%d %H:%M:%S")


def _ending(command: str, code: int, seconds: float) -> str:
    meaning = EXIT_MEANINGS.get(code, "it stopped with an unexpected exit code")
    return f"[FAIL] `{command}` exited {code} after {seconds:.1f} s: {meaning}."


class RunTranscript:
    """The two files, open for appending while one run goes on."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.all_lines: TextIO = (folder / WRAPPER_LOG).open("a", encoding="utf-8")
        self.trouble: TextIO = (folder / WRAPPER_ERRORS_LOG).open("a", encoding="utf-8")

    def line(self, text: str) -> None:
        """One line of the run's output: to the console, the log and, if troubled, the errors."""
        clean = redact(text.rstrip("\r\n"))
        sys.stdout.write(clean + "\n")
        sys.stdout.flush()
        stamped = f"{_stamp()} {clean}\n"
        self.all_lines.write(stamped)
        self.all_lines.flush()
        if TROUBLE.search(clean):
            self.trouble.write(stamped)
            self.trouble.flush()

    def note(self, text: str, trouble: bool = False) -> None:
        """A line of the wrapper's own (start, end): log files only, the console knows."""
        stamped = f"{_stamp()} {text}\n"
        self.all_lines.write(stamped)
        self.all_lines.flush()
        if trouble:
            self.trouble.write(stamped)
            self.trouble.flush()

    def close(self) -> None:
        self.all_lines.close()
        self.trouble.close()


def run_logged(command: Sequence[str], folder: Path) -> int:
    """Run `command`, copying its output (stdout and stderr, line by line) into the transcript;
    return its exit code."""
    shown = " ".join(Path(command[0]).stem if i == 0 else part for i, part in enumerate(command))
    transcript = RunTranscript(folder)
    started = time.monotonic()
    transcript.note(f"==== {shown}: started (pid {os.getpid()})")
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONIOENCODING": "utf-8"}
    try:
        process = subprocess.Popen(
            list(command), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env
        )
    except OSError as error:
        transcript.note(f"[FAIL] `{shown}` could not start: {error}.", trouble=True)
        transcript.close()
        return EXIT_USAGE
    assert process.stdout is not None  # stdout=PIPE
    try:
        for raw in process.stdout:
            transcript.line(raw.decode("utf-8", errors="replace"))
        code = process.wait()
    except KeyboardInterrupt:
        code = process.wait()
    seconds = time.monotonic() - started
    if code != 0:
        transcript.note(_ending(shown, code, seconds), trouble=True)
    transcript.note(f"==== {shown}: finished with exit {code} in {seconds:.1f} s")
    transcript.close()
    return code


def main(argv: Sequence[str] | None = None) -> int:
    utf8_output()
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        print(__doc__)
        return 0 if args else EXIT_USAGE
    return run_logged(args, logs_folder())


if __name__ == "__main__":
    raise SystemExit(main())

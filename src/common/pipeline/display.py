"""What a run shows on the console: a live progress display on a terminal, plain lines elsewhere."""

from __future__ import annotations

import logging
import sys
from types import TracebackType
from typing import Protocol, TextIO

from common.logs import HumanFormatter


class RunDisplay(Protocol):
    def line(self, text: str) -> None: ...

    def begin(self, label: str, total: int) -> None: ...

    def advance(self, label: str, current: str) -> None: ...

    def __enter__(self) -> RunDisplay: ...

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None: ...


class PlainDisplay:
    """One line per event, for logs, Task Scheduler and pipes."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout

    def line(self, text: str) -> None:
        print(text, file=self.stream, flush=True)

    def begin(self, label: str, total: int) -> None:
        return None

    def advance(self, label: str, current: str) -> None:
        return None

    def __enter__(self) -> PlainDisplay:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


class LiveDisplay:
    """A rich progress bar per service while its scripts run, with log lines printed above."""

    def __init__(self) -> None:
        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description:<18}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TextColumn("{task.fields[current]}"),
            TimeElapsedColumn(),
            transient=True,
        )
        self.tasks: dict[str, int] = {}

    def line(self, text: str) -> None:
        self.progress.console.print(text, markup=False, highlight=False)

    def begin(self, label: str, total: int) -> None:
        self.tasks[label] = int(self.progress.add_task(label, total=total, current=""))

    def advance(self, label: str, current: str) -> None:
        task = self.tasks.get(label)
        if task is None:
            return
        if current:
            self.progress.update(task, current=current)  # type: ignore[arg-type]
        else:
            self.progress.update(task, advance=1, current="")  # type: ignore[arg-type]

    def __enter__(self) -> LiveDisplay:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()


def choose_display(stream: TextIO | None = None) -> RunDisplay:
    stream = stream or sys.stdout
    return LiveDisplay() if stream.isatty() else PlainDisplay(stream)


class DisplayHandler(logging.Handler):
    """Sends the run's log lines to the display, tagged as in the human log."""

    def __init__(self, display: RunDisplay) -> None:
        super().__init__(logging.INFO)
        self.display = display
        self.setFormatter(HumanFormatter(timestamps=False))

    def emit(self, record: logging.LogRecord) -> None:
        self.display.line(self.format(record))

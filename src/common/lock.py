"""One run at a time: an OS file lock, released by the OS even when a run is killed."""

from __future__ import annotations

import json
import os
import socket
import sys
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType
from typing import IO

LOCK_NAME = ".bedrot_run.lock"


class LockHeld(Exception):
    """Another run holds the lock; the message names it."""


def _try_lock(stream: IO[bytes]) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(stream.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(stream.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def describe_holder(holder_file: Path) -> str:
    try:
        holder = json.loads(holder_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "another bedrot run (its details could not be read)"
    return (
        f"bedrot run pid {holder.get('pid')} on {holder.get('host')}, started "
        f"{holder.get('started_at')} ({holder.get('command')})"
    )


class RunLock:
    """Exclusive lock on `<lake>/.bedrot_run.lock`; the holder is described in a `.json` beside it.

    The lock is on the open file, not on the file's existence, so a run killed with SIGKILL
    leaves nothing that blocks the next one.
    """

    def __init__(self, root: Path, command: str) -> None:
        self.path = root / LOCK_NAME
        self.holder_file = root / f"{LOCK_NAME}.json"
        self.command = command
        self._stream: IO[bytes] | None = None

    def acquire(self) -> None:
        stream = self.path.open("a+b")
        if not _try_lock(stream):
            stream.close()
            raise LockHeld(f"Another run holds the lock: {describe_holder(self.holder_file)}.")
        self._stream = stream
        holder = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "command": self.command,
        }
        try:
            self.holder_file.write_text(json.dumps(holder), encoding="utf-8")
        except OSError:
            # A full disk: the lock itself holds; a second run says "details could not be read".
            self.holder_file.unlink(missing_ok=True)

    def release(self) -> None:
        if self._stream is not None:
            self.holder_file.unlink(missing_ok=True)
            self._stream.close()
            self._stream = None

    def __enter__(self) -> RunLock:
        self.acquire()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.release()

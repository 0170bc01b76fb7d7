"""Computed answers kept until new data arrives, so twenty open pages cost one query each.

Every figure the dashboard shows is a function of the warehouse, the run ledger and (for a few)
files of the lake. An answer is stored under (what was asked, its validated filters, the data
version) where the version is the live channel's fingerprint (the newest ETL run, the loaded
source files, the ledger's size and time), itself looked up at most once a second. The same
question with nothing new is answered from memory without SQL; a new ETL load or ledger line
changes the version and empties the cache.

Answers read from the lake's own files (health, logins, quarantine, statements, goals) also
depend on what changed on disk and on the clock (a login's countdown, a service's STALE days),
which no fingerprint sees: those are trusted for `LAKE_TTL_SECONDS`, then recomputed in the
background while the previous answer is given (stale-while-revalidate).

The cache holds at most `max_entries` answers (least recently used dropped first). Only one
request computes a missing answer; the others asking the same question meanwhile wait for it.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

T = TypeVar("T")
Version = Callable[[], Hashable]
Key = tuple[Hashable, Hashable]  # (question, data version)
LAKE_TTL_SECONDS = 5.0
MAX_ENTRIES = 512


@dataclass(frozen=True)
class _Stored:
    value: Any
    expires_at: float | None


class AnswerCache:
    """Answers by (question, data version), bounded, safe across the server's threads."""

    def __init__(
        self,
        version: Version,
        max_entries: int = MAX_ENTRIES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.version = version
        self.max_entries = max_entries
        self.clock = clock
        self._lock = threading.Lock()
        self._entries: OrderedDict[Key, _Stored] = OrderedDict()
        self._computing: dict[Key, threading.Lock] = {}
        self._version: Hashable = None

    def answer(self, question: Hashable, compute: Callable[[], T], ttl: float | None = None) -> T:
        """The stored answer to `question` for the current data, else `compute()` stored.

        `ttl` (seconds) bounds how long an answer that also reads lake files is trusted: past it,
        the old answer is still given once more while one background thread computes the next
        (so no caller waits for the health report to be rebuilt). An exception from `compute`
        is raised to the caller and nothing is stored.
        """
        key: Key = (question, self._current_version())
        found, expired = self._lookup(key)
        if found is not None:
            if expired:
                self._refresh_behind(key, compute, ttl)
            return cast(T, found.value)
        with self._lock:
            turn = self._computing.setdefault(key, threading.Lock())
        with turn:
            found, expired = self._lookup(key)  # another request may have computed it meanwhile
            if found is not None and not expired:
                return cast(T, found.value)
            try:
                value = compute()
                self._store(key, value, ttl)
            finally:
                with self._lock:
                    self._computing.pop(key, None)
            return value

    def _refresh_behind(self, key: Key, compute: Callable[[], Any], ttl: float | None) -> None:
        with self._lock:
            if key in self._computing:
                return  # someone is already computing it
            turn = self._computing[key] = threading.Lock()
            turn.acquire()

        def refresh() -> None:
            try:
                self._store(key, compute(), ttl)
            except Exception:  # the next request computes it itself and meets the error
                with self._lock:
                    self._entries.pop(key, None)
            finally:
                with self._lock:
                    self._computing.pop(key, None)
                turn.release()

        threading.Thread(target=refresh, name="dashboard-cache-refresh", daemon=True).start()

    def __len__(self) -> int:
        return len(self._entries)

    def _current_version(self) -> Hashable:
        version = self.version()
        with self._lock:
            if version != self._version:
                self._entries.clear()  # every answer of the old data is stale at once
                self._version = version
        return version

    def _lookup(self, key: Key) -> tuple[_Stored | None, bool]:
        """The stored answer (if any) and whether its time-to-live has passed."""
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None, False
            self._entries.move_to_end(key)
            return found, found.expires_at is not None and self.clock() >= found.expires_at

    def _store(self, key: Key, value: Any, ttl: float | None) -> None:
        expires_at = None if ttl is None else self.clock() + ttl
        with self._lock:
            if key[1] != self._version:
                return  # new data arrived while computing: this answer is already old
            self._entries[key] = _Stored(value, expires_at)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

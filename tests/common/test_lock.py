"""One run at a time: a second RunLock on the same lake is refused, naming the holder."""

from __future__ import annotations

import os

import pytest

from common.lake import Lake
from common.lock import LockHeld, RunLock


def test_a_second_lock_on_the_same_lake_is_refused_naming_the_holder(lake: Lake) -> None:
    with RunLock(lake.root, "bedrot run"):
        with pytest.raises(LockHeld) as refused:
            RunLock(lake.root, "bedrot run --force").acquire()

    assert f"pid {os.getpid()}" in str(refused.value)
    assert "(bedrot run)" in str(refused.value)


def test_a_released_lock_can_be_acquired_again(lake: Lake) -> None:
    first = RunLock(lake.root, "bedrot run")
    first.acquire()
    first.release()

    second = RunLock(lake.root, "bedrot run")
    second.acquire()
    try:
        with pytest.raises(LockHeld):
            RunLock(lake.root, "bedrot run").acquire()
    finally:
        second.release()

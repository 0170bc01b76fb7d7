"""Fuzzing every reader and service parser: any bytes give rows or a RejectedFile (the file is
quarantined with its reason), never another exception.

The number of examples is bounded and derandomized so the test command is deterministic;
benchmarks/bench_fuzz.py runs many more.
"""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings

from tests.reliability.fuzz_support import TARGETS, fuzz_bytes, run_target

EXAMPLES = 30
# A parser that takes this long on a file of at most a few hundred KB is hanging.
SLOW_SECONDS = 20.0


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_any_bytes_give_rows_or_a_quarantine(name: str) -> None:
    target = TARGETS[name]
    sample = target.sample()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(content=fuzz_bytes(sample))
    def parse(content: bytes) -> None:
        started = time.monotonic()
        assert run_target(target, content) in ("ok", "rejected")
        assert time.monotonic() - started < SLOW_SECONDS

    parse()


def test_a_parser_refuses_noise_with_a_reason() -> None:
    """The harness itself: plain noise is refused, never passed off as rows."""
    assert run_target(TARGETS["capitalone.parse"], b"\x00\x01binary\xff") == "rejected"
    assert run_target(TARGETS["json_exports.decode+parse"], b"{") == "rejected"

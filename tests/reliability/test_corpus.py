"""Every service against the bad-input corpus: each bad drop is quarantined with a reason (or,
where it is valid, curated without counting anything twice), landing stays byte-identical, and
the service's good exports still curate exactly as they do alone.

The cleaning steps run in this process (tests/steps_support.py); each service's lake is cleaned
once for all its cases, so the whole corpus takes seconds, not a subprocess per file.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

from common.quarantine import RejectedFile
from tests.reliability.corpus_support import (
    BY_NAME,
    CASES,
    SERVICES,
    CorpusRun,
    corpus_ids,
    curated_rows,
    run_baseline,
    run_corpus,
    snapshot,
    zip_bomb,
)
from tiktok.landing import zip_members
from tiktok.names import parse_export_name

_RUNS: dict[str, tuple[dict[str, bytes], CorpusRun]] = {}


@pytest.fixture(scope="module")
def corpus_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield tmp_path_factory.mktemp("corpus")
    _RUNS.clear()


def _cleaned(root: Path, service: str) -> tuple[dict[str, bytes], CorpusRun]:
    """(curated of the demo exports alone, the corpus run), made once per service."""
    if service not in _RUNS:
        corpus = BY_NAME[service]
        baseline = run_baseline(root / service / "baseline", corpus)
        _RUNS[service] = (baseline, run_corpus(root / service / "corpus", corpus))
    return _RUNS[service]


@pytest.mark.parametrize(
    ("service", "case"), corpus_ids(), ids=[f"{s}-{c}" for s, c in corpus_ids()]
)
def test_bad_drop_is_quarantined_with_a_reason_or_curated(
    corpus_root: Path, service: str, case: str
) -> None:
    _, run = _cleaned(corpus_root, service)
    reason = run.reason(case)
    if reason is None:
        assert CASES[case], f"{run.files[case][0]} ({case}) was not quarantined"
        return
    assert reason["rule"], reason
    # One sentence that names the file it is about.
    what = str(reason["what_failed"])
    assert run.files[case][0] in what and what.rstrip().endswith((".", ")")), reason


@pytest.mark.parametrize("service", [s.name for s in SERVICES])
def test_good_exports_curate_as_alone_and_nothing_counts_twice(
    corpus_root: Path, service: str
) -> None:
    baseline, run = _cleaned(corpus_root, service)
    assert [r.returncode for r in run.first] == [0, 0, 0], [r.stderr[-3000:] for r in run.first]
    assert curated_rows(run.curated_after_first) == curated_rows(baseline)


@pytest.mark.parametrize("service", [s.name for s in SERVICES])
def test_landing_stays_byte_identical_and_a_second_run_changes_nothing(
    corpus_root: Path, service: str
) -> None:
    _, run = _cleaned(corpus_root, service)
    assert [r.returncode for r in run.second] == [0, 0, 0], [r.stderr[-3000:] for r in run.second]
    assert snapshot(run.lake.zone("1_landing") / service) == run.landing_before
    assert curated_rows(snapshot(run.lake.zone("4_curated"))) == curated_rows(
        run.curated_after_first
    )


@pytest.mark.parametrize("lie_about_size", [False, True], ids=["declared", "lying-header"])
def test_a_zip_bomb_is_refused_without_inflating_it(tmp_path: Path, lie_about_size: bool) -> None:
    """300 MB of zeros in a few hundred KB: refused by its declared size, or, when the header
    lies, by the reader stopping at the declared size (a CRC mismatch), never inflated whole."""
    path = tmp_path / "Overview_2025-03-01_1772359200_zone.a0.zip"
    path.write_bytes(zip_bomb("Overview.csv", lie_about_size))
    tracemalloc.start()
    try:
        with pytest.raises(RejectedFile) as refused:
            zip_members(path, parse_export_name(path.name))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert refused.value.rule in ("zip-member", "corrupt-zip")
    assert peak < 32 * 1024 * 1024

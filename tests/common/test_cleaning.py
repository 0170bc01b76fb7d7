"""The two step shapes: a bug in one file is retried next run; a rejected file is not."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from common.cleaning import Rebuild, process_each_new_file, rebuild_when_changed
from common.lake import Lake
from common.quarantine import RejectedFile
from common.script import ScriptContext
from common.zones import ensure_service_folders


@pytest.fixture
def ctx(lake: Lake) -> ScriptContext:
    ensure_service_folders(lake, "svc")
    return ScriptContext(lake, "svc", logging.getLogger("bedrot.test"))


def _drop(ctx: ScriptContext, zone: str, name: str, text: str) -> Path:
    path = ctx.lake.zone(zone) / "svc" / name
    path.write_text(text)
    return path


def test_a_file_that_hits_a_bug_is_not_recorded_and_is_retried(ctx: ScriptContext) -> None:
    _drop(ctx, "1_landing", "svc_a_20260101_000000.csv", "a\n1\n")
    calls: list[str] = []

    def broken(path: Path) -> list[Path]:
        calls.append(path.name)
        raise KeyError("column")

    first = process_each_new_file(ctx, "1_landing", "2_raw", broken, "landing2raw")
    second = process_each_new_file(ctx, "1_landing", "2_raw", broken, "landing2raw")

    assert first.exit_code == 1 and second.exit_code == 1
    assert calls == ["svc_a_20260101_000000.csv"] * 2


def test_a_rejected_file_is_quarantined_once_and_never_retried(ctx: ScriptContext) -> None:
    _drop(ctx, "1_landing", "svc_a_20260101_000000.csv", "a\n1\n")
    calls: list[str] = []

    def rejecting(path: Path) -> list[Path]:
        calls.append(path.name)
        raise RejectedFile("bad", rule="test")

    first = process_each_new_file(ctx, "1_landing", "2_raw", rejecting, "landing2raw")
    second = process_each_new_file(ctx, "1_landing", "2_raw", rejecting, "landing2raw")

    assert first.exit_code == 0 and first.quarantined == ["1_landing/svc/svc_a_20260101_000000.csv"]
    assert second.known == 1 and not second.quarantined
    assert calls == ["svc_a_20260101_000000.csv"]


def test_a_rebuild_skips_quarantined_inputs_and_uses_the_rest(ctx: ScriptContext) -> None:
    _drop(ctx, "2_raw", "svc_a_20260101_000000.csv", "good")
    _drop(ctx, "2_raw", "svc_a_20260102_000000.csv", "bad")
    built: list[list[str]] = []

    def read(path: Path) -> str:
        text = path.read_text()
        if text == "bad":
            raise RejectedFile("bad content", rule="test")
        return text

    def write(inputs: list[tuple[Path, str]]) -> list[Path]:
        built.append([text for _, text in inputs])
        return [_drop(ctx, "3_staging", "svc_a.csv", "+".join(built[-1]))]

    report = rebuild_when_changed(ctx, "2_raw", "3_staging", Rebuild(read, write), "raw2staging")
    _drop(ctx, "2_raw", "svc_a_20260103_000000.csv", "more")
    again = rebuild_when_changed(ctx, "2_raw", "3_staging", Rebuild(read, write), "raw2staging")

    assert report.exit_code == 0 and len(report.quarantined) == 1
    assert built == [["good"], ["good", "more"]]
    assert again.new == ["2_raw/svc/svc_a_20260103_000000.csv"]


def test_a_failed_rebuild_records_nothing_so_the_next_run_rebuilds(ctx: ScriptContext) -> None:
    _drop(ctx, "2_raw", "svc_a_20260101_000000.csv", "good")
    attempts: list[int] = []

    def write(inputs: list[tuple[Path, str]]) -> list[Path]:
        attempts.append(len(inputs))
        if len(attempts) == 1:
            raise OSError("disk full")
        return [_drop(ctx, "3_staging", "svc_a.csv", "ok")]

    rebuild = Rebuild(lambda path: path.read_text(), write)
    failed = rebuild_when_changed(ctx, "2_raw", "3_staging", rebuild, "raw2staging")
    retried = rebuild_when_changed(ctx, "2_raw", "3_staging", rebuild, "raw2staging")

    assert failed.exit_code == 1 and failed.failed == ["the files of 2_raw/svc"]
    assert retried.exit_code == 0 and attempts == [1, 1]


def test_a_file_refused_for_want_of_config_is_retried_once_config_changes(
    ctx: ScriptContext,
) -> None:
    _drop(ctx, "1_landing", "svc_a_20260101_000000.csv", "artist\nNEWCOMER\n")
    artists = ctx.lake.config / "artists.json"
    artists.write_text('{"artists": []}')
    calls: list[str] = []

    def needs_artist(path: Path) -> list[Path]:
        calls.append(artists.read_text())
        if "NEWCOMER" not in artists.read_text():
            raise RejectedFile("unknown artist", rule="unknown-artist", depends_on_config=True)
        return []

    process_each_new_file(ctx, "1_landing", "2_raw", needs_artist, "landing2raw")
    unchanged = process_each_new_file(ctx, "1_landing", "2_raw", needs_artist, "landing2raw")
    artists.write_text('{"artists": [{"name": "NEWCOMER"}]}')
    retried = process_each_new_file(ctx, "1_landing", "2_raw", needs_artist, "landing2raw")

    assert len(calls) == 2 and unchanged.known == 1
    assert retried.new == ["1_landing/svc/svc_a_20260101_000000.csv"]

"""Zone file names, atomic writes, retried renames, archiving on overwrite, data-file listing."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from common import zones
from common.lake import Lake
from common.zones import (
    REPLACE_ATTEMPTS,
    TEMP_MARKER,
    archive_then_replace,
    atomic_write_chunks,
    data_files,
    dataset_from_name,
    file_timestamp,
    free_name,
    replace_with_retry,
    timestamp_from_name,
    timestamped_name,
    zone_name_for,
)

WHEN = datetime(2026, 11, 1, 6, 0, 0)


def files_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def test_timestamped_name_is_service_dataset_slug_and_timestamp() -> None:
    name = timestamped_name("spotify", "Example Artist-songs", ".csv", WHEN)

    assert name == "spotify_example_artist_songs_20261101_060000.csv"


def test_timestamp_from_name_reads_underscore_and_dash_forms() -> None:
    assert timestamp_from_name("spotify_streams_20261101_060000.csv") == WHEN
    assert timestamp_from_name("export-20261101-060000.csv") == WHEN


def test_timestamp_from_name_is_none_without_a_valid_timestamp() -> None:
    assert timestamp_from_name("streams.csv") is None
    assert timestamp_from_name("streams_20261399_996000.csv") is None


def test_dataset_from_name_drops_service_prefix_timestamp_and_extension() -> None:
    assert dataset_from_name("spotify", "spotify_daily_streams_20261101_060000.csv") == (
        "daily_streams"
    )
    assert dataset_from_name("spotify", "Daily Streams.csv") == "daily_streams"
    assert dataset_from_name("spotify", "spotify.csv") == "spotify"


def test_zone_name_for_a_timestamped_landing_file_keeps_its_timestamp(tmp_path: Path) -> None:
    source = tmp_path / "spotify_daily_streams_20261101_060000.csv"
    source.write_text("a\n1\n", encoding="utf-8")
    os.utime(source, (0, 0))

    assert zone_name_for("spotify", source, "csv") == ("spotify_daily_streams_20261101_060000.csv")


def test_zone_name_for_a_file_without_timestamp_uses_its_mtime_every_time(tmp_path: Path) -> None:
    source = tmp_path / "Daily Streams.csv"
    source.write_text("a\n1\n", encoding="utf-8")
    mtime = WHEN.timestamp()
    os.utime(source, (mtime, mtime))

    first = zone_name_for("spotify", source, "parquet")
    second = zone_name_for("spotify", source, "parquet")

    assert first == second == "spotify_daily_streams_20261101_060000.parquet"


def test_file_timestamp_is_the_one_in_the_name_even_when_the_mtime_differs(
    tmp_path: Path,
) -> None:
    path = tmp_path / "spotify_streams_20261101_060000.csv"
    path.write_text("a\n", encoding="utf-8")
    os.utime(path, (0, 0))

    assert file_timestamp(path) == WHEN


def test_file_timestamp_of_a_hand_dropped_file_is_its_mtime(tmp_path: Path) -> None:
    path = tmp_path / "Streams export.csv"
    path.write_text("a\n", encoding="utf-8")
    os.utime(path, (WHEN.timestamp(), WHEN.timestamp()))

    assert file_timestamp(path) == WHEN


def test_free_name_is_the_name_itself_while_it_is_free(tmp_path: Path) -> None:
    assert free_name(tmp_path / "streams.csv") == tmp_path / "streams.csv"


def test_free_name_counts_from_the_original_stem_past_every_taken_name(tmp_path: Path) -> None:
    for name in ("streams.csv", "streams_1.csv", "streams_2.csv"):
        (tmp_path / name).write_text("a\n", encoding="utf-8")

    assert free_name(tmp_path / "streams.csv") == tmp_path / "streams_3.csv"


def test_free_name_keeps_a_folder_s_own_mark_and_first_number(tmp_path: Path) -> None:
    (tmp_path / "export.csv").write_text("a\n", encoding="utf-8")

    assert free_name(tmp_path / "export.csv", mark=" ({n})", first=2) == tmp_path / "export (2).csv"


def test_free_name_asks_taken_rather_than_only_looking_on_disk(tmp_path: Path) -> None:
    reserved = {tmp_path / "bad.csv", tmp_path / "bad__1.csv"}

    chosen = free_name(tmp_path / "bad.csv", lambda path: path in reserved, mark="__{n}")

    assert chosen == tmp_path / "bad__2.csv"


def test_atomic_write_chunks_leaves_nothing_when_the_chunks_fail_midway(tmp_path: Path) -> None:
    target = tmp_path / "out" / "streams.csv"

    def chunks() -> Iterator[bytes]:
        yield b"date,streams\n"
        raise RuntimeError("source went away")

    with pytest.raises(RuntimeError, match="source went away"):
        atomic_write_chunks(target, chunks())

    assert files_in(tmp_path) == []


def test_atomic_write_chunks_failing_midway_keeps_the_old_target(tmp_path: Path) -> None:
    target = tmp_path / "streams.csv"
    target.write_bytes(b"old content\n")

    def chunks() -> Iterator[bytes]:
        yield b"new "
        raise RuntimeError("source went away")

    with pytest.raises(RuntimeError):
        atomic_write_chunks(target, chunks())

    assert target.read_bytes() == b"old content\n"
    assert files_in(tmp_path) == [target]


def test_replace_with_retry_retries_while_the_target_is_locked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, target = tmp_path / "new.csv", tmp_path / "old.csv"
    source.write_text("new", encoding="utf-8")
    target.write_text("old", encoding="utf-8")
    real_replace = os.replace
    calls: list[int] = []

    def locked_twice(src: Path, dst: Path) -> None:
        calls.append(1)
        if len(calls) <= 2:
            raise PermissionError("locked by an antivirus")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", locked_twice)
    monkeypatch.setattr(time, "sleep", lambda seconds: None)

    replace_with_retry(source, target)

    assert len(calls) == 3
    assert target.read_text(encoding="utf-8") == "new"
    assert not source.exists()


def test_replace_with_retry_gives_up_after_the_last_attempt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    waits: list[float] = []

    def always_locked(src: Path, dst: Path) -> None:
        calls.append(1)
        raise PermissionError("locked by an antivirus")

    monkeypatch.setattr(os, "replace", always_locked)
    monkeypatch.setattr(time, "sleep", waits.append)

    moved = tmp_path / "new.csv"
    moved.write_text("a file a caller moves, not a temp file\n", encoding="utf-8")
    with pytest.raises(PermissionError) as raised:
        replace_with_retry(moved, tmp_path / "old.csv")

    assert "old.csv could not be replaced (locked by an antivirus)" in str(raised.value)
    assert moved.is_file()  # giving up never deletes what was to be moved
    assert len(calls) == REPLACE_ATTEMPTS
    assert len(waits) == REPLACE_ATTEMPTS - 1


def test_archive_then_replace_archives_nothing_on_first_write(lake: Lake) -> None:
    target = lake.zone("4_curated") / "spotify" / "spotify_streams.csv"

    archived = archive_then_replace(lake, target, [b"date,streams\n", b"2026-11-01,4\n"])

    assert archived is None
    assert target.read_bytes() == b"date,streams\n2026-11-01,4\n"
    assert files_in(lake.zone("5_archive")) == []
    assert files_in(target.parent) == [target]


def test_archive_then_replace_with_identical_content_leaves_the_file_alone(lake: Lake) -> None:
    target = lake.zone("4_curated") / "spotify" / "spotify_streams.csv"
    archive_then_replace(lake, target, [b"date,streams\n2026-11-01,4\n"])
    os.utime(target, ns=(1_000_000_000, 1_000_000_000))

    archived = archive_then_replace(lake, target, [b"date,streams\n", b"2026-11-01,4\n"])

    assert archived is None
    assert target.stat().st_mtime_ns == 1_000_000_000
    assert files_in(lake.zone("5_archive")) == []
    assert files_in(target.parent) == [target]


def test_archive_then_replace_copies_the_previous_version_into_the_archive(lake: Lake) -> None:
    target = lake.zone("4_curated") / "spotify" / "spotify_streams.csv"
    archive_then_replace(lake, target, [b"date,streams\n2026-11-01,4\n"])

    archived = archive_then_replace(lake, target, [b"date,streams\n2026-11-01,5\n"])

    assert archived is not None
    assert archived.parent == lake.zone("5_archive") / "4_curated" / "spotify"
    assert archived.name.startswith("spotify_streams_archived_")
    assert archived.suffix == ".csv"
    assert archived.read_bytes() == b"date,streams\n2026-11-01,4\n"
    assert target.read_bytes() == b"date,streams\n2026-11-01,5\n"
    assert files_in(lake.zone("5_archive")) == [archived]
    assert files_in(target.parent) == [target]


def test_archiving_twice_in_one_second_numbers_the_copies_from_the_original_name(
    lake: Lake, monkeypatch: pytest.MonkeyPatch
) -> None:
    class FrozenClock(datetime):
        @classmethod
        def now(cls, tz: object = None) -> FrozenClock:  # type: ignore[override]
            return cls(2026, 11, 1, 6, 0, 0)

    monkeypatch.setattr(zones, "datetime", FrozenClock)
    target = lake.zone("4_curated") / "spotify" / "spotify_streams.csv"
    for streams in range(1, 5):
        archive_then_replace(lake, target, [f"date,streams\n2026-11-01,{streams}\n".encode()])

    names = sorted(path.name for path in files_in(lake.zone("5_archive")))
    assert names == [
        "spotify_streams_archived_20261101_060000.csv",
        "spotify_streams_archived_20261101_060000_1.csv",
        "spotify_streams_archived_20261101_060000_2.csv",
    ]


def test_data_files_lists_only_files_a_step_should_read(tmp_path: Path) -> None:
    folder = tmp_path / "spotify"
    wanted = [folder / "streams.csv", folder / "daily" / "streams_2026.csv"]
    ignored = [
        folder / ".hidden.csv",
        folder / "_hashes.json",
        folder / f"streams.csv.x1y2{TEMP_MARKER}",
        folder / "streams.csv.reason.json",
        folder / zones.QUARANTINE_FOLDER / "spotify" / "bad.csv",
    ]
    for path in (*wanted, *ignored):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("a\n", encoding="utf-8")

    assert data_files(folder) == sorted(wanted)


def test_data_files_of_a_missing_folder_is_empty(tmp_path: Path) -> None:
    assert data_files(tmp_path / "not_there") == []

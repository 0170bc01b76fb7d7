"""Streaming SHA-256 and the `_hashes.json` registry that skips files it has seen."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from common import hashing
from common.hashing import REGISTRY_NAME, HashRegistry, sha256_file


def write_export(path: Path, content: bytes, mtime_ns: int = 1_700_000_000_000_000_000) -> Path:
    path.write_bytes(content)
    os.utime(path, ns=(mtime_ns, mtime_ns))
    return path


def forbid_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(path: Path) -> str:
        raise AssertionError(f"{path.name} was read again")

    monkeypatch.setattr(hashing, "sha256_file", fail)


def test_sha256_file_matches_hashlib_on_a_multi_chunk_file(tmp_path: Path) -> None:
    content = os.urandom(3 * hashing.CHUNK_SIZE + 12345)
    path = write_export(tmp_path / "export.bin", content)

    assert sha256_file(path) == hashlib.sha256(content).hexdigest()


def test_registry_round_trips_through_save_and_load(tmp_path: Path) -> None:
    export = write_export(tmp_path / "streams.csv", b"date,streams\n")
    registry = HashRegistry(tmp_path)
    digest = sha256_file(export)
    registry.record(
        digest, export, "streams.csv", "processed", outputs=["2_raw/x.csv"], reason="ok"
    )
    registry.save()

    reloaded = HashRegistry(tmp_path)

    entry = reloaded.get(digest)
    assert entry is not None
    assert entry == registry.get(digest)
    assert (entry.source, entry.status, entry.outputs) == (
        "streams.csv",
        "processed",
        ["2_raw/x.csv"],
    )
    assert entry.size == len(b"date,streams\n")


def test_save_writes_no_file_when_nothing_was_recorded(tmp_path: Path) -> None:
    HashRegistry(tmp_path).save()

    assert not (tmp_path / REGISTRY_NAME).exists()


def test_save_leaves_a_loaded_registry_untouched_when_nothing_was_recorded(tmp_path: Path) -> None:
    export = write_export(tmp_path / "streams.csv", b"date,streams\n")
    registry = HashRegistry(tmp_path)
    registry.record(sha256_file(export), export, "streams.csv", "processed")
    registry.save()
    saved = tmp_path / REGISTRY_NAME
    os.utime(saved, ns=(1_000_000_000, 1_000_000_000))

    HashRegistry(tmp_path).save()

    assert saved.stat().st_mtime_ns == 1_000_000_000


def test_digest_of_an_unchanged_file_does_not_read_it_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    export = write_export(tmp_path / "streams.csv", b"date,streams\n")
    registry = HashRegistry(tmp_path)
    digest = registry.digest_of(export, "streams.csv")
    registry.record(digest, export, "streams.csv", "processed")
    registry.save()
    forbid_hashing(monkeypatch)

    assert HashRegistry(tmp_path).digest_of(export, "streams.csv") == digest


def test_digest_of_a_changed_file_hashes_the_new_content(tmp_path: Path) -> None:
    export = write_export(tmp_path / "streams.csv", b"date,streams\n")
    registry = HashRegistry(tmp_path)
    registry.record(registry.digest_of(export, "streams.csv"), export, "streams.csv", "processed")
    registry.save()
    write_export(export, b"date,streams\n2026-11-01,4\n", mtime_ns=1_800_000_000_000_000_000)

    digest = HashRegistry(tmp_path).digest_of(export, "streams.csv")

    assert digest == hashlib.sha256(b"date,streams\n2026-11-01,4\n").hexdigest()


def test_a_remembered_alias_is_recognised_without_hashing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = write_export(tmp_path / "streams.csv", b"date,streams\n")
    copy = write_export(tmp_path / "streams (1).csv", b"date,streams\n", mtime_ns=1_800_000_000)
    registry = HashRegistry(tmp_path)
    digest = sha256_file(original)
    registry.record(digest, original, "streams.csv", "processed")
    registry.remember_alias(digest, copy, "streams (1).csv")
    registry.save()
    forbid_hashing(monkeypatch)

    assert registry.digest_of(copy, "streams (1).csv") == digest
    reloaded = HashRegistry(tmp_path)
    assert reloaded.digest_of(copy, "streams (1).csv") == digest
    entry = reloaded.get(digest)
    assert entry is not None and entry.also_seen == ["streams (1).csv"]

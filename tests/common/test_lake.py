"""The lake root comes from PROJECT_ROOT, then the checkout's `.env`, then the checkout."""

from __future__ import annotations

from pathlib import Path

import pytest

from common import lake as lake_module
from common.lake import Lake, NotALakeError, init_lake, resolve_lake_root


@pytest.fixture
def checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = init_lake(tmp_path / "checkout").root
    monkeypatch.setattr(lake_module, "CHECKOUT_ROOT", root)
    monkeypatch.delenv("PROJECT_ROOT", raising=False)
    return root


def test_without_project_root_the_checkout_is_the_lake(checkout: Path) -> None:
    assert resolve_lake_root() == checkout


def test_project_root_in_the_environment_wins(
    checkout: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = init_lake(tmp_path / "other").root
    (checkout / ".env").write_text(f"PROJECT_ROOT={checkout}\n")
    monkeypatch.setenv("PROJECT_ROOT", str(other))

    assert resolve_lake_root() == other


def test_project_root_in_the_checkouts_env_file_is_used(checkout: Path, tmp_path: Path) -> None:
    other = init_lake(tmp_path / "other").root
    (checkout / ".env").write_text(f"# the lake\nPROJECT_ROOT={other}\n")

    assert resolve_lake_root() == other


def test_a_missing_folder_names_the_real_lake(checkout: Path, tmp_path: Path) -> None:
    with pytest.raises(NotALakeError) as raised:
        resolve_lake_root(tmp_path / "nowhere")

    assert "does not exist" in str(raised.value)
    assert f"the lake is {checkout}" in str(raised.value)
    assert not (tmp_path / "nowhere").exists()


def test_an_unset_root_outside_a_lake_says_how_to_make_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lake_module, "CHECKOUT_ROOT", tmp_path)
    monkeypatch.delenv("PROJECT_ROOT", raising=False)

    with pytest.raises(NotALakeError) as raised:
        resolve_lake_root()

    assert "bedrot init DIR" in str(raised.value)


def test_init_lake_makes_the_ladder_and_keeps_existing_files(tmp_path: Path) -> None:
    made = init_lake(tmp_path / "lake")
    keep = made.config / "pipeline.json"
    keep.write_text("{}")

    again = init_lake(tmp_path / "lake")

    assert again == made
    assert keep.read_text() == "{}"
    for zone in ("1_landing", "2_raw", "3_staging", "4_curated", "5_archive"):
        assert made.zone(zone).is_dir()
    with pytest.raises(ValueError):
        made.zone("6_gold")
    assert Lake.locate(made.root) == made

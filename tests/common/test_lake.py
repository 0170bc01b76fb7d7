"""The lake root comes from PROJECT_ROOT, then the checkout's `.env`, then the checkout."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from common import lake as lake_module
from common.lake import (
    ALL_BUILTIN,
    DEFAULT_FILES,
    SERVICES_CONFIG,
    Lake,
    NotALakeError,
    choose_builtin_services,
    init_lake,
    is_lake,
    make_lake,
    resolve_lake_root,
)

CHECKOUT = Path(__file__).resolve().parents[2]


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


def test_an_init_made_lake_is_a_lake_and_so_is_the_seed_layout(tmp_path: Path) -> None:
    made = make_lake(tmp_path / "made").root
    seed = tmp_path / "seed"
    (seed / "config").mkdir(parents=True)
    (seed / "src" / "common").mkdir(parents=True)
    config_only = tmp_path / "config_only"
    (config_only / "config").mkdir(parents=True)

    assert is_lake(made) and is_lake(seed) and is_lake(CHECKOUT)
    assert not (made / "src" / "common").exists()
    assert not is_lake(config_only)
    with pytest.raises(NotALakeError) as raised:
        resolve_lake_root(config_only)
    assert "has no config/ beside 1_landing/" in str(raised.value)


def test_bedrot_init_gives_a_lake_the_checkouts_settings_and_etl(tmp_path: Path) -> None:
    made = make_lake(tmp_path / "lake")

    for folder in ("config", "etl"):
        wanted = {
            p.relative_to(CHECKOUT / folder)
            for pattern in DEFAULT_FILES[folder]
            for p in (CHECKOUT / folder).glob(pattern)
        }
        copied = {p.relative_to(made.root / folder) for p in (made.root / folder).rglob("*.*")}
        assert wanted and wanted <= copied
        for relative in wanted:
            assert (made.root / folder / relative).read_bytes() == (
                CHECKOUT / folder / relative
            ).read_bytes()
    assert json.loads((made.config / SERVICES_CONFIG).read_text()) == {"builtin": ALL_BUILTIN}
    assert Path("etl/run_all_etl.py") in {p.relative_to(made.root) for p in made.etl.glob("*.py")}


def test_bedrot_init_again_keeps_what_the_owner_changed(tmp_path: Path) -> None:
    made = make_lake(tmp_path / "lake")
    (made.config / "pipeline.json").write_text('{"workers": 1}')
    choose_builtin_services(made, ["capitalone"])
    (made.config / "health.json").unlink()

    again = make_lake(tmp_path / "lake")

    assert (again.config / "pipeline.json").read_text() == '{"workers": 1}'
    assert json.loads((again.config / SERVICES_CONFIG).read_text()) == {"builtin": ["capitalone"]}
    assert (again.config / "health.json").read_bytes() == (
        CHECKOUT / "config" / "health.json"
    ).read_bytes()

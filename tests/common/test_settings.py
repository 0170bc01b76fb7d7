"""Pipeline settings: defaults, config/pipeline.json, environment overrides, clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from common.lake import Lake
from common.settings import (
    DEFAULT_SCRIPT_TIMEOUT_SECONDS,
    DEFAULT_WORKERS,
    PIPELINE_CONFIG,
    SettingsError,
    load_pipeline_settings,
)


@pytest.fixture(autouse=True)
def no_settings_in_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BEDROT_WORKERS", raising=False)
    monkeypatch.delenv("BEDROT_SCRIPT_TIMEOUT", raising=False)


def write_config(lake: Lake, document: object) -> None:
    (lake.config / PIPELINE_CONFIG).write_text(json.dumps(document), encoding="utf-8")


def test_a_lake_without_config_gets_the_defaults(lake: Lake) -> None:
    settings = load_pipeline_settings(lake)

    assert settings.workers == DEFAULT_WORKERS == 2
    assert settings.script_timeout_seconds == DEFAULT_SCRIPT_TIMEOUT_SECONDS == 1800.0
    assert settings.timeout_for(Path("spotify_landing2raw.py")) == 1800.0


def test_values_come_from_pipeline_json(lake: Lake) -> None:
    write_config(lake, {"workers": 4, "script_timeout_seconds": 600})

    settings = load_pipeline_settings(lake)

    assert (settings.workers, settings.script_timeout_seconds) == (4, 600.0)


def test_the_environment_overrides_pipeline_json(
    lake: Lake, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(lake, {"workers": 4, "script_timeout_seconds": 600})
    monkeypatch.setenv("BEDROT_WORKERS", "6")
    monkeypatch.setenv("BEDROT_SCRIPT_TIMEOUT", "90.5")

    settings = load_pipeline_settings(lake)

    assert (settings.workers, settings.script_timeout_seconds) == (6, 90.5)


def test_a_script_timeout_applies_to_that_script_only(lake: Lake) -> None:
    write_config(
        lake, {"script_timeout_seconds": 600, "script_timeouts": {"meta_extract.py": 3600}}
    )

    settings = load_pipeline_settings(lake)

    assert settings.timeout_for(Path("src/meta/extractors/meta_extract.py")) == 3600.0
    assert settings.timeout_for(Path("src/tiktok/extractors/tiktok_extract.py")) == 600.0


@pytest.mark.parametrize("value", ["many", "0", "-1"])
def test_a_bad_worker_count_names_the_setting(
    lake: Lake, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("BEDROT_WORKERS", value)

    with pytest.raises(SettingsError, match=f"BEDROT_WORKERS='{value}'"):
        load_pipeline_settings(lake)


@pytest.mark.parametrize("value", ["0.5", "nan"])
def test_a_worker_count_that_is_not_a_whole_number_names_the_setting(
    lake: Lake, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("BEDROT_WORKERS", value)

    with pytest.raises(SettingsError, match="BEDROT_WORKERS"):
        load_pipeline_settings(lake)


def test_a_bad_timeout_in_pipeline_json_names_the_setting(lake: Lake) -> None:
    write_config(lake, {"script_timeout_seconds": "soon"})

    with pytest.raises(SettingsError, match="BEDROT_SCRIPT_TIMEOUT='soon' is not a number"):
        load_pipeline_settings(lake)


def test_a_bad_per_script_timeout_names_the_script(lake: Lake) -> None:
    write_config(lake, {"script_timeouts": {"meta_extract.py": 0}})

    with pytest.raises(SettingsError, match="script_timeouts.meta_extract.py='0' must be greater"):
        load_pipeline_settings(lake)


def test_script_timeouts_that_are_not_a_mapping_are_refused(lake: Lake) -> None:
    write_config(lake, {"script_timeouts": [3600]})

    with pytest.raises(SettingsError, match="script_timeouts in .* must map script names"):
        load_pipeline_settings(lake)


def test_pipeline_json_that_is_not_json_is_refused(lake: Lake) -> None:
    (lake.config / PIPELINE_CONFIG).write_text("{workers: 4", encoding="utf-8")

    with pytest.raises(SettingsError, match="pipeline.json is not valid JSON"):
        load_pipeline_settings(lake)

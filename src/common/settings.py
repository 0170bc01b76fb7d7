"""Pipeline settings: `config/pipeline.json`, overridden by the environment (or `.env`)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import load_dotenv

from common.config_files import read_config_object
from common.lake import Lake

PIPELINE_CONFIG = "pipeline.json"
DEFAULT_WORKERS = 2
DEFAULT_SCRIPT_TIMEOUT_SECONDS = 1800.0


class SettingsError(Exception):
    """A setting has a value that cannot be used; the message names it."""


@dataclass(frozen=True)
class PipelineSettings:
    workers: int = DEFAULT_WORKERS
    script_timeout_seconds: float = DEFAULT_SCRIPT_TIMEOUT_SECONDS
    script_timeouts: dict[str, float] = field(default_factory=dict)
    # Cleaners and the ETL run in shared script hosts (`common.pipeline.worker`); True gives
    # every script a fresh interpreter, as an extractor always gets.
    fresh_process_per_script: bool = False

    def timeout_for(self, script: Path) -> float:
        return self.script_timeouts.get(script.name, self.script_timeout_seconds)


def load_lake_env(lake: Lake) -> None:
    """Put the lake's `.env` into the environment; variables already set win."""
    load_dotenv(lake.root / ".env", override=False)


def _number(name: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise SettingsError(f"{name}={text!r} is not a number.") from None
    if not value > 0 or value == float("inf"):
        raise SettingsError(f"{name}={text!r} must be greater than zero.")
    return value


def _whole_number(name: str, text: str) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise SettingsError(f"{name}={text!r} is not a whole number.") from None
    if value < 1:
        raise SettingsError(f"{name}={text!r} must be at least 1.")
    return value


def _flag(name: str, value: object) -> bool:
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off", ""):
        return False
    raise SettingsError(f"{name}={value!r} must be true or false.")


def load_pipeline_settings(lake: Lake) -> PipelineSettings:
    config_file = lake.config / PIPELINE_CONFIG
    document = read_config_object(config_file, SettingsError) or {}
    workers = os.environ.get("BEDROT_WORKERS") or str(document.get("workers", DEFAULT_WORKERS))
    timeout = os.environ.get("BEDROT_SCRIPT_TIMEOUT") or str(
        document.get("script_timeout_seconds", DEFAULT_SCRIPT_TIMEOUT_SECONDS)
    )
    raw_timeouts = document.get("script_timeouts", {})
    if not isinstance(raw_timeouts, dict):
        raise SettingsError(f"script_timeouts in {config_file} must map script names to seconds.")
    fresh = os.environ.get("BEDROT_FRESH_PROCESS_PER_SCRIPT") or document.get(
        "fresh_process_per_script", False
    )
    return PipelineSettings(
        workers=_whole_number("BEDROT_WORKERS", workers),
        fresh_process_per_script=_flag("BEDROT_FRESH_PROCESS_PER_SCRIPT", fresh),
        script_timeout_seconds=_number("BEDROT_SCRIPT_TIMEOUT", timeout),
        script_timeouts={
            str(name): _number(f"script_timeouts.{name}", str(seconds))
            for name, seconds in raw_timeouts.items()
        },
    )

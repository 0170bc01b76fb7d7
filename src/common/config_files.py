"""The one reader of the lake's JSON settings (config/*.json): absent, not JSON, or not one JSON
object, each said in one sentence that names the file. Every settings loader builds on it and
raises its own error type, so each command keeps its own way of failing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


class ConfigFileError(Exception):
    """A settings file cannot be used; the message names the file and what is wrong."""


def read_config_object(
    path: Path, error: type[Exception] = ConfigFileError, shown: str | None = None
) -> dict[str, Any] | None:
    """The JSON object in `path`, or None when the file does not exist. `shown` is how the
    sentence names the file (default: the path); `error` the exception it raises."""
    name = shown or str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return None
    except OSError as problem:
        raise error(f"{name} cannot be read: {problem}") from None
    try:
        document = json.loads(text)
    except ValueError as problem:
        raise error(f"{name} is not valid JSON: {problem}") from None
    if not isinstance(document, dict):
        raise error(f"{name} must hold one JSON object.")
    return document

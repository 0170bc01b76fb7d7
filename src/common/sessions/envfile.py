"""Writing settings into the lake's `.env`: the named lines change, every other line stays.

The file holds passwords and webhook URLs, so it is written atomically and left readable by
its owner only (0600); nothing here prints or logs a value.
"""

from __future__ import annotations

import re
from pathlib import Path

from common.redact import REDACTOR
from common.zones import atomic_write_text

PRIVATE = 0o600
ASSIGNMENT = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=")
PLAIN_VALUE = re.compile(r"^[A-Za-z0-9_./:@,+-]*$")


def env_value(value: str) -> str:
    """A value as python-dotenv reads it back unchanged (quoted when it must be)."""
    if PLAIN_VALUE.match(value):
        return value
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def update_env_file(path: Path, settings: dict[str, str]) -> Path:
    """Set each of `settings` in the file (in place where it is already, else at the end)."""
    REDACTOR.add_secret_settings(settings)
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    written: set[str] = set()
    kept = []
    for line in lines:
        found = ASSIGNMENT.match(line)
        name = found.group(1) if found else None
        if name is None or name not in settings:
            kept.append(line)
        elif name not in written:
            kept.append(f"{name}={env_value(settings[name])}")
            written.add(name)
    kept += [f"{name}={env_value(v)}" for name, v in settings.items() if name not in written]
    atomic_write_text(path, "\n".join(kept) + "\n")
    try:
        path.chmod(PRIVATE)
    except OSError:  # a file system without modes (some Windows shares)
        pass
    return path

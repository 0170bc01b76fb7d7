"""Session files: Playwright storage state in `src/<service>/cookies/<login>.json`, mode 0600.

Every change goes through `save_session`, `restore_latest` or `clear_session`, and each makes a
backup first (`cookies/backups/<login>_<YYYYMMDD_HHMMSS>.json`, newest `keep` kept).
A site that turns a saved login away leaves `<login>.expired` beside it, so no later run
tries that login again until the user logs in anew.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from common.lake import Lake
from common.redact import REDACTOR
from common.zones import TIMESTAMP_FORMAT, atomic_write_text, free_name

BACKUPS = "backups"
EXPIRED_MARK = ".expired"
PRIVATE = 0o600


class SessionFileError(Exception):
    """A saved session cannot be read; the message names the file."""


def session_path(lake: Lake, service: str, login: str) -> Path:
    return lake.src / service / "cookies" / f"{login}.json"


def _private(path: Path) -> None:
    try:
        path.chmod(PRIVATE)
    except OSError:  # a file system without modes (some Windows shares): nothing to tighten
        pass


def remember_secrets(state: dict[str, Any]) -> None:
    """Every cookie value and stored item of a session is masked in all later log lines."""
    for cookie in state.get("cookies", []):
        REDACTOR.add(str(cookie.get("value", "")))
    for origin in state.get("origins", []):
        for item in origin.get("localStorage", []):
            REDACTOR.add(str(item.get("value", "")))
    token = state.get("api_token")  # an OAuth service's renewed token (common.extract.tokens)
    if isinstance(token, dict):
        for key in ("access_token", "refresh_token"):
            if isinstance(token.get(key), str) and token[key]:
                REDACTOR.add(token[key])


def read_session(path: Path) -> dict[str, Any]:
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise SessionFileError(f"The saved session {path.name} cannot be read: {error}") from None
    if not isinstance(state, dict) or not isinstance(state.get("cookies", []), list):
        raise SessionFileError(f"The saved session {path.name} is not a browser storage state.")
    remember_secrets(state)
    return state


@dataclass(frozen=True)
class SavedCookie:
    name: str
    expires: datetime | None


def cookies_of(state: dict[str, Any]) -> list[SavedCookie]:
    found = []
    for cookie in state.get("cookies", []):
        expires = cookie.get("expires", -1)
        when = None
        if isinstance(expires, (int, float)) and expires > 0:
            when = datetime.fromtimestamp(float(expires), tz=timezone.utc)
        found.append(SavedCookie(str(cookie.get("name", "")), when))
    return found


def stored_value(state: dict[str, Any], name: str) -> str | None:
    """A cookie's or a localStorage item's value by name (a JWT lives in either)."""
    for cookie in state.get("cookies", []):
        if cookie.get("name") == name:
            return str(cookie.get("value", ""))
    for origin in state.get("origins", []):
        for item in origin.get("localStorage", []):
            if item.get("name") == name:
                return str(item.get("value", ""))
    return None


def backup_session(lake: Lake, service: str, login: str, keep: int, now: datetime) -> Path | None:
    """Copy the current session into backups/ (mode 0600); None when there is nothing saved."""
    current = session_path(lake, service, login)
    if not current.is_file():
        return None
    folder = current.parent / BACKUPS
    folder.mkdir(parents=True, exist_ok=True)
    stamp = now.strftime(TIMESTAMP_FORMAT)
    target = free_name(folder / f"{login}_{stamp}.json", first=2)
    shutil.copy2(current, target)
    _private(target)
    for old in backups_of(lake, service, login)[:-keep]:
        old.unlink(missing_ok=True)
    return target


def backups_of(lake: Lake, service: str, login: str) -> list[Path]:
    """Oldest first."""
    folder = session_path(lake, service, login).parent / BACKUPS
    if not folder.is_dir():
        return []
    mine = [p for p in folder.glob(f"{login}_*.json") if p.stem[len(login) + 1 :][:1].isdigit()]
    return sorted(mine, key=lambda p: (p.stat().st_mtime, p.name))


def _write_private(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(target, text)
    _private(target)


def save_session(
    lake: Lake, service: str, login: str, state: dict[str, Any], keep: int, now: datetime
) -> Path:
    """Back up the old session, then write the new one atomically, private to its owner."""
    remember_secrets(state)
    backup_session(lake, service, login, keep, now)
    target = session_path(lake, service, login)
    _write_private(target, json.dumps(state, indent=2))
    expired_mark(lake, service, login).unlink(missing_ok=True)
    return target


def restore_latest(lake: Lake, service: str, login: str, keep: int, now: datetime) -> Path | None:
    """Put the newest backup back (the current session is backed up first); None if none."""
    candidates = backups_of(lake, service, login)
    if not candidates:
        return None
    return restore_backup(lake, service, login, candidates[-1], keep, now)


def restore_backup(
    lake: Lake, service: str, login: str, backup: Path, keep: int, now: datetime
) -> Path:
    """Put one chosen backup back; the current session is backed up first."""
    text = backup.read_text(encoding="utf-8")
    times = (backup.stat().st_atime, backup.stat().st_mtime)
    backup_session(lake, service, login, keep + 1, now)
    target = session_path(lake, service, login)
    _write_private(target, text)
    os.utime(target, times)
    expired_mark(lake, service, login).unlink(missing_ok=True)
    return backup


def saved_age_days(lake: Lake, service: str, login: str, now: datetime) -> float | None:
    """How old the saved session is (by its file's time), None when nothing is saved."""
    try:
        saved = datetime.fromtimestamp(
            session_path(lake, service, login).stat().st_mtime, timezone.utc
        )
    except OSError:
        return None
    return max(0.0, (now - saved).total_seconds() / 86400)


def clear_session(lake: Lake, service: str, login: str, keep: int, now: datetime) -> bool:
    """Back up, then remove the saved session; False when there was none."""
    current = session_path(lake, service, login)
    if not current.is_file():
        return False
    backup_session(lake, service, login, keep, now)
    current.unlink()
    expired_mark(lake, service, login).unlink(missing_ok=True)
    return True


def expired_mark(lake: Lake, service: str, login: str) -> Path:
    return session_path(lake, service, login).with_suffix(EXPIRED_MARK)


def token_fingerprint(token: str) -> str:
    """A short one-way fingerprint: says "the same token" without storing the token."""
    return "token " + hashlib.sha256(token.encode("utf-8")).hexdigest()[:16]


def mark_expired(
    lake: Lake, service: str, login: str, reason: str, token: str | None = None
) -> None:
    """Remember that the site turned this login away, so nothing retries it. For a token from
    the environment the mark names the token's fingerprint: a new token lifts it."""
    lines = [reason] + ([token_fingerprint(token)] if token else [])
    _write_private(expired_mark(lake, service, login), "\n".join(lines) + "\n")


def expired_reason(lake: Lake, service: str, login: str, token: str | None = None) -> str | None:
    """Why the site refused this login, when it did (and, for a token, this same token)."""
    mark = expired_mark(lake, service, login)
    try:
        lines = mark.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    if token is not None and token_fingerprint(token) not in lines:
        return None
    return (lines[0] if lines else "") or "the site turned it away"

"""Bringing a login into the lake from a file, and taking a copy out.

A login made in your everyday browser can be brought in two shapes: a Playwright storage state
(`{"cookies": [...], "origins": [...]}`, what the extractors keep) or a cookie-export
extension's list (`[{"name", "value", "domain", "path", "expirationDate", ...}]`). Either way
the saved file is the storage state, mode 0600, after a backup of the one it replaces. An
export is written 0600 too: it is as good as a password. No value is ever logged or recorded.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from common.lake import Lake
from common.sessions.history import HistoryEvent, record
from common.sessions.store import (
    PRIVATE,
    SessionFileError,
    read_session,
    save_session,
    session_path,
)
from common.zones import replace_with_retry

# A cookie-export extension's sameSite words, as Playwright spells them.
SAME_SITE = {"no_restriction": "None", "none": "None", "lax": "Lax", "strict": "Strict"}
SESSION_COOKIE = -1


class TransferError(Exception):
    """A login file cannot be brought in or written out; the message names the file, never a
    value in it."""


def _cookie_from_extension(raw: Any, where: str) -> dict[str, Any]:
    """One extension-exported cookie as Playwright stores it."""
    if not isinstance(raw, dict):
        raise TransferError(f"{where} is not a cookie object.")
    name, value, domain = raw.get("name"), raw.get("value"), raw.get("domain")
    if not isinstance(name, str) or not name or not isinstance(value, str):
        raise TransferError(f"{where} has no name or value.")
    if not isinstance(domain, str) or not domain:
        raise TransferError(f"{where} ({name}) has no domain.")
    expires = raw.get("expirationDate")
    if (
        bool(raw.get("session"))
        or isinstance(expires, bool)
        or not isinstance(expires, (int, float))
    ):
        expires = SESSION_COOKIE
    same_site = SAME_SITE.get(str(raw.get("sameSite", "")).lower(), "Lax")
    return {
        "name": name,
        "value": value,
        "domain": domain,
        "path": str(raw.get("path") or "/"),
        "expires": float(expires),
        "httpOnly": bool(raw.get("httpOnly", False)),
        "secure": bool(raw.get("secure", False)),
        "sameSite": same_site,
    }


def _check_storage_cookie(raw: Any, where: str) -> None:
    if not isinstance(raw, dict):
        raise TransferError(f"{where} is not a cookie object.")
    name = raw.get("name")
    if not isinstance(name, str) or not name or not isinstance(raw.get("value"), str):
        raise TransferError(f"{where} has no name or value.")
    if not isinstance(raw.get("domain"), str) or not raw["domain"]:
        raise TransferError(f"{where} ({name}) has no domain.")


def storage_state_from(document: Any, file_name: str) -> dict[str, Any]:
    """The storage state a login file holds, in either accepted shape; TransferError if neither
    or if it holds no cookie at all."""
    if isinstance(document, list):
        cookies = [
            _cookie_from_extension(raw, f"{file_name}: cookie {number}")
            for number, raw in enumerate(document, start=1)
        ]
        state: dict[str, Any] = {"cookies": cookies, "origins": []}
    elif isinstance(document, dict) and isinstance(document.get("cookies"), list):
        for number, raw in enumerate(document["cookies"], start=1):
            _check_storage_cookie(raw, f"{file_name}: cookie {number}")
        origins = document.get("origins", [])
        if not isinstance(origins, list):
            raise TransferError(f"{file_name}: origins must be a list.")
        state = {"cookies": document["cookies"], "origins": origins}
    else:
        raise TransferError(
            f"{file_name} is neither a Playwright storage state (an object with cookies) nor a "
            "cookie-export list."
        )
    if not state["cookies"]:
        raise TransferError(f"{file_name} holds no cookie: it cannot log anyone in.")
    return state


def read_login_file(path: Path) -> dict[str, Any]:
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as error:
        raise TransferError(f"{path} cannot be read: {error.strerror or error}.") from None
    except ValueError:
        raise TransferError(f"{path.name} is not JSON.") from None
    return storage_state_from(document, path.name)


def import_login(
    lake: Lake, service: str, login: str, source: Path, keep: int, now: datetime
) -> tuple[Path, int]:
    """Save the login `source` holds as `login`'s session (the old one backed up first); return
    the saved file and how many cookies it holds."""
    state = read_login_file(source)
    saved = save_session(lake, service, login, state, keep, now)
    record(lake, HistoryEvent(now, service, login, "import", "saved", f"from {source.name}"))
    return saved, len(state["cookies"])


def write_private(target: Path, text: str) -> None:
    """Write `text` to `target` through a 0600 temp file in the same folder, then rename: the
    login is never readable by others, not even for a moment."""
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    temp = Path(temp_name)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
            stream.write(text)
        try:
            temp.chmod(PRIVATE)
        except OSError:  # a file system without modes: nothing to tighten
            pass
        replace_with_retry(temp, target)  # Windows may hold the target a moment
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def export_login(
    lake: Lake, service: str, login: str, target: Path, now: datetime, overwrite: bool = False
) -> tuple[Path, int]:
    """Copy `login`'s saved session to `target` (mode 0600) as a Playwright storage state;
    return the file and how many cookies it holds."""
    current = session_path(lake, service, login)
    if not current.is_file():
        raise TransferError(f"{service}/{login} has no saved login to export.")
    if target.exists() and not overwrite:
        raise TransferError(f"{target} already exists; choose another file or add --force.")
    try:
        state = read_session(current)
    except SessionFileError as error:
        raise TransferError(str(error)) from None
    write_private(target, json.dumps(state, indent=2))
    record(lake, HistoryEvent(now, service, login, "export", "written", f"to {target.name}"))
    return target, len(state.get("cookies", []))

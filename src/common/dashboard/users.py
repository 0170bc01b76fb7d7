"""Who may log in to the dashboard: names and argon2 hashes in `config/dashboard_users.json`.

The file is written atomically with mode 0600 (the owner alone reads it; Windows keeps its
per-user folder ACLs). There is no default user: until `bedrot dashboard add-user NAME` runs,
nobody can log in. A password is never stored, logged or compared in clear.
"""

from __future__ import annotations

import functools
import json
import os
import re
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from common.zones import atomic_write_with

USER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
MIN_PASSWORD = 8
FILE_MODE = 0o600
_HASHER = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """Checked against when the name is unknown, so a wrong name costs as long as a wrong
    password; made on first need (a hash takes ~0.1 s, which `add-user` need not pay)."""
    return _HASHER.hash("no user has this password")


def prepare_login_checks() -> None:
    """Made when the dashboard starts, so even its first unknown name costs one check."""
    _dummy_hash()


class UserError(Exception):
    """A user command cannot do what was asked; the message says why."""


@dataclass(frozen=True)
class DashboardUser:
    """`password_set_at` (seconds since the epoch): sessions started before it are over."""

    name: str
    password_hash: str
    created_at: str
    password_set_at: float = 0.0


class UserStore:
    """The users file; every change rewrites it whole."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._cache: tuple[tuple[int, int, int], dict[str, DashboardUser]] | None = None

    def users(self) -> dict[str, DashboardUser]:
        """Read again only when the file changed: the dashboard asks on every request, and
        `bedrot dashboard remove-user` in another window must take effect at once."""
        try:
            status = self.path.stat()
        except FileNotFoundError:
            return {}
        except OSError as problem:
            raise UserError(f"{self.path} cannot be read as the dashboard's users: {problem}")
        key = (status.st_ino, status.st_mtime_ns, status.st_size)  # each write is a new file
        if self._cache is None or self._cache[0] != key:
            self._cache = (key, self._read())
        return dict(self._cache[1])

    def _read(self) -> dict[str, DashboardUser]:
        try:
            document = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as problem:
            raise UserError(f"{self.path} cannot be read as the dashboard's users: {problem}")
        entries = document.get("users", {}) if isinstance(document, dict) else {}
        return {
            name: DashboardUser(
                name,
                entry["password_hash"],
                str(entry.get("created_at", "")),
                float(entry.get("password_set_at", 0.0)),
            )
            for name, entry in entries.items()
            if isinstance(entry, dict) and isinstance(entry.get("password_hash"), str)
        }

    def holds_session_of(self, name: str, started_at: float) -> bool:
        """False once NAME was removed or changed password after `started_at` (or the file
        cannot be read: the door stays shut rather than open)."""
        try:
            user = self.users().get(name)
        except UserError:
            return False
        return user is not None and started_at >= user.password_set_at

    def add(self, name: str, password: str) -> None:
        check_name(name)
        users = self.users()
        if name in users:
            raise UserError(f"The dashboard user {name!r} exists already; use passwd to change it.")
        users[name] = DashboardUser(name, hash_password(password), _now(), time.time())
        self._write(users)

    def set_password(self, name: str, password: str) -> None:
        users = self.users()
        if name not in users:
            raise UserError(f"There is no dashboard user {name!r}.")
        users[name] = DashboardUser(
            name, hash_password(password), users[name].created_at, time.time()
        )
        self._write(users)

    def remove(self, name: str) -> None:
        users = self.users()
        if users.pop(name, None) is None:
            raise UserError(f"There is no dashboard user {name!r}.")
        self._write(users)

    def verify(self, name: str, password: str) -> bool:
        """True when `name` exists and `password` is its password (constant work either way)."""
        user = self.users().get(name) if USER_NAME.match(name) else None
        try:
            return _HASHER.verify(user.password_hash if user else _dummy_hash(), password) and bool(
                user
            )
        except (VerificationError, InvalidHashError):
            return False

    def _write(self, users: dict[str, DashboardUser]) -> None:
        document = {
            "users": {
                user.name: {
                    "password_hash": user.password_hash,
                    "created_at": user.created_at,
                    "password_set_at": user.password_set_at,
                }
                for user in sorted(users.values(), key=lambda u: u.name)
            }
        }
        content = json.dumps(document, indent=2) + "\n"

        def write(temp: Path) -> None:
            os.chmod(temp, FILE_MODE)
            temp.write_text(content, encoding="utf-8")

        atomic_write_with(self.path, write)


def check_name(name: str) -> None:
    if not USER_NAME.match(name):
        raise UserError(
            f"{name!r} is not a usable user name: use letters, digits, '.', '_', '@' or '-' "
            "(at most 64)."
        )


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise UserError(f"A dashboard password needs at least {MIN_PASSWORD} characters.")
    return _HASHER.hash(password)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")

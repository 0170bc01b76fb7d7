"""What the cookie tools do, apart from how they print: choose logins, back up, restore, clear,
refresh by hand. `common.cookies_cli` turns these into `bedrot cookies ...` and the scripts."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from common.extractor_config import ExtractorConfigError, load_extractor_config
from common.lake import Lake
from common.sessions.history import HistoryEvent, record
from common.sessions.login import LoginNotCompleted, wait_for_login
from common.sessions.policy import CookiePolicy, ServicePolicy
from common.sessions.status import SessionStatus, session_status
from common.sessions.store import backup_session, backups_of, clear_session, restore_backup

ALL = "all"


class ToolError(Exception):
    """A cookie tool was asked for something it cannot do; the message says what to type."""


@dataclass(frozen=True)
class Login:
    policy: ServicePolicy
    name: str

    @property
    def label(self) -> str:
        service = self.policy.service
        return service if self.name == service else f"{service}/{self.name}"


def choose_logins(
    policy: CookiePolicy, services: list[str], account: str | None = None
) -> list[Login]:
    """The logins named by `--service` (each, or `all`) and optionally one `--account`."""
    names = policy.enabled_services if not services or ALL in services else services
    unknown = [name for name in names if policy.for_service(name) is None]
    if unknown:
        known = ", ".join(sorted(policy.services))
        raise ToolError(f"No login policy for {', '.join(unknown)}; known services: {known}.")
    chosen = [
        Login(found, login)
        for name in names
        if (found := policy.for_service(name)) is not None
        for login in found.logins
        if account is None or login == account
    ]
    if not chosen:
        raise ToolError(f"No service among {', '.join(names)} has an account named {account}.")
    return chosen


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


def status_of(lake: Lake, policy: CookiePolicy, login: Login) -> SessionStatus:
    return session_status(lake, policy, login.policy, login.name, now_utc())


def _event(lake: Lake, login: Login, action: str, outcome: str, detail: str = "") -> None:
    record(lake, HistoryEvent(now_utc(), login.policy.service, login.name, action, outcome, detail))


def backup(lake: Lake, policy: CookiePolicy, login: Login) -> str:
    made = backup_session(lake, login.policy.service, login.name, policy.keep_backups, now_utc())
    if made is None:
        return f"{login.label}: nothing saved, nothing to back up."
    _event(lake, login, "backup", "saved", made.name)
    return f"{login.label}: backed up to {made.relative_to(lake.root).as_posix()}."


def listed_backups(lake: Lake, login: Login) -> list[Path]:
    """Newest first: number 1 is what --latest restores."""
    return list(reversed(backups_of(lake, login.policy.service, login.name)))


def _local_time(path: Path) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime)


def backup_listing(lake: Lake, login: Login) -> str:
    found = listed_backups(lake, login)
    if not found:
        raise ToolError(f"{login.label}: there is no backup to restore.")
    rows = [
        f"  {number:>2}  {path.name}  saved {_local_time(path):%Y-%m-%d %H:%M}"
        for number, path in enumerate(found, 1)
    ]
    return "\n".join([f"{login.label}: {len(found)} backup(s), newest first:", *rows])


def _chosen_backup(lake: Lake, login: Login, choice: str | None) -> Path:
    found = listed_backups(lake, login)
    if not found:
        raise ToolError(f"{login.label}: there is no backup to restore.")
    if choice is None:
        return found[0]
    if choice.isdigit():
        number = int(choice)
        if not 1 <= number <= len(found):
            raise ToolError(
                f"{login.label}: there is no backup number {number}; choose 1 to {len(found)}."
            )
        return found[number - 1]
    for path in found:
        if choice in (path.name, path.stem):
            return path
    raise ToolError(
        f"{login.label}: no backup is named {choice}; "
        "run the restore without --backup to list them."
    )


def restore(lake: Lake, policy: CookiePolicy, login: Login, choice: str | None = None) -> str:
    """Put a backup back: the newest, or `choice` (its number in the listing, or its name)."""
    chosen = _chosen_backup(lake, login, choice)
    restore_backup(lake, login.policy.service, login.name, chosen, policy.keep_backups, now_utc())
    _event(lake, login, "restore", "restored", chosen.name)
    return f"{login.label}: restored {chosen.name} (the session it replaced was backed up)."


def clear(lake: Lake, policy: CookiePolicy, login: Login) -> str:
    if not clear_session(lake, login.policy.service, login.name, policy.keep_backups, now_utc()):
        return f"{login.label}: nothing saved, nothing to clear."
    _event(lake, login, "clear", "cleared")
    return f"{login.label}: cleared (a backup was made first)."


def needs_refresh(status: SessionStatus) -> bool:
    return not status.usable or status.state == "EXPIRING" or status.due_for_refresh


def refresh(
    lake: Lake,
    policy: CookiePolicy,
    login: Login,
    log: logging.Logger,
    force: bool = False,
    dry_run: bool = False,
) -> str:
    """Open the login window for one login when it needs it (or `force`); never types a
    password. A token from .env cannot be renewed here: the sentence says where to put one."""
    status = status_of(lake, policy, login)
    if not force and not needs_refresh(status):
        return f"{login.label}: {status.state} ({status.reason}); nothing to do (--force to renew)."
    if login.policy.token_env:
        return (
            f"{login.label}: {status.state}; this login is the {login.policy.token_env} "
            "setting: make a new token and put it in .env."
        )
    if dry_run:
        return f"{login.label}: {status.state}; would back up and open the login window."
    try:
        config = load_extractor_config(lake, login.policy.service)
        wait_for_login(lake, config, policy, login.policy, login.name, log)
    except (LoginNotCompleted, ExtractorConfigError) as error:
        _event(lake, login, "refresh", "failed", str(error))
        raise ToolError(str(error)) from None
    _event(lake, login, "refresh", "saved", f"was {status.state}")
    return f"{login.label}: logged in; the new session is saved."


def logins_usable(policy: CookiePolicy, lake: Lake, service: str, account: str | None) -> bool:
    """Every login of the service (or the one account) is OK or EXPIRING, judged locally."""
    return all(
        status_of(lake, policy, login).usable for login in choose_logins(policy, [service], account)
    )

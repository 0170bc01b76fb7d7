"""Which account the rows of a file that names none belong to.

A Meta Business Suite export (and an insights answer saved by hand) does not say which account
it is, while every extractor pull names its account's username. One profile must be one account
in the curated files, the warehouse and the dashboard, so such rows are filed under, in order:
the `account` of config/instagram.json; the one account the lake's pulls name; of several, the
one pulled for the lake's INSTAGRAM_USER_ID. When none of these tells, they keep the name
"instagram" and the log says once how to name the account.

This is decided when staging is rebuilt from every raw file, so an export dropped before the
first pull joins the pulls' account as soon as one lands.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from dotenv import dotenv_values

from common.lake import Lake
from instagram.raw import SOURCE_FILE, USER_ID, Extraction
from instagram.settings import CONFIG_FILE, DEFAULT_ACCOUNT, EXPORT_SUFFIXES, USER_ENV

ACCOUNT = "account"


@dataclass(frozen=True)
class AccountChoice:
    """The account for unnamed rows, and why the lake could not tell (one log line) if so."""

    account: str
    doubt: str | None = None


def is_unnamed(record: Mapping[str, object]) -> bool:
    """A record whose file names no account. Raw files written before accounts were decided in
    staging hold a Business Suite export's rows under a fixed name: its source still tells."""
    if record.get(ACCOUNT) is None:
        return True
    source = str(record.get(SOURCE_FILE) or "")
    return PurePosixPath(source.replace("\\", "/")).suffix.lower() in EXPORT_SUFFIXES


def pulled_accounts(extractions: Iterable[Extraction]) -> dict[str, set[str]]:
    """Each account the pulls name, with the Instagram user ids they were asked for."""
    found: dict[str, set[str]] = {}
    for extraction in extractions:
        for record in [*extraction.daily, *extraction.media]:
            if is_unnamed(record):
                continue
            ids = found.setdefault(str(record[ACCOUNT]), set())
            if record.get(USER_ID):
                ids.add(str(record[USER_ID]))
    return found


def configured_user_id(lake: Lake) -> str | None:
    """INSTAGRAM_USER_ID from the environment, else from the lake's .env (as the extractor)."""
    value = os.environ.get(USER_ENV) or dotenv_values(lake.root / ".env").get(USER_ENV)
    return value.strip() or None if value else None


def _advice(reason: str) -> str:
    return (
        "Instagram: the files dropped by hand (Business Suite exports) do not name their "
        f'account and {reason}; their rows stay under "{DEFAULT_ACCOUNT}". Put '
        f'{{"account": "<username>"}} in config/{CONFIG_FILE} to file them under the '
        "profile's account."
    )


def choose_account(
    configured: str | None, pulled: Mapping[str, set[str]], user_id: str | None
) -> AccountChoice:
    """The account unnamed rows belong to (see the module's order)."""
    if configured is not None:
        return AccountChoice(configured)
    if len(pulled) == 1:
        return AccountChoice(next(iter(pulled)))
    if not pulled:
        return AccountChoice(DEFAULT_ACCOUNT, _advice("no Graph API pull has named it yet"))
    chosen = [name for name, ids in pulled.items() if user_id is not None and user_id in ids]
    if len(chosen) == 1:
        return AccountChoice(chosen[0])
    names = ", ".join(sorted(pulled))
    return AccountChoice(
        DEFAULT_ACCOUNT,
        _advice(f"the pulls name several accounts ({names}) and {USER_ENV} picks none of them"),
    )


def _named(records: Sequence[dict[str, object]], account: str) -> list[dict[str, object]]:
    return [{**r, ACCOUNT: account} if is_unnamed(r) else r for r in records]


def file_unnamed(extractions: Sequence[Extraction], account: str) -> list[Extraction]:
    """The extractions with every unnamed record filed under `account`."""
    return [Extraction(_named(e.daily, account), _named(e.media, account)) for e in extractions]


def has_unnamed(extractions: Iterable[Extraction]) -> bool:
    return any(is_unnamed(r) for e in extractions for r in [*e.daily, *e.media])

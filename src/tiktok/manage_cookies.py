"""The TikTok accounts' saved logins: list, import, export, clear.

    python src/tiktok/manage_cookies.py list
    python src/tiktok/manage_cookies.py import --account zone.a0 cookies.json
    python src/tiktok/manage_cookies.py export --account pig1987 backup.json
    python src/tiktok/manage_cookies.py clear --account zone.a0

The accounts are those of config/cookie_refresh_config.json. `import` takes a Playwright
storage state or a cookie-export extension's JSON list, and saves it (mode 0600) after backing
up the login it replaces; `export` writes a copy (mode 0600); `clear` backs up, then removes.
No cookie value is ever printed or logged. Logging in through a browser window instead:
`bedrot cookies refresh --service tiktok --account NAME`.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from common.cli_support import fail, open_lake

if TYPE_CHECKING:
    from common.lake import Lake
    from common.sessions.policy import CookiePolicy
    from common.sessions.tools import Login

SERVICE = "tiktok"
EXIT_USAGE = 2

app = typer.Typer(
    help="TikTok accounts' saved logins: list, import, export, clear.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
AccountOption = Annotated[
    str,
    typer.Option(
        "--account", help="The TikTok account, as config/cookie_refresh_config.json names it."
    ),
]


def _setup() -> tuple[Lake, CookiePolicy, logging.Logger]:
    from common.logs import COOKIE_TOOLS, setup_logging
    from common.redact import load_secrets_from_environment
    from common.sessions.policy import PolicyError, load_policy

    lake = open_lake()
    load_secrets_from_environment({})
    try:
        policy = load_policy(lake)
    except PolicyError as error:
        raise fail(str(error), EXIT_USAGE) from None
    # The console gets the command's own sentences; the log gets cookie_refresh.log and the rest.
    return lake, policy, setup_logging(lake.logs, COOKIE_TOOLS, console=logging.NullHandler())


def _logins(policy: CookiePolicy, account: str | None) -> list[Login]:
    from common.sessions.tools import ToolError, choose_logins

    try:
        return choose_logins(policy, [SERVICE], account)
    except ToolError as error:
        found = policy.for_service(SERVICE)
        known = ", ".join(found.logins) if found else "none"
        raise fail(f"{error} TikTok accounts: {known}.", EXIT_USAGE) from None


def _said(log: logging.Logger, sentence: str, level: int = logging.INFO) -> None:
    log.log(level, "%s", sentence, extra={"service": SERVICE})
    typer.echo(sentence, err=level >= logging.WARNING)


@app.command("list")
def list_logins() -> None:
    """Each account's login: OK, EXPIRING, EXPIRED or MISSING. Exit 1 if one is unusable."""
    from common.sessions.render import status_table
    from common.sessions.tools import status_of

    lake, policy, _ = _setup()
    statuses = [status_of(lake, policy, login) for login in _logins(policy, None)]
    typer.echo(status_table(statuses))
    raise typer.Exit(0 if all(s.usable for s in statuses) else 1)


@app.command("import")
def import_file(
    account: AccountOption,
    source: Annotated[Path, typer.Argument(help="A storage-state or cookie-export JSON file.")],
) -> None:
    """Save the login in SOURCE for ACCOUNT (the current one is backed up first)."""
    from common.sessions.tools import now_utc
    from common.sessions.transfer import TransferError, import_login

    lake, policy, log = _setup()
    login = _logins(policy, account)[0]
    try:
        saved, cookies = import_login(
            lake, SERVICE, login.name, source, policy.keep_backups, now_utc()
        )
    except TransferError as error:
        _said(log, f"[FAIL] {login.label}: {error}", logging.ERROR)
        raise typer.Exit(1) from None
    where = saved.relative_to(lake.root).as_posix()
    _said(log, f"{login.label}: imported {cookies} cookie(s) from {source.name} into {where}.")


@app.command("export")
def export_file(
    account: AccountOption,
    target: Annotated[Path, typer.Argument(help="Where to write the login (mode 0600).")],
    force: Annotated[bool, typer.Option("--force", help="Replace TARGET if it exists.")] = False,
) -> None:
    """Write ACCOUNT's saved login to TARGET as a Playwright storage state (mode 0600)."""
    from common.sessions.tools import now_utc
    from common.sessions.transfer import TransferError, export_login

    lake, policy, log = _setup()
    login = _logins(policy, account)[0]
    try:
        written, cookies = export_login(lake, SERVICE, login.name, target, now_utc(), force)
    except TransferError as error:
        _said(log, f"[FAIL] {login.label}: {error}", logging.ERROR)
        raise typer.Exit(1) from None
    _said(log, f"{login.label}: exported {cookies} cookie(s) to {written}.")


@app.command("clear")
def clear_login(account: AccountOption) -> None:
    """Remove ACCOUNT's saved login after backing it up (the next run asks you to log in)."""
    from common.sessions.tools import clear

    lake, policy, log = _setup()
    _said(log, clear(lake, policy, _logins(policy, account)[0]))


if __name__ == "__main__":
    app(prog_name="manage_cookies.py")

"""`bedrot dashboard`: start the dashboard, and manage who may log in to it.

Nothing heavy loads at import (no FastAPI, uvicorn or SQLAlchemy) so `bedrot --help` stays
fast; each command imports what it needs.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Optional

import typer

if TYPE_CHECKING:
    from common.dashboard.users import UserStore
    from common.lake import Lake

LOGINS_PAGE = "/logins"
TLS_WARNING = (
    "[WARN] The dashboard is listening on {host}, not only on this machine, and speaks plain "
    "HTTP: passwords and figures cross the network unencrypted. Put it behind a TLS proxy "
    "(https) or use 127.0.0.1."
)

dashboard_app = typer.Typer(
    help="The label's dashboard in a browser (behind a login): start it, manage its users.",
    invoke_without_command=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
HostOption = Annotated[
    Optional[str],
    typer.Option("--host", help="Address to listen on (default 127.0.0.1: this machine only)."),
]
PortOption = Annotated[
    Optional[int], typer.Option("--port", min=1, max=65535, help="Port (default 8080).")
]
OpenOption = Annotated[
    bool, typer.Option("--open", help="Open the dashboard in your browser once it is up.")
]
UserName = Annotated[str, typer.Argument(help="The login name (as typed on the login page).")]
PasswordStdin = Annotated[
    bool,
    typer.Option("--password-stdin", help="Read the password from standard input (scripts)."),
]


def _fail(message: str, code: int = 1) -> typer.Exit:
    typer.echo(f"[FAIL] {message}", err=True)
    return typer.Exit(code)


def _lake() -> Lake:
    from common.lake import Lake, NotALakeError
    from common.settings import load_lake_env

    try:
        lake = Lake.locate()
    except NotALakeError as error:
        raise _fail(str(error), 2) from None
    load_lake_env(lake)
    return lake


def start_dashboard(host: str | None, port: int | None, open_path: str | None) -> None:
    """Start the server with the lake's settings, `host`/`port` overriding them."""
    from dataclasses import replace

    from common.dashboard.server import dashboard_url, is_local, serve
    from common.dashboard.settings import DashboardSettingsError, load_dashboard_settings

    lake = _lake()
    try:
        settings = load_dashboard_settings(lake)
        settings = replace(
            settings,
            host=host if host is not None else settings.host,
            port=port if port is not None else settings.port,
        )
    except DashboardSettingsError as error:
        raise _fail(str(error), 2) from None
    if not is_local(settings.host):
        typer.echo(TLS_WARNING.format(host=settings.host), err=True)
    if not _users(lake).users():
        typer.echo(
            "[WARN] Nobody can log in yet: add a user first with "
            "`bedrot dashboard add-user NAME`.",
            err=True,
        )
    url = dashboard_url(settings.host, settings.port, open_path or "/")
    typer.echo(f"Dashboard: {url}  (Ctrl+C stops it)")
    if not serve(lake, settings, open_path):
        raise _fail(f"The dashboard could not listen on {settings.host}:{settings.port}.")


@dashboard_app.callback()
def dashboard(
    context: typer.Context,
    host: HostOption = None,
    port: PortOption = None,
    open_browser: OpenOption = False,
) -> None:
    """Start the dashboard (http://127.0.0.1:8080 by default), or manage its users."""
    if context.invoked_subcommand is None:
        start_dashboard(host, port, "/" if open_browser else None)


def _users(lake: Lake) -> UserStore:
    from common.dashboard.settings import users_path
    from common.dashboard.users import UserStore

    return UserStore(users_path(lake))


def _new_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password


def _change_users(action: str, name: str, password: str | None = None) -> None:
    from common.dashboard.users import UserError

    store = _users(_lake())
    try:
        if action == "add":
            store.add(name, password or "")
        elif action == "passwd":
            store.set_password(name, password or "")
        else:
            store.remove(name)
    except UserError as error:
        raise _fail(str(error)) from None


@dashboard_app.command("add-user")
def add_user(name: UserName, password_stdin: PasswordStdin = False) -> None:
    """Let NAME log in (the password is asked twice; it is stored as an argon2 hash)."""
    _change_users("add", name, _new_password(password_stdin))
    typer.echo(f"Added dashboard user {name}.")


@dashboard_app.command("remove-user")
def remove_user(name: UserName) -> None:
    """NAME can no longer log in (a running dashboard refuses their next login)."""
    _change_users("remove", name)
    typer.echo(f"Removed dashboard user {name}.")


@dashboard_app.command("passwd")
def passwd(name: UserName, password_stdin: PasswordStdin = False) -> None:
    """Change NAME's password (asked twice)."""
    _change_users("passwd", name, _new_password(password_stdin))
    typer.echo(f"Changed the password of dashboard user {name}.")


def run_seed_script(prog_name: str) -> None:
    """The seed's `start_dashboard.py` / `dashboard.py`: start the dashboard and open its
    logins page (the seed's cookie dashboard) in the browser."""
    seed = typer.Typer(add_completion=False, pretty_exceptions_enable=False)

    @seed.command()
    def start(host: HostOption = None, port: PortOption = None) -> None:
        """Start the dashboard and open its logins page in your browser."""
        start_dashboard(host, port, LOGINS_PAGE)

    seed(prog_name=prog_name)

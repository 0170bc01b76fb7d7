"""`bedrot cookies ...`: status, refresh, backup, restore, clear, history, schedule, notify-test
(and, from `common.cookie_refresh.commands`, configure, logs, test-auth, health, metrics,
setup-notifications).

The scripts users know (`src/common/cookie_refresh/*.py`) run these same commands through
`run_command`, so both ways behave alike. Heavy modules load inside the commands to keep
`bedrot --help` fast.
"""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer
from typer.core import TyperGroup

from common.cli_support import chosen_logins, fail, send_test_notification, setup_tools
from common.login_commands import add_login_system_commands

cookies_app = typer.Typer(
    help="Saved logins (cookies, sessions, tokens): status, refresh by hand, backups, history.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
ServiceOption = Annotated[
    Optional[list[str]],
    typer.Option("--service", "-s", help="A service (repeatable), or 'all' (the default)."),
]
AccountOption = Annotated[
    Optional[str], typer.Option("--account", help="Only this account (e.g. a TikTok handle).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
ForceOption = Annotated[bool, typer.Option("--force", help="Renew even logins that are still OK.")]
DryRunOption = Annotated[
    bool, typer.Option("--dry-run", help="Say what would be renewed; change nothing.")
]


@cookies_app.command()
def status(
    service: ServiceOption = None, account: AccountOption = None, as_json: JsonOption = False
) -> None:
    """Each login: OK, EXPIRING, EXPIRED or MISSING, age, expired cookies, JWT expiry.
    Exit 1 when a login is EXPIRED or MISSING."""
    import json

    from common.sessions.render import status_table
    from common.sessions.status import sort_by_priority
    from common.sessions.tools import status_of

    lake, policy = setup_tools()
    statuses = sort_by_priority(
        [status_of(lake, policy, login) for login in chosen_logins(policy, service, account)]
    )
    if as_json:
        typer.echo(json.dumps([s.as_json() for s in statuses], indent=2))
    else:
        typer.echo(status_table(statuses))
    raise typer.Exit(0 if all(s.usable for s in statuses) else 1)


@cookies_app.command()
def refresh(
    service: ServiceOption = None,
    account: AccountOption = None,
    all_services: Annotated[
        bool, typer.Option("--all", help="Every service whose login needs renewing.")
    ] = False,
    force: ForceOption = False,
    dry_run: DryRunOption = False,
) -> None:
    """Open a browser on the login page and wait while you log in (2FA included); the session
    is saved after a backup of the old one. Nothing ever types your password."""
    from common.logs import setup_logging
    from common.sessions.tools import ToolError
    from common.sessions.tools import refresh as refresh_login

    if not service and not all_services:
        raise fail("Name a service with --service NAME, or use --all.", 2)
    lake, policy = setup_tools()
    log = setup_logging(lake.logs, "cookies")
    failed = False
    for login in chosen_logins(policy, None if all_services else service, account):
        try:
            typer.echo(refresh_login(lake, policy, login, log, force, dry_run))
        except ToolError as error:
            failed = True
            typer.echo(f"[FAIL] {error}", err=True)
    raise typer.Exit(1 if failed else 0)


def _each(action_name: str, service: list[str] | None, account: str | None) -> None:
    from common.sessions import tools

    if not service:
        raise fail("Name a service with --service NAME (or --service all).", 2)
    lake, policy = setup_tools()
    action = getattr(tools, action_name)
    failed = False
    for login in chosen_logins(policy, service, account):
        try:
            typer.echo(action(lake, policy, login))
        except tools.ToolError as error:
            failed = True
            typer.echo(f"[FAIL] {error}", err=True)
    raise typer.Exit(1 if failed else 0)


@cookies_app.command()
def backup(service: ServiceOption = None, account: AccountOption = None) -> None:
    """Copy the saved logins into cookies/backups/ (mode 0600)."""
    _each("backup", service, account)


@cookies_app.command()
def restore(
    service: ServiceOption = None,
    account: AccountOption = None,
    latest: Annotated[bool, typer.Option("--latest", help="Restore the newest backup.")] = False,
    backup: Annotated[
        Optional[str],
        typer.Option("--backup", help="Restore this backup: its number in the list, or its name."),
    ] = None,
) -> None:
    """List a login's backups (newest first, numbered), or put one back: the newest with
    --latest, a chosen one with --backup N|NAME. The session it replaces is backed up first."""
    from common.sessions import tools

    if latest and backup:
        raise fail("Use --latest or --backup, not both.", 2)
    if not service:
        raise fail("Name a service with --service NAME (or --service all).", 2)
    lake, policy = setup_tools()
    logins = chosen_logins(policy, service, account)
    if backup and len(logins) > 1:
        names = ", ".join(login.name for login in logins)
        raise fail(f"--backup picks one login's backup: add --account (one of {names}).", 2)
    failed = False
    for login in logins:
        try:
            if latest or backup:
                typer.echo(tools.restore(lake, policy, login, backup))
            else:
                typer.echo(tools.backup_listing(lake, login))
        except tools.ToolError as error:
            failed = True
            typer.echo(f"[FAIL] {error}", err=True)
    if not (latest or backup) and not failed:
        typer.echo("Restore one with --backup N (or its name), or the newest with --latest.")
    raise typer.Exit(1 if failed else 0)


@cookies_app.command()
def clear(service: ServiceOption = None, account: AccountOption = None) -> None:
    """Remove the saved login after backing it up (the next run asks you to log in)."""
    _each("clear", service, account)


@cookies_app.command()
def history(
    service: ServiceOption = None,
    days: Annotated[int, typer.Option("--days", min=1, help="How many days back.")] = 7,
    as_json: JsonOption = False,
) -> None:
    """Logins, refreshes, backups, restores, clears, skips and notifications, newest last."""
    import json
    from datetime import timedelta

    from common.sessions.history import read_history
    from common.sessions.render import history_table
    from common.sessions.tools import ALL, now_utc

    lake, _ = setup_tools()
    names = [s for s in (service or []) if s != ALL]
    events = [
        event
        for event in read_history(lake, now_utc() - timedelta(days=days))
        if not names or event.service in names
    ]
    if as_json:
        typer.echo(json.dumps([e.as_json() for e in events], indent=2))
    else:
        typer.echo(history_table(events, days))


@cookies_app.command()
def schedule(
    loop: Annotated[bool, typer.Option("--loop", help="Keep checking until stopped.")] = False,
    every_hours: Annotated[
        float, typer.Option("--every-hours", min=0.01, help="Hours between checks with --loop.")
    ] = 6,
) -> None:
    """Check every login, send notifications for expired or expiring ones, list due refreshes.
    Run it from Task Scheduler or cron (once), or leave it running with --loop."""
    import time

    from common.logs import setup_logging
    from common.sessions.alerts import alert_sessions
    from common.sessions.history import record_scheduler_run
    from common.sessions.status import all_statuses
    from common.sessions.tools import needs_refresh, now_utc

    lake, policy = setup_tools()
    log = setup_logging(lake.logs, "cookies")
    while True:
        statuses = all_statuses(lake, policy, now_utc())
        alert_sessions(lake, policy, statuses, now_utc(), log)
        due = [s for s in statuses if needs_refresh(s)]
        for status_ in due:
            login = status_.service if status_.login == status_.service else status_.login
            typer.echo(
                f"{status_.service}/{status_.login}: {status_.state} ({status_.reason}); run "
                f"`bedrot cookies refresh --service {status_.service} --account {login}`."
            )
        if not due:
            typer.echo(f"All {len(statuses)} login(s) are fine.")
        record_scheduler_run(lake, now_utc(), len(statuses), len(due))
        if not loop:
            return
        time.sleep(every_hours * 3600)


@cookies_app.command("notify-test")
def notify_test() -> None:
    """Send a test message by email (SMTP_* settings) and Slack (SLACK_WEBHOOK_URL)."""
    setup_tools()
    raise typer.Exit(send_test_notification())


add_login_system_commands(cookies_app)


def run_command(name: str, prog_name: str) -> None:
    """Run one `bedrot cookies` command as a script of its own, with its own usage line."""
    group = typer.main.get_command(cookies_app)
    assert isinstance(group, TyperGroup)
    group.commands[name].main(sys.argv[1:], prog_name=prog_name)


auth_check_app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)


@auth_check_app.command()
def run_with_auth_check(
    services: Annotated[
        Optional[list[str]], typer.Argument(help="Services to check and run (default: all).")
    ] = None,
    check_only: Annotated[
        bool,
        typer.Option("--check-only", help="Only report the logins; exit 1 if one is unusable."),
    ] = False,
    automated: Annotated[
        bool, typer.Option("--automated", help="Do not open login windows; skip what expired.")
    ] = False,
) -> None:
    """Check the named services' logins, renew the unusable ones by hand, then run the pipeline
    for those services."""
    from common.discovery import discover_services
    from common.logs import setup_logging
    from common.sessions.render import status_table
    from common.sessions.tools import ALL, ToolError, refresh, status_of

    lake, policy = setup_tools()
    named = list(services or [])
    discovered = {service.name for service in discover_services(lake).services}
    # A service of the lake without a login (Capital One, dropped by hand) runs with nothing to
    # check; any other unknown name (a typo) still fails as an unknown service.
    loginless = [n for n in named if n in discovered and policy.for_service(n) is None]
    for name in loginless:
        typer.echo(f"{name} needs no login.")
    checked = [name for name in named if name not in loginless]
    logins = chosen_logins(policy, checked, None) if checked or not named else []
    statuses = [status_of(lake, policy, login) for login in logins]
    if statuses:
        typer.echo(status_table(statuses))
    if check_only:
        raise typer.Exit(0 if all(s.usable for s in statuses) else 1)
    if not automated:
        log = setup_logging(lake.logs, "cookies")
        for login, state in zip(logins, statuses):
            if not state.usable:
                try:
                    typer.echo(refresh(lake, policy, login, log))
                except ToolError as error:
                    typer.echo(f"[WARNING] {error} The run skips it.", err=True)
    from common.lock import LockHeld
    from common.pipeline.run import RunOptions
    from common.settings import SettingsError
    from common.start import start_run

    wanted = frozenset(services) if services and ALL not in services else None
    try:
        code = start_run(lake, RunOptions(automated=automated, services=wanted))
    except (SettingsError, LockHeld) as error:
        raise fail(str(error)) from None
    raise typer.Exit(code)


refresher_app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)


@refresher_app.command()
def refresher(
    service: ServiceOption = None,
    account: AccountOption = None,
    check_only: Annotated[
        bool,
        typer.Option("--check-only", help="Only print the logins; exit 1 if one is unusable."),
    ] = False,
    force: ForceOption = False,
    dry_run: DryRunOption = False,
) -> None:
    """Check the saved logins (all, or --service), then log in again by hand where one needs
    it (every one with --force). Same as `bedrot cookies status` / `bedrot cookies refresh`."""
    if check_only:
        status(service=service, account=account, as_json=False)
    refresh(
        service=service,
        account=account,
        all_services=not service,
        force=force,
        dry_run=dry_run,
    )

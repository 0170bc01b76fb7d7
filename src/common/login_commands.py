"""`bedrot cookies configure|logs|test-auth|health|metrics|setup-notifications`: the commands
that look after the login system itself. `common.cookies_cli` adds them to `bedrot cookies`;
the scripts beside this module run them alone. The work is done in `common.sessions`."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from common.cli_support import fail

DaysOption = Annotated[int, typer.Option("--days", min=1, help="How many days back.")]
ServiceName = Annotated[
    Optional[str], typer.Option("--service", "-s", help="The service (see `status`).")
]


def configure(
    service: ServiceName = None,
    max_age_days: Annotated[
        Optional[float], typer.Option("--max-age-days", help="Days a saved login lasts.")
    ] = None,
    refresh_interval_days: Annotated[
        Optional[float],
        typer.Option("--refresh-interval-days", help="Days after which a refresh is due."),
    ] = None,
    priority: Annotated[
        Optional[str], typer.Option("--priority", help="CRITICAL, HIGH, MEDIUM or LOW.")
    ] = None,
    enabled: Annotated[
        Optional[bool],
        typer.Option(
            "--enable/--disable", help="Watch this login (status, scheduler, notifications)."
        ),
    ] = None,
) -> None:
    """Show the login policy (config/cookie_refresh_config.json), or change one service's
    entry with --service and a setting (checked first, written atomically)."""
    from common.cli_support import setup_tools
    from common.sessions.policy import PolicyError
    from common.sessions.policy_edit import PolicyChange, change_service_policy
    from common.sessions.render import policy_table

    lake, policy = setup_tools()
    change = PolicyChange(max_age_days, refresh_interval_days, priority, enabled)
    if change.is_empty():
        typer.echo(policy_table(policy, service))
        return
    if not service:
        raise fail("Name the service to change with --service NAME.", 2)
    try:
        changed = change_service_policy(lake, service, change)
    except PolicyError as error:
        for sentence in str(error).splitlines():
            typer.echo(f"[FAIL] {sentence}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"Saved {service} in config/cookie_refresh_config.json:")
    typer.echo(policy_table(setup_tools()[1], changed.service))


def logs(
    service: ServiceName = None,
    days: DaysOption = 7,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Add DEBUG lines and every logged field.")
    ] = False,
) -> None:
    """One service's lines (or all's) from the pipeline and cookie-tool logs in logs/."""
    from datetime import timedelta

    from common.cli_support import setup_tools
    from common.sessions.logview import service_log_lines
    from common.sessions.tools import now_utc

    if not service:
        raise fail("Name a service with --service NAME (or --service all).", 2)
    lake, _ = setup_tools()
    lines = service_log_lines(lake, service, now_utc() - timedelta(days=days), verbose)
    for line in lines:
        typer.echo(line.text(verbose))
    if not lines:
        typer.echo(f"No log line about {service} in the last {days} day(s).")


def test_auth(
    service: ServiceName = None,
    account: Annotated[
        Optional[str], typer.Option("--account", help="Only this account (e.g. a TikTok handle).")
    ] = None,
) -> None:
    """Try the saved login against the site without changing it: VALID, EXPIRED or MISSING.
    A headless browser opens one logged-in page (a token gets one cheap API read); no form
    is filled and nothing is saved or marked. Exit 0 when every login tried is VALID."""
    from common.cli_support import chosen_logins, setup_tools
    from common.extractor_config import ExtractorConfigError, load_extractor_config
    from common.sessions.probe import probe_login
    from common.sessions.tools import now_utc

    if not service:
        raise fail("Name a service with --service NAME.", 2)
    lake, policy = setup_tools()
    valid = True
    for login in chosen_logins(policy, [service], account):
        try:
            config = load_extractor_config(lake, login.policy.service)
            result = probe_login(lake, policy, login.policy, login.name, config, now_utc())
        except ExtractorConfigError as error:
            raise fail(str(error), 2) from None
        valid = valid and result.valid
        typer.echo(result.line())
    raise typer.Exit(0 if valid else 1)


def health() -> None:
    """Check the login system itself: each login, the scheduler's last run, the browser for the
    login window, and whether email and Slack are set up and reachable. Exit 1 when something
    needed (the browser, a channel that is set up) is broken."""
    from common.cli_support import setup_tools
    from common.sessions.selfcheck import system_checks
    from common.sessions.tools import now_utc

    lake, policy = setup_tools()
    checks = system_checks(lake, policy, now_utc())
    for check in checks:
        typer.echo(check.line())
    broken = [check for check in checks if check.broken]
    typer.echo(f"{len(broken)} needed part(s) broken." if broken else "The login system works.")
    raise typer.Exit(1 if broken else 0)


def metrics(days: DaysOption = 30) -> None:
    """Per service over the last days: refreshes, expiries, failed refreshes and the average
    age of a session when it was replaced, from logs/cookie_refresh_history.jsonl."""
    from datetime import timedelta

    from common.cli_support import setup_tools
    from common.sessions.history import read_history
    from common.sessions.metrics import login_metrics
    from common.sessions.render import metrics_table
    from common.sessions.tools import now_utc

    lake, policy = setup_tools()
    since = now_utc() - timedelta(days=days)
    found = login_metrics(read_history(lake), since, policy.enabled_services)
    typer.echo(metrics_table(found, days))


def setup_notifications(
    smtp_host: Annotated[Optional[str], typer.Option("--smtp-host", help="Mail server.")] = None,
    smtp_port: Annotated[
        Optional[int], typer.Option("--smtp-port", min=1, max=65535, help="Its port (587).")
    ] = None,
    smtp_user: Annotated[Optional[str], typer.Option("--smtp-user", help="Login name.")] = None,
    smtp_password: Annotated[
        Optional[str], typer.Option("--smtp-password", help="Password (never shown).")
    ] = None,
    smtp_starttls: Annotated[
        Optional[bool], typer.Option("--smtp-starttls/--no-smtp-starttls", help="Use STARTTLS.")
    ] = None,
    email_from: Annotated[Optional[str], typer.Option("--email-from", help="Sender.")] = None,
    email_to: Annotated[
        Optional[str], typer.Option("--email-to", help="Recipients, comma-separated.")
    ] = None,
    slack_webhook: Annotated[
        Optional[str], typer.Option("--slack-webhook", help="Slack incoming-webhook URL.")
    ] = None,
    test: Annotated[bool, typer.Option("--test/--no-test", help="Send a test message.")] = True,
) -> None:
    """Write the email and Slack settings into the lake's .env (mode 0600, other lines kept),
    then send a test message. With no option, in a terminal, it asks for each."""
    import os

    from common.cli_support import send_test_notification, setup_tools
    from common.sessions.envfile import update_env_file

    lake, _ = setup_tools()
    given = {
        "SMTP_HOST": smtp_host,
        "SMTP_PORT": None if smtp_port is None else str(smtp_port),
        "SMTP_USER": smtp_user,
        "SMTP_PASSWORD": smtp_password,
        "SMTP_STARTTLS": None if smtp_starttls is None else ("1" if smtp_starttls else "0"),
        "NOTIFY_EMAIL_FROM": email_from,
        "NOTIFY_EMAIL_TO": email_to,
        "SLACK_WEBHOOK_URL": slack_webhook,
    }
    settings = {name: value for name, value in given.items() if value is not None}
    if not settings:
        if not sys.stdin.isatty():
            raise fail("Give the settings as options (see --help), or run it in a terminal.", 2)
        settings = _ask()
    path = update_env_file(lake.root / ".env", settings)
    shown = [name + (" (hidden)" if _secret(name) else "") for name in settings]
    typer.echo(f"Saved {', '.join(shown)} in {path} (readable by you only).")
    os.environ.update(settings)  # the test goes out with what was just saved
    if test:
        raise typer.Exit(send_test_notification())


def _secret(name: str) -> bool:
    return name in ("SMTP_PASSWORD", "SLACK_WEBHOOK_URL")


def _ask() -> dict[str, str]:
    """Ask for each setting; Enter keeps the current value (secrets are typed unseen)."""
    import os

    questions = (
        ("SMTP_HOST", "Mail server (empty: no email)"),
        ("SMTP_PORT", "Mail server port"),
        ("SMTP_USER", "Mail login name"),
        ("SMTP_PASSWORD", "Mail password"),
        ("NOTIFY_EMAIL_FROM", "Sender address"),
        ("NOTIFY_EMAIL_TO", "Recipients, comma-separated"),
        ("SLACK_WEBHOOK_URL", "Slack webhook URL (empty: no Slack)"),
    )
    answers = {}
    for name, question in questions:
        current = os.environ.get(name, "")
        hint = "(set; Enter keeps it)" if current and _secret(name) else current
        answer = typer.prompt(
            f"{question} [{hint}]" if hint else question,
            default="",
            show_default=False,
            hide_input=_secret(name),
        )
        answers[name] = answer or current
    return answers


def add_login_system_commands(app: typer.Typer) -> None:
    app.command()(configure)
    app.command()(logs)
    app.command("test-auth")(test_auth)
    app.command()(health)
    app.command()(metrics)
    app.command("setup-notifications")(setup_notifications)

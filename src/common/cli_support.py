"""What every `bedrot` command starts with: the lake (and its .env), and one way to fail."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from common.lake import Lake
    from common.sessions.policy import CookiePolicy
    from common.sessions.tools import Login

EXIT_BAD_ROOT = 2


def fail(message: str, code: int = EXIT_BAD_ROOT) -> typer.Exit:
    """Print `[FAIL] message` on stderr; raise the returned Exit."""
    typer.echo(f"[FAIL] {message}", err=True)
    return typer.Exit(code)


def open_lake() -> Lake:
    """The lake with its `.env` loaded, or exit 2 with the sentence naming the right root."""
    from common.console import utf8_output
    from common.lake import Lake, NotALakeError
    from common.settings import load_lake_env

    utf8_output()  # the seed's scripts print the lake's path before any log is set up

    try:
        lake = Lake.locate()
    except NotALakeError as error:
        raise fail(str(error)) from None
    load_lake_env(lake)
    return lake


def setup_tools() -> tuple[Lake, CookiePolicy]:
    """The lake (with its .env) and its login policy, or exit 2 with the sentence why not."""
    from common.redact import load_secrets_from_environment
    from common.sessions.policy import PolicyError, load_policy

    lake = open_lake()
    load_secrets_from_environment({})
    try:
        return lake, load_policy(lake)
    except PolicyError as error:
        raise fail(str(error), 2) from None


def chosen_logins(
    policy: CookiePolicy, services: list[str] | None, account: str | None
) -> list[Login]:
    from common.sessions.tools import ToolError, choose_logins

    try:
        return choose_logins(policy, services or [], account)
    except ToolError as error:
        raise fail(str(error), 2) from None


def send_test_notification() -> int:
    """Send the test message on every channel set up; print what went where; the exit code."""
    from common.sessions.notify import notify

    sent = notify(
        "BEDROT Data Lake: test notification",
        "This is a test: expired logins will be announced like this.",
    )
    if not sent:
        typer.echo(
            "[FAIL] No channel is set up: set SMTP_HOST and NOTIFY_EMAIL_TO, or SLACK_WEBHOOK_URL.",
            err=True,
        )
        return 1
    for delivery in sent:
        typer.echo(("[OK] " if delivery.ok else "[FAIL] ") + delivery.detail)
    return 0 if all(d.ok for d in sent) else 1
